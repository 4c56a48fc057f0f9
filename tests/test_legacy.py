"""Pre-2019 reports: statistics tables read as data, their text, never template cells.

``../shared/real/legacy/`` holds real pages with hand-checked indicators; the fixtures of
``fixtures/legacy/`` (tests/fixtures/make_legacy_fixtures.py) hold the forms of three
provinces and the national 2014–2018 form, each in HTML, PDF and DOCX, a text-only report,
one without statistics and one whose table is a picture.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from parsers import parse_bytes, parse_file
from parsers.document import Document
from parsers.legacy_table import column_kind, read
from parsers.outline import parents
from tests.conftest import FIXTURES, load_expected

REAL = Path(__file__).resolve().parents[1].parent / "shared" / "real" / "legacy"
LEGACY = FIXTURES / "legacy"
real = pytest.mark.skipif(not REAL.exists(), reason="shared/ not beside the checkout")


def _real_cases() -> list[Path]:
    return sorted(REAL.glob("*.expected.json")) if REAL.exists() else []


@real
@pytest.mark.parametrize("exp_path", _real_cases(), ids=lambda p: p.name[:-14])
def test_real_legacy_pages(exp_path):
    exp = json.loads(exp_path.read_text(encoding="utf-8"))
    report = parse_file(REAL / exp["source"])
    assert (report.agency, report.year, report.template) == (exp["agency"], exp["year"], "legacy")
    assert report.cells == {}
    assert {k: v.value for k, v in report.indicators.items()} == exp["indicators"]
    for key, want in exp["indicator_sources"].items():
        assert report.indicators[key].source == want["source"], key
    assert [[r.label, r.unit, r.value, r.raw] for r in report.legacy_rows] == exp["legacy_rows"]


@real
def test_real_legacy_never_takes_the_cumulative_column():
    """历年累计 (cumulative since 2008) stands beside the year's column: never read."""
    for exp_path in _real_cases():
        report = parse_file(REAL / json.loads(exp_path.read_text("utf-8"))["source"])
        for row in report.legacy_rows:
            assert row.column.endswith("年度"), row
            assert row.header[-1].replace(" ", "") == "历年累计"
            assert row.raw == row.printed[2] and row.raw != row.printed[3] or row.printed[2] == row.printed[3]
        for ind in report.indicators.values():
            if ind.source == "legacy_table":
                assert "年度 = " in ind.evidence and "历年累计 not used" in ind.evidence


@real
def test_the_2011_table_is_not_read_as_the_2019_template():
    """Its row 同意部分公开答复数 | 条 | 0 | 0 was taken for table 三's 部分公开 row (two cells,
    the 历年累计 among them) and the report labelled 2019."""
    report = parse_file(REAL / "pingtan-2011.html")
    assert report.template == "legacy" and report.cells == {}
    assert report.indicators["requests_partially_granted"].evidence.startswith("2.同意部分公开答复数")


def _fixture_cases() -> list[Path]:
    return sorted(LEGACY.glob("*.expected.json"))


def _parse(exp: dict):
    if exp.get("figure"):
        return parse_bytes((LEGACY / exp["source"]).read_bytes(), exp["source"],
                           figures=[(LEGACY / exp["figure"]).read_bytes()])
    return parse_file(LEGACY / exp["source"])


@pytest.mark.parametrize("exp_path", _fixture_cases(), ids=lambda p: p.name[:-14])
def test_legacy_fixture(exp_path):
    exp = load_expected(exp_path)
    report = _parse(exp)
    assert (report.agency, report.year, report.template) == (exp["agency"], exp["year"], "legacy")
    assert report.kind == "annual_report"
    assert report.cells == {}
    assert {k: v.value for k, v in report.indicators.items()} == exp["indicators"]
    assert {k: v.source for k, v in report.indicators.items()} == exp["indicator_sources"]
    assert [[r.label, r.unit, r.raw] for r in report.legacy_rows] == exp["rows"]
    if exp.get("warning"):
        assert any(exp["warning"] in w for w in report.warnings)
    assert not report.narrative_disagreements


def test_every_form_in_three_formats():
    stems = {p.name.split(".")[0] for p in LEGACY.glob("*.expected.json")}
    for stem in ("fujian_2015", "gansu_2012", "jiangsu_2016", "national_2017"):
        assert stem in stems
        for suffix in (".html", ".pdf", ".docx"):
            assert (LEGACY / f"{stem}{suffix}").exists() and (LEGACY / f"{stem}{suffix}.expected.json").exists()


def test_no_statistics_says_so():
    report = parse_file(LEGACY / "nostats_2010.html")
    assert report.indicators == {} and report.legacy_rows == []
    assert any(w.startswith("no statistics") for w in report.warnings)


def test_picture_table_goes_through_ocr():
    exp = load_expected(LEGACY / "picture_2014.html.expected.json")
    page = _parse(exp)
    without = parse_file(LEGACY / "picture_2014.html")
    assert without.indicators == {}  # the page's own text states no number
    assert page.indicators["proactive_items"].value == 932


def test_gansu_takes_the_year_total_not_the_month():
    report = parse_file(LEGACY / "gansu_2012.html")
    assert all(r.column == "本年累计" for r in report.legacy_rows)
    assert report.indicators["requests_received"].value == 19  # 本期实际 (December) says 2
    # 否决公开答复总数 7 holds every refusal; the exemptions (免予公开范围) are 2
    assert report.indicators["requests_denied"].value == 2
    assert "免予公开范围" in report.indicators["requests_denied"].evidence
    assert report.indicators["requests_not_held"].value == 3


def test_national_form_groups_and_parts():
    report = parse_file(LEGACY / "national_2017.html")
    ind = report.indicators
    assert ind["requests_granted"].value == 41 and "属于已主动公开范围" in ind["requests_granted"].evidence
    assert (ind["reconsiderations_corrected"].value, ind["lawsuits_corrected"].value) == (1, 0)
    assert ind["requests_answered"].evidence.startswith("（二）申请办结数")
    # 其中：主动公开规范性文件数 is no row of table 二 (规范性文件): no template cell at all
    assert report.cells == {} and report.template == "legacy"


def test_jiangsu_never_takes_last_year_or_the_change():
    report = parse_file(LEGACY / "jiangsu_2016.pdf")
    assert {r.column for r in report.legacy_rows} == {"2016年"}
    assert report.indicators["lawsuits"].value == 1  # 2015年 says 2, 增减 -1


def test_text_only_report_phrasings():
    report = parse_file(LEGACY / "textonly_2013.txt")
    ind = report.indicators
    assert ind["requests_received"].evidence.startswith("2013年，本区共受理政府信息公开申请120件")
    assert ind["requests_denied"].value == 3  # 否决公开的为25件 is every refusal
    assert ind["requests_not_held"].value == 18  # 信息不存在 10 + 非本部门掌握 8, one sentence
    assert ind["proactive_items"].value == 4820  # not 区政府各部门 3100 nor 各街道镇 1720


def test_column_kinds():
    assert column_kind("2011 年度", 2011) == "named_year"
    assert column_kind("2010年", 2011) == "previous"
    assert column_kind("历年 累计", 2011) == "cumulative"
    assert column_kind("本年累计", 2012) == "year"
    assert column_kind("本期实际", 2012) == "period"
    assert column_kind("本年新制作数量", 2019) is None  # a 2019 template header, not a legacy one


def test_sub_rows_under_their_parent():
    fujian = ["主动公开信息数", "其中：1.网站公开", "2.政府公报公开", "受理依申请公开信息总数",
              "其中：1.当面申请数", "行政复议数"]
    assert parents(fujian) == [None, 0, 0, None, 3, None]
    national = ["三、依申请公开情况", "（三）申请答复数", "4.不同意公开答复数", "其中：涉及国家秘密",
                "涉及商业秘密", "5.不属于本行政机关公开数", "四、行政复议数量", "（二）被依法纠错数"]
    assert parents(national) == [None, 0, 1, 2, 2, 1, None, 6]


def test_rowspanned_qizhong_cells_stay_siblings():
    labels = ["申请总数", "其中1.当面申请数", "其中2.传真申请数", "对申请的答复总数"]
    assert parents(labels) == [None, 0, 0, None]


def test_headerless_table_with_two_value_columns_is_not_guessed():
    rows = [("主动公开信息数", "条", "425", "1516"), ("受理依申请公开信息总数", "条", "3", "9"),
            ("行政复议数", "件", "0", "1"), ("行政诉讼数", "件", "0", "0")]
    got = read(list(rows), 2011)
    assert got.indicators == {} and len(got.rows) == 4
    assert any("历年累计" in w for w in got.warnings)
    one_column = read([r[:3] for r in rows], 2011)
    assert one_column.indicators["proactive_items"].value == 425


def test_a_table_with_only_a_cumulative_column_gives_no_indicator():
    rows = [("指标名称", "计量单位", "历年累计"), ("主动公开信息数", "条", "1516"),
            ("行政复议数", "件", "3")]
    got = read(list(rows), 2011)
    assert got.indicators == {} and [r.value for r in got.rows] == [None, None]
    assert any("no column of the year" in w for w in got.warnings)


def test_legacy_json_has_indicators_and_rows():
    d = parse_file(LEGACY / "fujian_2015.html").to_dict()
    assert set(d["indicators"]["requests_received"]) >= {"value", "source", "evidence"}
    assert {"label", "unit", "value", "raw", "column"} <= set(d["legacy_rows"][0])
    assert re.search(r"受理依申请公开信息总数 \| 条 \| 2015年度 = 37", d["indicators"]["requests_received"]["evidence"])


def test_document_reader_independent():
    """The legacy reader takes a Document's items, whichever format made them."""
    doc = Document(items=["附表", ("指标名称", "计量单位", "2016年度", "历年累计"),
                          ("行政诉讼数", "件", "2", "7")])
    assert read(doc.items, 2016).indicators["lawsuits"].value == 2


def test_cli_prints_indicators_and_legacy_rows():
    from click.testing import CliRunner

    from archive.cli import cli

    out = json.loads(CliRunner().invoke(cli, ["parse", str(LEGACY / "gansu_2012.docx"), "--json"]).output)
    assert out["template"] == "legacy" and out["cells"] == {}
    assert out["indicators"]["requests_received"] == {
        "value": 19, "source": "legacy_table", "evidence": "申请总数 | 条 | 本年累计 = 19 (本期实际 not used)",
        "where": out["legacy_rows"][7]["where"]}  # where its row's year's cell stands
    assert set(out["legacy_rows"][7]["where"]) == {"table", "row", "col"}
    assert out["legacy_rows"][7]["label"] == "申请总数" and out["legacy_rows"][7]["column"] == "本年累计"
    summary = CliRunner().invoke(cli, ["parse", str(LEGACY / "gansu_2012.docx")]).output
    assert "requests_denied" in summary and "legacy_table" in summary and "32 rows" in summary


def test_table_wins_and_the_text_disagreeing_is_a_narrative_check():
    from layouts.legacy import render_legacy_html

    numbers = {"proactive_items": 900, "requests_received": 37, "requests_answered": 35,
               "requests_granted": 20, "requests_partially_granted": 5, "requests_denied": 3,
               "reconsiderations": 1, "lawsuits": 0}
    page = render_legacy_html("福州市仓山区人民政府", 2015, numbers).replace(
        "共受理政府信息公开申请37件", "共受理政府信息公开申请40件")
    report = parse_bytes(page.encode(), "x.html")
    assert report.indicators["requests_received"].value == 37
    assert report.indicators["requests_received"].source == "legacy_table"
    (bad,) = report.narrative_disagreements
    assert (bad.scope, bad.expected, bad.actual) == ("received", 37, 40)
    assert "共受理政府信息公开申请40件" in bad.note


@pytest.mark.parametrize("sentence, answered", [
    ("共收到政府信息公开申请12件，办结12件，其中同意公开10件。", 12),
    ("受理政府信息公开申请8件，均已办结8件。", 8),
    ("收到政府信息公开申请5件，其中按时办结4件。", None),  # on time is a part, not the total answered
])
def test_answered_stated_after_the_requests_received(tmp_path, sentence, answered):
    text = ("某县人民政府2012年政府信息公开工作年度报告\n一、概述\n2012年，我县贯彻落实《条例》。\n"
            f"二、依申请公开政府信息情况\n2012年，{sentence}\n三、行政复议和行政诉讼情况\n"
            "2012年，未发生因政府信息公开申请行政复议、提起行政诉讼的情况。\n")
    path = tmp_path / "report.txt"
    path.write_text(text, encoding="utf-8")
    ind = parse_file(path).indicators
    assert ind["requests_received"].value > 0
    assert (ind["requests_answered"].value if "requests_answered" in ind else None) == answered


def test_requests_counted_in_qi_before_yishenqing_gongkai(tmp_path):
    """海南省质监局 2014 (as published): the number before 起 and 依申请公开 after it."""
    text = ("海南省质量技术监督局2014年政府信息公开工作年度报告\n一、主动公开政府信息情况\n"
            "2014年，我局对官网进行了全面改版。\n二、依申请公开和不予公开政府信息情况\n"
            "2014年，我局收到12起政府信息依申请公开，均严格按程序和时限办理。\n"
            "三、因政府信息公开申请行政复议、提起行政诉讼情况\n"
            "全年未发生因政府信息公开产生申请行政复议或者提起行政诉讼的情况。\n")
    path = tmp_path / "hainan_2014.txt"
    path.write_text(text, encoding="utf-8")
    ind = parse_file(path).indicators
    assert ind["requests_received"].value == 12
    assert "收到12起" in ind["requests_received"].evidence


def _legacy_text(tmp_path: Path, requests: str, review: str = "") -> dict:
    text = ("某某局2012年政府信息公开工作年度报告\n一、主动公开政府信息情况\n2012年，共主动公开政府信息12条。\n"
            f"二、依申请公开政府信息和不予公开政府信息的情况\n{requests}\n"
            f"三、因政府信息公开申请行政复议、提起行政诉讼的情况\n{review}\n")
    path = tmp_path / "report.txt"
    path.write_text(text, encoding="utf-8")
    report = parse_file(path)
    return {"indicators": {k: v.value for k, v in report.indicators.items()}, "warnings": report.warnings}


@pytest.mark.parametrize("sentence", [
    "本单位未收到申请公开政府信息件。",  # a 2012 bureau report, as published
    "本年度没有收到群众的政府信息公开申请。",  # 曲阜, 2012
    "未收到要求公开其它信息的申请，也不存在不予公开政府信息。",  # 桦甸 新华街道, 2012
    "未收到公民、法人或其他组织提出的政府信息公开申请。",
])
def test_no_requests_said_the_ways_offices_say_it(tmp_path, sentence):
    assert _legacy_text(tmp_path, sentence)["indicators"]["requests_received"] == 0


def test_a_request_for_review_is_not_a_request_for_information(tmp_path):
    got = _legacy_text(tmp_path, "2012年未收到公民因政府信息公开申请提起的行政复议。")
    assert "requests_received" not in got["indicators"] and got["indicators"]["reconsiderations"] == 0


def test_one_negation_covers_review_and_lawsuit(tmp_path):
    """未发生…行政复议和行政诉讼 states both zeros; a number after a comma stays its own."""
    both = _legacy_text(tmp_path, "没有收到政府信息公开申请。", "2012年度，未发生因信息公开而引起的行政复议和行政诉讼。")
    assert both["indicators"]["reconsiderations"] == 0 and both["indicators"]["lawsuits"] == 0
    apart = _legacy_text(tmp_path, "没有收到政府信息公开申请。", "未发生因政府信息公开申请行政复议案件，行政诉讼1起。")
    assert apart["indicators"]["reconsiderations"] == 0 and apart["indicators"]["lawsuits"] == 1


def test_a_report_silent_on_requests_says_so(tmp_path):
    """Other figures read but no request count: a warning names the gap, not a silent blank."""
    got = _legacy_text(tmp_path, "2012年，我局严格按照规定程序办理依申请公开事项。")
    assert "requests_received" not in got["indicators"] and got["indicators"]["proactive_items"] == 12
    assert [w for w in got["warnings"] if w.startswith("no request count")]
    stated = _legacy_text(tmp_path, "本年度共收到政府信息公开申请5件。")
    assert not [w for w in stated["warnings"] if w.startswith("no request count")]


LEGACY_SCANS = FIXTURES / "legacy_scans"


@pytest.mark.parametrize("exp_path", sorted(LEGACY_SCANS.glob("*.expected.json")), ids=lambda p: p.name[:-14])
def test_a_scanned_legacy_report(exp_path):
    """A form printed, sealed and scanned askew: its statistics table read by OCR gives the
    PDF's indicators, from the table (the 历年累计 column of Fujian's form never read)."""
    exp = load_expected(exp_path)
    report = parse_file(LEGACY_SCANS / exp["source"])
    assert (report.year, report.template, report.kind) == (exp["year"], "legacy", "annual_report")
    assert {k: v.value for k, v in report.indicators.items()} == exp["indicators"]
    assert {k: v.source for k, v in report.indicators.items()} == exp["indicator_sources"]
    assert len(report.legacy_rows) == exp["rows"]
    assert all(r.where and r.where.get("page") for r in report.legacy_rows if r.indicator)


def test_a_top_level_marker_lost_in_ocr_is_put_back_by_row_order():
    from parsers.outline import restore_markers

    labels = ["一主动公开情况", "（一）主动公开政府信息数", "二、依申请公开情况", "（一）收到申请数",
              "三行政复议数量", "（一）被依法纠错数", "四、行政诉讼数量", "（一）被依法纠错数"]
    restored = restore_markers(labels)
    assert restored[0] == "一、主动公开情况" and restored[4] == "三、行政复议数量"
    assert parents(restored)[5] == 4 and parents(restored)[7] == 6  # each 纠错 under its own head
    # a word that opens with a numeral, out of the sequence, stays a label
    kept = ["一、主动公开情况", "一般公开事项", "二、依申请公开情况", "三维地图公开数", "三、行政复议数量"]
    assert restore_markers(kept) == kept
    # no printed top-level row at all: nothing to go by, nothing changed
    assert restore_markers(["一主动公开情况", "二依申请公开情况"]) == ["一主动公开情况", "二依申请公开情况"]
