"""The published archive through Datasette's own test client: search, facets, queries, pages."""

from __future__ import annotations

import asyncio
import csv
import io
import re
import sqlite3
from pathlib import Path

import httpx
import pytest

from archive.web.plugin import rewrite_search
from archive.web.serve import datasette_instance
from tests.archive_fixture import make_db


@pytest.fixture(scope="module")
def db_path(tmp_path_factory) -> Path:
    return make_db(tmp_path_factory.mktemp("datasette"))


@pytest.fixture(scope="module")
def ds(db_path):
    return datasette_instance(db_path, archive_dir=db_path.parent / "archive")


def get(ds, path: str) -> httpx.Response:
    return asyncio.run(ds.client.get(path))


def rows(db_path: Path, sql: str, params=()) -> list[sqlite3.Row]:
    conn = sqlite3.connect(db_path)
    conn.row_factory = sqlite3.Row
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def report_id(db_path: Path, seed: str) -> str:
    return rows(db_path, "select id from reports where url like ?", [f"%/{seed}_%"])[0]["id"]


def td(page: str, key: str) -> tuple[str, str]:
    """(class, text) of the report page's cell for a key."""
    m = re.search(rf'<td class="([^"]*)"\s+data-key="{re.escape(key)}"[^>]*>(?:<a class="evidence" [^>]*>)?([^<]*)(?:</a>)?</td>', page)
    assert m, f"no cell {key}"
    return m.group(1), m.group(2)


def test_facets_on_reports(ds):
    data = get(ds, "/nianbao/reports.json").json()
    facets = data["facet_results"]
    assert {"year", "template", "agency", "checks_failing"} <= set(facets)
    assert {r["value"] for r in facets["template"]["results"]} == {"2019", "2021"}


@pytest.mark.parametrize("name", ["applications_by_outcome", "failing_balance",
                                  "litigation_by_agency"])
def test_canned_queries_return_rows(ds, name):
    response = get(ds, f"/nianbao/{name}.json?_shape=array")
    assert response.status_code == 200
    assert response.json(), name


def test_failing_balance_lists_the_failing_reports(ds, db_path):
    got = {r["report"] for r in get(ds, "/nianbao/failing_balance.json?_shape=array").json()}
    assert {report_id(db_path, "002"), report_id(db_path, "003")} <= got
    assert report_id(db_path, "000") not in got


@pytest.mark.parametrize("view", ["table3_totals", "table4_review", "table2_2019", "table2_2021"])
def test_wide_views_one_row_per_report(ds, db_path, view):
    got = get(ds, f"/nianbao/{view}.json?_shape=array&_size=max").json()
    template = view.removeprefix("table2_") if view.startswith("table2_") else None
    expected = {r["id"] for r in rows(db_path, "select id, template from reports")
                if r["template"] in ("2019", "2021") and template in (None, r["template"])}
    assert len(got) == len(expected) and {r["report"] for r in got} == expected


@pytest.mark.parametrize("term", ["复议", "行政复议", "阳光政务开放日", "不存在的词语"])
def test_chinese_search_finds_reports_containing_the_term(ds, db_path, term):
    data = get(ds, f"/nianbao/reports.json?_search={term}&_shape=array&_size=max&_col=id").json()
    expected = {r["id"] for r in rows(db_path, "select id, title, body from reports join report_texts on report_id = id")
                if term in (r["body"] or "") or term in (r["title"] or "")}
    assert {r["id"] for r in data} == expected


def test_discriminating_term_finds_one_report(ds, db_path):
    data = get(ds, "/nianbao/reports.json?_search=阳光政务开放日&_shape=array").json()
    assert [r["id"] for r in data] == [report_id(db_path, "000")]


def test_search_box_shows_what_was_typed(ds):
    page = get(ds, "/nianbao/reports?_search=行政复议").text
    assert 'name="_search" value="行政复议"' in page
    assert "/-/report/" in page and "/-/agency/" in page  # render_cell links


def test_rewrite_is_idempotent():
    once = rewrite_search("_search=行政复议&_sort=year".encode())
    assert rewrite_search(once) == once
    assert b"_q=%E8%A1%8C%E6%94%BF%E5%A4%8D%E8%AE%AE" in once  # 行政复议
    assert rewrite_search(b"_sort=year") == b"_sort=year"


def test_csv_export(ds, db_path):
    response = get(ds, "/nianbao/reports.csv?_size=max")
    assert response.status_code == 200
    table = list(csv.reader(io.StringIO(response.text)))
    assert table[0][:2] == ["id", "agency"]
    assert len(table) - 1 == len(rows(db_path, "select id from reports"))


def test_database_download(ds, db_path):
    response = get(ds, "/nianbao.db")
    assert response.status_code == 200
    assert response.content == db_path.read_bytes()


@pytest.mark.parametrize("seed,failing", [("003", {"balance", "row_total", "outcome_sum"}),
                                          ("002", {"balance"})])
def test_report_page_marks_failing_checks(ds, db_path, seed, failing):
    rid = report_id(db_path, seed)
    page = get(ds, f"/-/report/{rid}").text
    total = rows(db_path, "select value from cells where report_id = ? and key = ?",
                 [rid, "applications.total_processed.total"])[0]["value"]
    cls, text = td(page, "applications.total_processed.total")
    assert text == str(int(total))
    assert "check-failed" in page
    for name in failing:
        assert re.search(rf'<tr class="check-failed">\s*<td>{name}</td>', page), name
    failing_col = rows(db_path, "select scope from checks where report_id = ? and "
                       "check_name = 'balance' and ok = 0", [rid])[0]["scope"]
    assert "check-failed" in td(page, f"applications.new_received.{failing_col}")[0]


def test_report_page_of_a_passing_report(ds, db_path):
    rid = report_id(db_path, "000")
    page = get(ds, f"/-/report/{rid}").text
    assert not re.search(r'<td class="[^"]*check-failed', page)
    assert "All evaluated checks pass" in page
    for heading in ("二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                    "四、政府信息公开行政复议、行政诉讼情况", "行政复议", "复议后起诉"):
        assert heading in page
    assert f'href="/-/original/{rid}"' in page and "http://www.example.gov.cn/" in page
    assert "阳光政务开放日" in page  # the sections' text


def test_original_bytes(ds, db_path):
    rid = report_id(db_path, "003")
    sha = rows(db_path, "select sha256 from reports where id = ?", [rid])[0]["sha256"]
    response = get(ds, f"/-/original/{rid}")
    assert response.status_code == 200
    assert response.content == (db_path.parent / "archive" / "blobs" / sha[:2] / sha).read_bytes()
    assert response.headers["content-type"].startswith("text/plain")


def test_original_unavailable(db_path, tmp_path):
    bare = datasette_instance(db_path, archive_dir=tmp_path / "none")
    rid = report_id(db_path, "003")
    assert get(bare, f"/-/original/{rid}").status_code == 404
    assert "not available in this copy of the archive" in get(bare, f"/-/report/{rid}").text


def test_missing_pages_are_404(ds):
    assert get(ds, "/-/report/nope").status_code == 404
    assert get(ds, "/-/agency/nobody").status_code == 404


def test_agency_page_has_charts(ds, db_path):
    name = "青岛市城阳区人民政府"
    page = get(ds, f"/-/agency/{name}").text
    assert "/static/charts.js" in page and page.count("data-chart=") == 2
    assert "本年度办理结果" in page and report_id(db_path, "000") in page
    script = get(ds, "/static/charts.js")
    assert script.status_code == 200 and "createElementNS" in script.text
    index = get(ds, "/-/agency/").text
    assert "/-/agency/%E9%9D%92" in index  # links to the agencies' pages, names percent-encoded


def test_plain_datasette_finds_templates_and_static(db_path):
    """`datasette nianbao.db -m metadata.yml` (no template dir, no static mount) works too."""
    from datasette.app import Datasette

    from archive.web.serve import METADATA, _register_plugin, load_metadata

    _register_plugin()
    plain = Datasette(immutables=[str(db_path)], metadata=load_metadata("nianbao", METADATA))
    rid = report_id(db_path, "002")
    assert "check-failed" in get(plain, f"/-/report/{rid}").text
    assert get(plain, "/static/charts.js").status_code == 200
    assert get(plain, "/nianbao/reports.json?_search=行政复议&_shape=array").json()


def test_narrative_disagreements_on_page_and_in_query(ds, db_path):
    rid = report_id(db_path, "000")
    got = get(ds, "/nianbao/narrative_disagreements.json?_shape=array").json()
    mine = [r for r in got if r["report"] == rid]
    assert [(r["statement"], r["table_number"], r["text_number"]) for r in mine] == [
        ("received", 365, 360)]
    assert {(r["table_number"], r["text_number"]) for r in got
            if r["report"] == report_id(db_path, "002")} == {(94, 96)}
    page = get(ds, f"/-/report/{rid}").text
    assert re.search(r'<tr class="narrative-failed" data-scope="received">', page)
    assert "共收到信息公开申请 360 件" in page
    assert "narrative-failed" in td(page, "applications.new_received.total")[0]
    counts = get(ds, "/nianbao/narrative_by_year.json?_shape=array").json()
    assert sum(r["disagree"] for r in counts) == len(got) >= 3


def test_check_explanations_on_page_and_in_metadata(ds, db_path):
    import yaml

    from archive.web.check_help import check_help

    page = get(ds, f"/-/report/{report_id(db_path, '002')}").text
    meta = yaml.safe_load((Path(__file__).parents[1] / "metadata.yml").read_text("utf-8"))
    described = meta["databases"]["nianbao"]["tables"]["checks"]["description_html"]
    helps = check_help()
    assert set(helps) == {"balance", "row_total", "outcome_sum", "review_total", "narrative", "carryover"}
    for h in helps.values():
        assert f'id="check-{h.check}"' in page
        for text in (h.rule, h.zh):
            assert text in page and text in described, (h.check, text)
        assert h.en.replace("'", "&#39;") in page
    assert "一、本年新收政府信息公开申请数量 + 二、上年结转政府信息公开申请数量" in page


@pytest.mark.parametrize("text, term, found", [
    ("本年度行政复议2件。", "行政复议", True),
    ("本年度行政复议2件。", "复议", True),
    ("本年度行政复议2件。", "复", True),           # one character: the pair it begins
    ("本年度行政复议2件。", "议", True),           # ... or the run's last character
    ("本年度行政复议2件。", "复议2", True),
    ("本年度行政复议2件。", "议2件", True),
    ("本年度行政复议2件。", "2件", True),
    ("本年度行政复议2件。", "行政 2件", True),      # two terms, each anywhere
    ("本年度行政复议2件。", "行政诉讼", False),
    ("本年度行政复议2件。", "复议3", False),
    ("本年度行政复议2件。", "政行", False),
    ("答复申请人", "答复", True),
    ("答复申请人", "复申", True),
    ("答复申请人", "请人", True),
    ("答复申请人", "人申", False),
])
def test_pairs_find_exactly_the_substrings(text, term, found):
    """The pair index finds a term where the characters stand together, and only there."""
    from archive.schema import cjk

    conn = sqlite3.connect(":memory:")
    conn.execute("create virtual table t using fts5(body, tokenize='unicode61')")
    conn.execute("insert into t(rowid, body) values (1, ?)", [cjk.spaced(text)])
    got = conn.execute("select count(*) from t where t match ?", [cjk.query(term)]).fetchone()[0]
    assert bool(got) == found, (cjk.spaced(text), cjk.query(term))
    assert found == all(t in text for t in term.split())  # the rule it stands for


def test_a_search_counts_its_search_facets_and_what_is_asked(ds):
    plain = get(ds, "/nianbao/reports.json").json()["facet_results"]
    searched = get(ds, "/nianbao/reports.json?_search=复议").json()["facet_results"]
    asked = get(ds, "/nianbao/reports.json?_search=复议&_facet=agency").json()["facet_results"]
    assert {"year", "template", "agency", "checks_failing", "format"} <= set(plain)
    assert set(searched) == {"year", "template"}
    assert set(asked) == {"year", "template", "agency"}
    # counted side by side, but each as Datasette counts it
    assert sum(r["count"] for r in searched["year"]["results"]) == get(
        ds, "/nianbao/reports.json?_search=复议").json()["filtered_table_rows_count"]
