"""Property tests: rendering then parsing is the identity; junk never crashes."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from layouts.render import render_html, render_text
from parsers import ParseError, parse_bytes
from parsers.templates import APPLICANT_COLUMNS, REVIEW_GROUPS, printed_keys, unit

AGENCIES = [
    "青岛市城阳区人民政府",
    "崂山区王哥庄街道办事处",
    "枣庄市峄城区教育局",
    "青岛高新技术产业开发区管理委员会",
]
maybe_count = st.one_of(st.none(), st.integers(0, 99999))


@st.composite
def filled_template(draw):
    """A template filled at random, its printed totals agreeing with their rows; a 2021
    report prints （六）其他处理 in either form (three rows, or the 2019 single row)."""
    template = draw(st.sampled_from(["2019", "2021"]))
    printed = printed_keys(template, whole=template == "2021" and draw(st.booleans()))
    cells: dict = {}
    for key in printed:
        table, row, col = key.split(".")
        if table == "active":
            if unit(key) == "wan_yuan":
                cells[key] = draw(
                    st.one_of(st.none(), st.integers(0, 10**8).map(lambda c: round(c / 100, 2)))
                )
            elif col == "change":
                cells[key] = draw(st.one_of(st.none(), st.integers(-5000, 5000)))
            else:
                cells[key] = draw(maybe_count)
    rows = {k.split(".")[1] for k in printed if k.startswith("applications.")}
    for row in sorted(rows):
        parts = [draw(maybe_count) for _ in APPLICANT_COLUMNS[:-1]]
        for col, v in zip(APPLICANT_COLUMNS, parts, strict=False):
            cells[f"applications.{row}.{col}"] = v
        total = sum(v or 0 for v in parts)
        cells[f"applications.{row}.total"] = None if total == 0 and draw(st.booleans()) else total
    for group in REVIEW_GROUPS:
        parts = [draw(st.one_of(st.none(), st.integers(0, 99))) for _ in range(4)]
        for outcome, v in zip(("upheld", "corrected", "other", "pending"), parts, strict=True):
            cells[f"review.{group}.{outcome}"] = v
        cells[f"review.{group}.total"] = sum(v or 0 for v in parts)
    agency = draw(st.sampled_from(AGENCIES))
    year = draw(st.integers(2019, 2020) if template == "2019" else st.integers(2021, 2025))
    return template, cells, agency, year


def _assert_round_trip(data: bytes, name: str, template, cells, agency, year):
    report = parse_bytes(data, name)
    assert report.template == template
    assert {k: c.value for k, c in report.cells.items()} == cells
    assert report.agency == agency
    assert report.year == year


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(filled_template())
def test_html_round_trip(doc):
    template, cells, agency, year = doc
    page = render_html(cells, template, agency, year).encode()
    _assert_round_trip(page, "report.html", *doc)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(filled_template(), st.booleans())
def test_text_round_trip(doc, one_cell_per_line):
    template, cells, agency, year = doc
    text = render_text(cells, template, agency, year, one_cell_per_line=one_cell_per_line)
    _assert_round_trip(text.encode(), "report.txt", *doc)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(filled_template())
def test_gbk_html_round_trip(doc):
    template, cells, agency, year = doc
    page = render_html(cells, template, agency, year).encode("gb18030")
    _assert_round_trip(page, "report.html", *doc)


FRAGMENTS = [
    "<table>",
    "</table>",
    "<tr>",
    "</tr>",
    "<td>",
    "</td>",
    '<td rowspan="999999">',
    '<td colspan="70">',
    '<td rowspan="x">',
    "<p>",
    "</p>",
    "<br>",
    "\t",
    "\n",
    "\n\n",
    "总计",
    "自然人",
    "1.属于国家秘密",
    "（七）总计",
    "3.其他",
    "行政许可",
    "信息内容",
    "本年增/减",
    "结果维持",
    "三、收到和处理政府信息公开申请情况",
    "二、主动公开政府信息情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "减少",
    "12",
    "1.5亿元",
    "—",
    "<o:p>",
    "&nbsp;",
    "<!--",
    "-->",
    "<script>",
    "</script>",
    "\x00",
    "\ufeff",
    "2020年",
    "报告",
]


def _parse_or_clean_error(data: bytes, name: str) -> None:
    try:
        report = parse_bytes(data, name)
    except ParseError as e:
        assert str(e)
        return
    for check in report.checks:
        assert check.ok in (True, False, None)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=80), st.sampled_from(["x.html", "x.txt", "x"]))
def test_junk_from_report_fragments_never_crashes(parts, name):
    _parse_or_clean_error("".join(parts).encode("utf-8"), name)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000), st.sampled_from(["x.html", "x.txt", "x.pdf", ""]))
def test_random_bytes_never_crash(data, name):
    _parse_or_clean_error(data, name)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=500))
def test_random_text_never_crashes(text):
    _parse_or_clean_error(text.encode("utf-8", "surrogatepass"), "x.txt")
