import pytest

from parsers.values import NotAValue, is_value, parse_value


@pytest.mark.parametrize(
    "raw,unit,want",
    [
        ("12", "count", 12),
        (" 13", "count", 13),
        ("１２３", "count", 123),
        ("1,234", "count", 1234),
        ("1 234", "count", 1234),
        ("减少2248", "count", -2248),
        ("增加5", "count", 5),
        ("-17", "count", -17),
        ("－17", "count", -17),
        ("+3", "count", 3),
        ("5件", "count", 5),
        ("", "count", None),
        ("—", "count", None),
        ("——", "count", None),
        ("-", "count", None),
        ("/", "count", None),
        ("无", "count", None),
        ("1.5 亿元", "wan_yuan", 15000),
        ("1.2036 亿元", "wan_yuan", 12036),
        ("26216.97万元", "wan_yuan", 26216.97),
        ("2840万元", "wan_yuan", 2840),
        ("3,000元", "wan_yuan", 0.3),
        ("481", "wan_yuan", 481),
        ("１２.５万元", "wan_yuan", 12.5),
    ],
)
def test_parse_value(raw, unit, want):
    assert parse_value(raw, unit) == want


@pytest.mark.parametrize("raw", ["规章", "1.属于国家秘密", "总计", "信息内容", "本年增/减"])
def test_labels_are_not_values(raw):
    assert not is_value(raw)
    with pytest.raises(NotAValue):
        parse_value(raw)
