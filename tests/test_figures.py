"""Reports whose tables are pictures inside the page (<img>): the page gives the title,
agency and text, the pictures the cells (by OCR, marked so)."""

from __future__ import annotations

import pytest

from parsers import parse_bytes
from tests.conftest import FIXTURES, load_expected


def page_with_pictures(agency: str, year: int, names: list[str]) -> bytes:
    imgs = "".join(f'<p style="text-align:center"><img src="/uploadfile/{n}" width="800"></p>' for n in names)
    return f"""<html><head><meta charset="utf-8"><title>{agency}{year}年政府信息公开工作年度报告</title></head>
<body><div class="header">{agency}</div><div class="article"><h1>{agency}{year}年政府信息公开工作年度报告</h1>
<p>本报告由{agency}根据《中华人民共和国政府信息公开条例》编制，统计期限自{year}年1月1日起至{year}年12月31日止。</p>
<p>一、总体情况</p><p>{year}年，本机关认真贯彻落实《条例》，持续推进政务公开。</p>
<p>二、主动公开政府信息情况</p>{imgs}
<p>五、存在的主要问题及改进情况</p><p>公开内容的全面性有待提高。</p>
<p>六、其他需要报告的事项</p><p>无。</p></div></body></html>""".encode()


@pytest.mark.parametrize("picture", ["yicheng_2019_tables.jpg", "laoshan_2021_tables.png"])
def test_tables_as_pictures_in_the_page(picture):
    exp = load_expected(FIXTURES / "scans" / f"{picture}.expected.json")
    html = page_with_pictures("烟台市福山区人民政府", exp["year"], [picture])
    report = parse_bytes(html, "page.html", "text/html; charset=utf-8",
                         figures=[(FIXTURES / "scans" / picture).read_bytes()])
    assert (report.agency, report.year, report.template) == ("烟台市福山区人民政府", exp["year"], exp["template"])
    got = {k: c.value for k, c in report.cells.items()}
    right = sum(got.get(k, "absent") == v for k, v in exp["cells"].items())
    assert right >= 0.98 * len(exp["cells"]), f"{right}/{len(exp['cells'])}"
    assert all(c.ocr for c in report.cells.values())
    assert report.sections and "持续推进政务公开" in report.sections[0]["text"]


def test_a_picture_that_cannot_be_read_is_named():
    html = page_with_pictures("烟台市福山区人民政府", 2022, ["broken.png"])
    report = parse_bytes(html, "page.html", "text/html", figures=[b"\x89PNG\r\n\x1a\n\x00\x00"])
    assert report.cells == {} and any("picture 1 of the page" in w for w in report.warnings)


def test_a_page_with_its_own_tables_ignores_its_pictures(fixtures):
    html = (fixtures / "html" / "hanweb_2021.html").read_bytes()
    exp = load_expected(fixtures / "html" / "hanweb_2021.expected.json")
    report = parse_bytes(html, "hanweb.html", None, figures=[b"not even a picture"])
    assert {k: c.value for k, c in report.cells.items()} == exp["cells"]
    assert not any(c.ocr for c in report.cells.values())
