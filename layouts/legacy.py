"""A pre-2019 report in the Fujian form (指标名称 | 计量单位 | YYYY年度 | 历年累计), as HTML or text.

The inverse of parsers.legacy_table for one province's form: the benchmarks' generated
legacy reports and the tests' archives of an agency reporting from 2011. The sub-rows are
derived from the totals (channels add up to the total, outcomes to the replies), and the
历年累计 column holds a larger number than the year's, so a reader taking it is caught.
"""

from __future__ import annotations

import html
from collections.abc import Mapping

# (label, unit, the number it prints): a key of the numbers, or a share of one
FUJIAN_ROWS = (
    ("主动公开文件数", "条", "proactive_items"),
    ("其中：1、政府网站公开数", "条", ("proactive_items", 0.9)),
    ("2、政府公报公开数", "条", ("proactive_items", 0.1)),
    ("受理依申请公开信息总数", "条", "requests_received"),
    ("其中：1、当面申请数", "条", ("requests_received", 0.3)),
    ("2、网上申请数", "条", ("requests_received", 0.7)),
    ("对申请的答复总数", "条", "requests_answered"),
    ("其中：1、同意公开答复数", "条", "requests_granted"),
    ("2、同意部分公开答复数", "条", "requests_partially_granted"),
    ("3、不予公开答复数", "条", "requests_denied"),
    ("行政复议数", "件", "reconsiderations"),
    ("行政诉讼数", "件", "lawsuits"),
)
INDICATORS = tuple(r[2] for r in FUJIAN_ROWS if isinstance(r[2], str))


def _printed(numbers: Mapping[str, int], what) -> int:
    if isinstance(what, str):
        return numbers[what]
    key, share = what
    whole = numbers[key]
    first = round(whole * share)
    return first if share >= 0.5 else whole - round(whole * (1 - share))


def rows(numbers: Mapping[str, int], year: int) -> list[tuple[str, str, str, str]]:
    """The table's rows: label, unit, the year's value, the cumulative since 2008."""
    out = []
    for label, unit, what in FUJIAN_ROWS:
        v = _printed(numbers, what)
        out.append((label, unit, str(v), str(v * (year - 2007) + 3)))
    return out


def title(agency: str, year: int) -> str:
    return f"{agency}{year}年政府信息公开工作年度报告"


def _prose(agency: str, year: int, numbers: Mapping[str, int]) -> list[str]:
    return [
        "一、概述",
        f"{year}年，{agency}认真贯彻《条例》和《福建省政府信息公开办法》，政府信息公开工作稳步推进。",
        "二、主动公开政府信息的情况",
        f"{year}年主动公开政府信息{numbers['proactive_items']}条。",
        "三、政府信息依申请公开办理情况",
        f"{year}年共受理政府信息公开申请{numbers['requests_received']}件。",
        "四、因政府信息公开申请行政复议、提起行政诉讼的情况",
        f"{year}年因政府信息公开被申请行政复议{numbers['reconsiderations']}件，被提起行政诉讼{numbers['lawsuits']}件。",
        "五、需要说明的事项与附表",
        f"附表：{agency}{year}年政府信息公开情况统计表",
    ]


def render_legacy_html(agency: str, year: int, numbers: Mapping[str, int]) -> str:
    """A CMS page: the report's text, then the form as a Word table pasted into it."""
    cell = ('<td style="border:solid windowtext 1.0pt"><p class="MsoNormal" align="center">'
            '<span style="font-family:仿宋_GB2312">{}</span><o:p></o:p></p></td>')
    header = ["指标名称", "计量<br/>单位", f"{year}<br/>年度", "历年<br/>累计"]
    trs = ["<tr>" + "".join(cell.format(h) for h in header) + "</tr>"]
    trs += ["<tr>" + "".join(cell.format(html.escape(c)) for c in row) + "</tr>" for row in rows(numbers, year)]
    body = "".join(f"<p class=\"MsoNormal\">{html.escape(p)}</p>" for p in _prose(agency, year, numbers))
    t = html.escape(title(agency, year))
    return (f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{t}</title></head><body>"
            f"<div class=\"position\">当前位置：首页 &gt; 政府信息公开年报</div><h1>{t}</h1>"
            f"<div class=\"TRS_Editor\">{body}<table border=\"1\" cellspacing=\"0\">{''.join(trs)}</table>"
            f"</div></body></html>")


def render_legacy_text(agency: str, year: int, numbers: Mapping[str, int]) -> str:
    """The same report as plain text, the table's cells tab-separated."""
    lines = [title(agency, year), "", *_prose(agency, year, numbers), "",
             "\t".join(["指标名称", "计量单位", f"{year}年度", "历年累计"])]
    lines += ["\t".join(row) for row in rows(numbers, year)]
    return "\n".join(lines) + "\n"
