"""Render cells into the official layouts, as HTML (TRS/Hanweb style) or text.

The inverse of parsing: it makes fixtures, property tests and the replica
sites' generated reports. The layouts below are those of the two templates.
"""

from __future__ import annotations

import html
from collections.abc import Mapping

from parsers.document import SpanCell
from parsers.templates import APPLICANT_COLUMNS, REVIEW_GROUPS, REVIEW_OUTCOMES
from parsers.values import Number

Cells = Mapping[str, Number | None]

ACTIVE = {
    "2019": [
        (
            "第二十条第（一）项",
            ("本年新制作数量", "本年新公开数量", "对外公开总数量"),
            [("regulations", "规章"), ("normative_docs", "规范性文件")],
            ("made", "published", "total"),
        ),
        (
            "第二十条第（五）项",
            ("上一年项目数量", "本年增/减", "处理决定数量"),
            [("licensing", "行政许可"), ("other_services", "其他对外管理服务事项")],
            ("prev_items", "change", "decisions"),
        ),
        (
            "第二十条第（六）项",
            ("上一年项目数量", "本年增/减", "处理决定数量"),
            [("penalty", "行政处罚"), ("coercion", "行政强制")],
            ("prev_items", "change", "decisions"),
        ),
        (
            "第二十条第（八）项",
            ("上一年项目数量", "本年增/减"),
            [("fees", "行政事业性收费")],
            ("prev_items", "change"),
        ),
        (
            "第二十条第（九）项",
            ("采购项目数量", "采购总金额"),
            [("procurement", "政府集中采购")],
            ("items", "amount_wan"),
        ),
    ],
    "2021": [
        (
            "第二十条第（一）项",
            ("本年制发件数", "本年废止件数", "现行有效件数"),
            [("regulations", "规章"), ("normative_docs", "行政规范性文件")],
            ("issued", "repealed", "in_force"),
        ),
        ("第二十条第（五）项", ("本年处理决定数量",), [("licensing", "行政许可")], ("decisions",)),
        (
            "第二十条第（六）项",
            ("本年处理决定数量",),
            [("penalty", "行政处罚"), ("coercion", "行政强制")],
            ("decisions",),
        ),
        (
            "第二十条第（八）项",
            ("本年收费金额（单位：万元）",),
            [("fees", "行政事业性收费")],
            ("amount_wan",),
        ),
    ],
}

_OTHER = {
    "2019": [("other_handling", None)],
    "2021": [
        ("other_no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
        (
            "other_unpaid_fee",
            "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        ),
        ("other_misc", "3.其他"),
    ],
}

# (group label, [(row key, sub-label or None)]) in printed order, under 三、本年度办理结果
OUTCOMES = [
    ("（一）予以公开", [("granted", None)]),
    ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", [("partially_granted", None)]),
    (
        "（三）不予公开",
        [
            ("denied_state_secret", "1.属于国家秘密"),
            ("denied_prohibited", "2.其他法律行政法规禁止公开"),
            ("denied_security_stability", "3.危及“三安全一稳定”"),
            ("denied_third_party", "4.保护第三方合法权益"),
            ("denied_internal_affairs", "5.属于三类内部事务信息"),
            ("denied_process_info", "6.属于四类过程性信息"),
            ("denied_enforcement_file", "7.属于行政执法案卷"),
            ("denied_query_matter", "8.属于行政查询事项"),
        ],
    ),
    (
        "（四）无法提供",
        [
            ("unavailable_not_held", "1.本机关不掌握相关政府信息"),
            ("unavailable_needs_creation", "2.没有现成信息需要另行制作"),
            ("unavailable_unclear", "3.补正后申请内容仍不明确"),
        ],
    ),
    (
        "（五）不予处理",
        [
            ("unprocessed_petition", "1.信访举报投诉类申请"),
            ("unprocessed_duplicate", "2.重复申请"),
            ("unprocessed_publication", "3.要求提供公开出版物"),
            ("unprocessed_excessive", "4.无正当理由大量反复申请"),
            ("unprocessed_confirmation", "5.要求行政机关确认或重新出具已获取信息"),
        ],
    ),
    ("（六）其他处理", None),  # per template, from _OTHER
    ("（七）总计", [("total_processed", None)]),
]
BALANCE_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
APPLICANT_LABELS = ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")
OUTCOME_LABELS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")


def other_form(template: str, cells: Cells | None = None) -> str:
    """Which form of （六）其他处理 to print: the template's own, or the 2019 single row where a
    2021 report's cells hold it (as some districts print it)."""
    if cells is not None and any(k.startswith("applications.other_handling.") for k in cells):
        return "2019"
    return template


def outcome_groups(
    template: str, cells: Cells | None = None
) -> list[tuple[str, list[tuple[str, str | None]]]]:
    other = _OTHER[other_form(template, cells)]
    return [(g, rows if rows is not None else other) for g, rows in OUTCOMES]


def fmt(value: Number | None, key: str = "") -> str:
    if value is None:
        return ""
    text = str(int(value)) if float(value).is_integer() else str(value)
    return f"{text}万元" if key.startswith("active.procurement.amount") else text


def _td(cell: SpanCell) -> str:
    attrs = (f' rowspan="{cell.rowspan}"' if cell.rowspan > 1 else "") + (
        f' colspan="{cell.colspan}"' if cell.colspan > 1 else ""
    )
    return f"<td{attrs}>{html.escape(cell.text)}</td>"


def span_tables(cells: Cells, template: str) -> list[tuple[str, list[list[SpanCell]]]]:
    """(heading, rows of cells with their spans) for tables 二/三/四 as published."""
    C = SpanCell
    active: list[list[SpanCell]] = []
    for section, headers, rows, cols in ACTIVE[template]:
        span = 4 // len(headers) if len(headers) < 3 else 1
        last = 4 - 1 - span * (len(headers) - 1)
        widths = [last if i == len(headers) - 1 else span for i in range(len(headers))]
        active.append([C(section, 1, 4)])
        active.append([C("信息内容"), *(C(h, 1, w) for h, w in zip(headers, widths, strict=True))])
        for key, label in rows:
            values = [fmt(cells.get(f"active.{key}.{c}"), f"active.{key}.{c}") for c in cols]
            active.append([C(label), *(C(v, 1, w) for v, w in zip(values, widths, strict=True))])

    def values(row: str) -> list[SpanCell]:
        return [C(fmt(cells.get(f"applications.{row}.{c}"))) for c in APPLICANT_COLUMNS]

    apps = [
        [C(BALANCE_NOTE, 3, 3), C("申请人情况", 1, 7)],
        [C("自然人", 2), C("法人或其他组织", 1, 5), C("总计", 2)],
        [C(x) for x in APPLICANT_LABELS],
        [C("一、本年新收政府信息公开申请数量", 1, 3), *values("new_received")],
        [C("二、上年结转政府信息公开申请数量", 1, 3), *values("carried_over")],
    ]
    groups = outcome_groups(template, cells)
    height = sum(len(rows) for _, rows in groups)
    for group, rows in groups:
        for i, (key, sub) in enumerate(rows):
            lead = [C("三、本年度办理结果", height)] if len(apps) == 5 else []
            if sub is None:
                label = [C(group, 1, 2)]
            else:
                label = ([C(group, len(rows))] if i == 0 else []) + [C(sub)]
            apps.append([*lead, *label, *values(key)])
    apps.append([C("四、结转下年度继续办理", 1, 3), *values("carried_forward")])
    review = [
        [C("行政复议", 1, 5), C("行政诉讼", 1, 10)],
        [*(C(x, 2) for x in OUTCOME_LABELS), C("未经复议直接起诉", 1, 5), C("复议后起诉", 1, 5)],
        [C(x) for x in OUTCOME_LABELS * 2],
        [C(fmt(cells.get(f"review.{g}.{o}"))) for g in REVIEW_GROUPS for o in REVIEW_OUTCOMES],
    ]
    return [
        ("二、主动公开政府信息情况", active),
        ("三、收到和处理政府信息公开申请情况", apps),
        ("四、政府信息公开行政复议、行政诉讼情况", review),
    ]


def html_tables(cells: Cells, template: str) -> str:
    """The three tables with the rowspan/colspan of the published template."""
    out = []
    for heading, rows in span_tables(cells, template):
        out += [f"<p>{heading}</p>", '<table border="1">']
        out += ["<tr>" + "".join(_td(c) for c in row) + "</tr>" for row in rows]
        out.append("</table>")
    return "\n".join(out)


def text_rows(cells: Cells, template: str) -> list[tuple[str, list[list[str]]]]:
    """(heading, rows) per table, rows as printed cells, labels then values."""
    active: list[list[str]] = []
    for section, headers, rows, cols in ACTIVE[template]:
        active.append([section])
        active.append(["信息内容", *headers])
        for key, label in rows:
            active.append(
                [label, *(fmt(cells.get(f"active.{key}.{c}"), f"active.{key}.{c}") for c in cols)]
            )
    apps: list[list[str]] = [
        [BALANCE_NOTE, "", "", "申请人情况", "", "", "", "", "", "总计"],
        ["", "", "", "自然人", "法人或其他组织", "", "", "", "", ""],
        ["", "", "", "", *APPLICANT_LABELS, ""],
    ]

    def values(row: str) -> list[str]:
        return [fmt(cells.get(f"applications.{row}.{c}")) for c in APPLICANT_COLUMNS]

    apps.append(["一、本年新收政府信息公开申请数量", "", "", *values("new_received")])
    apps.append(["二、上年结转政府信息公开申请数量", "", "", *values("carried_over")])
    first = True
    for group, rows in outcome_groups(template, cells):
        for i, (key, sub) in enumerate(rows):
            lead = "三、本年度办理结果" if first else ""
            first = False
            labels = [group, ""] if sub is None else [group if i == 0 else "", sub]
            apps.append([lead, *labels, *values(key)])
    apps.append(["四、结转下年度继续办理", "", "", *values("carried_forward")])
    review = [
        ["行政复议", "", "", "", "", "行政诉讼"],
        [*OUTCOME_LABELS, "未经复议直接起诉", "", "", "", "", "复议后起诉"],
        ["", "", "", "", "", *OUTCOME_LABELS, *OUTCOME_LABELS],
        [fmt(cells.get(f"review.{g}.{o}")) for g in REVIEW_GROUPS for o in REVIEW_OUTCOMES],
    ]
    return [
        ("二、主动公开政府信息情况", active),
        ("三、收到和处理政府信息公开申请情况", apps),
        ("四、政府信息公开行政复议、行政诉讼情况", review),
    ]


def render_text(
    cells: Cells, template: str, agency: str, year: int, one_cell_per_line: bool = False
) -> str:
    lines = [
        agency,
        "",
        f"{year}年政府信息公开工作年度报告",
        "",
        "一、总体情况",
        "",
        "本年度工作情况如下。",
        "",
    ]
    for heading, rows in text_rows(cells, template):
        lines += [heading, ""]
        for row in rows:
            if one_cell_per_line:
                lines += [f"\t{c}" for c in row] + [""]
            else:
                lines.append("\t".join(row))
        lines.append("")
    lines += ["五、存在的主要问题及改进情况", "", "无。", "", "六、其他需要报告的事项", "", "无。"]
    return "\n".join(lines) + "\n"


def render_html(
    cells: Cells, template: str, agency: str, year: int, published: str | None = None
) -> str:
    title = f"{agency}{year}年政府信息公开工作年度报告"
    tail = f"<p>{html.escape(agency)}</p><p>{published}</p>" if published else ""
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title></head><body>"
        f"<h1>{html.escape(title)}</h1><p>一、总体情况</p><p>本年度工作情况如下。</p>"
        f"{html_tables(cells, template)}"
        "<p>五、存在的主要问题及改进情况</p><p>无。</p><p>六、其他需要报告的事项</p><p>无。</p>"
        f"{tail}</body></html>"
    )
