"""Reports as they really come: labels typed with near misses, traditional characters,
text rendered by other tools (pipes, one cell per line, pdftotext -layout), and
documents whose tables cannot be read, which must say so."""

from __future__ import annotations

import pytest

from parsers import parse_bytes, parse_file
from parsers.extract import match_row
from parsers.fuzzy import closest
from parsers.templates import labels
from parsers.text_reader import read_text
from tests.conftest import expected_files, load_expected

CASES = expected_files("variants")


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.name.split(".")[0])
def test_variant_parses_exactly(path):
    exp = load_expected(path)
    report = parse_file(path.parent / exp["source"])
    assert {k: c.value for k, c in report.cells.items()} == exp["cells"]
    assert (report.agency, report.year) == (exp["agency"], exp["year"])
    assert report.template == exp["template"]
    assert report.published == exp["published"]
    assert report.failing_checks == sorted(exp["failing_checks"])
    for warning in exp.get("warnings", []):
        assert any(w.startswith(warning) for w in report.warnings), report.warnings
    if exp["cells"]:
        assert report.warnings == []


def test_every_variant_of_both_templates_is_there():
    names = {p.name.split(".")[0] for p in CASES}
    for kind in ("typed", "traditional", "pipes", "cells", "pdftotext"):
        assert {f"{kind}_2019", f"{kind}_2021"} <= names


def test_flipbook_page_prefix_stays_out_of_title_and_agency(fixtures):
    report = parse_file(fixtures / "variants" / "typed_2021.txt")
    assert report.agency == "青岛市崂山区人民政府"
    assert "Page" not in (report.title or "") and report.title.startswith("2021年")


@pytest.mark.parametrize(
    "label, key",
    [
        ("本年处理绝对数量", "decisions"),
        ("现行有效件", "in_force"),
        ("本年新制作数", "made"),
        ("採購專案數量", "items"),
    ],
)
def test_near_miss_column_labels(label, key):
    assert closest("active", "column", label) == key


def test_a_label_equally_like_two_columns_matches_neither():
    assert closest("active", "column", "本年新") is None


@pytest.mark.parametrize(
    "labels, key",
    [
        (["二、上年结转政府信息公开数量"], "carried_over"),
        (["3.补正后申请内容不明确"], "unavailable_unclear"),
        (["4.保护第三方的合法权益"], "denied_third_party"),
        (["(七)合计"], "total_processed"),
        (["（六）其他处理", "1.申请人无正当理由逾期未补正、行政机关不再处理其政府信息公开申请"], "other_no_correction"),
        (["處理決定"], None),
        (["政务公开工作"], None),
    ],
)
def test_near_miss_row_labels(labels, key):
    assert match_row("applications", labels, None) == key


def test_pipe_rows_with_and_without_outer_pipes():
    doc = read_text("| 规章 | 0 | 1 | 2 |\n|---|:---:|---|---|\n| 行政许可 | 5 | | |\n规范性文件 | 3 | 4 | 5\n")
    assert doc.rows == [("规章", "0", "1", "2"), ("行政许可", "5", "", ""), ("规范性文件", "3", "4", "5")]


def test_one_cell_per_line_without_tabs():
    doc = read_text("二、主动公开政府信息情况\n信息内容\n本年制发件数\n规章\n0\n行政许可\n5\n\n无。\n")
    assert doc.items == [
        "二、主动公开政府信息情况",
        ("信息内容", "本年制发件数", "规章", "0"),
        ("行政许可", "5"),
        "无。",
    ]


def _laid_out(*cells: tuple[int, str]) -> str:
    """A line with each text at its column, as pdftotext -layout prints it."""
    line = ""
    for col, text in cells:
        line = line.ljust(col) + text
    return line


def test_layout_columns_join_wrapped_labels_and_stacked_headers():
    cols = (0, 14, 26, 40)
    text = "\n".join(
        [
            _laid_out(*zip(cols, ["信息内容", "本年新", "本年新公开数量", "对外公开"], strict=True)),
            _laid_out((14, "制作数量"), (40, "总数量")),
            *(
                _laid_out(*zip(cols, row, strict=False))
                for row in (
                    ["规章", "0", "0", "0"],
                    ["规范性文件", "1", "2", "3"],
                    ["第二十条第（五）项"],
                    ["行政许可", "4", "减少 5", "6"],
                    ["行政处罚", "7", "8", "9"],
                )
            ),
            _laid_out((0, "2.其他法律行政"), (11, "0"), (16, "0"), (21, "0")),
            _laid_out((0, "法规禁止公开")),
            "2021 年 1 月 20 日",
        ]
    )
    assert read_text(text).items == [
        ("信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"),
        ("规章", "0", "0", "0"),
        ("规范性文件", "1", "2", "3"),
        "第二十条第（五）项",
        ("行政许可", "4", "减少 5", "6"),
        ("行政处罚", "7", "8", "9"),
        ("2.其他法律行政法规禁止公开", "0", "0", "0"),
        "2021 年 1 月 20 日",
    ]


def test_prose_with_a_number_line_is_not_a_row():
    doc = read_text("本年度共收到申请件数较上年有所增长，主要集中在房屋征收、土地审批和社会保障领域，具体情况见下表所列各项数据。\n12\n")
    assert doc.rows == []


def _near_misses(printed: str) -> list[str]:
    """Every label one keystroke away: a character dropped, one added, one replaced."""
    out = []
    for i in range(len(printed)):
        out += [printed[:i] + printed[i + 1 :], printed[:i] + "的" + printed[i:]]
        out.append(printed[:i] + "口" + printed[i + 1 :])
    return out


@pytest.mark.parametrize("table, axis", [("active", "row"), ("active", "column"), ("applications", "row")])
def test_a_near_miss_never_names_another_row_or_column(table, axis):
    """One keystroke off any printed label gives its own key or nothing, never a neighbour's."""
    for label in labels(table, axis):
        if label.requires is not None:
            continue
        for printed in label.printed:
            for typo in _near_misses(printed):
                key = match_row(table, [typo], None) if axis == "row" else closest(table, axis, typo)
                assert key in (label.key, None), (printed, typo, key)


def test_layout_label_above_and_below_its_centred_values():
    """Cells centred vertically: a row's numbered label begins above its values."""
    values = [(22, "0"), (27, "0"), (32, "0")]
    rows = [
        [(0, "（三）不予公开"), (10, "1.属于国家秘密"), *values],
        [(10, "2.其他法律行政")],
        values,
        [(10, "法规禁止公开")],
        [(10, "3.危及“三安全")],
        [(0, "（四）无法提供"), *values],
        [(10, "一稳定”")],
    ] * 2
    doc = read_text("\n".join(_laid_out(*r) for r in rows))
    assert doc.rows[:3] == [
        ("（三）不予公开", "1.属于国家秘密", "0", "0", "0"),
        ("2.其他法律行政法规禁止公开", "0", "0", "0"),
        ("（四）无法提供", "3.危及“三安全一稳定”", "0", "0", "0"),
    ]


@pytest.mark.parametrize(
    "data, name",
    [
        ("Page8-青岛市崂山区人民政府2021年政府信息公开工作年度报告\n一、总体情况\n", "flip.txt"),
        (
            "<html><body><p>Page8-青岛市崂山区人民政府2021年政府信息公开工作年度报告</p>"
            "<p>一、总体情况</p><p>本年度工作情况如下。</p></body></html>",
            "flip.html",
        ),
    ],
)
def test_flipbook_prefix_on_the_title_line(data, name):
    report = parse_bytes(data.encode(), name)
    assert report.title == "青岛市崂山区人民政府2021年政府信息公开工作年度报告"
    assert report.agency == "青岛市崂山区人民政府"
