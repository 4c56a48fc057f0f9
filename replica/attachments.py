"""Office attachments made for the replica sites (committed under ``data/``).

The office fixtures in tests/fixtures name 峄城区 and 崂山区; a TRS 城阳区 column
linking them would hold reports of another district. These files are built the
same way (python-docx, then LibreOffice) by ``make_attachments`` with the
agencies of the sites that serve them, so that every attachment is coherent
with its site and its cells are known.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from replica.cells import DATA, Cells, cells_for

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@dataclass(frozen=True)
class Attachment:
    """One generated report file and what it contains."""

    file: str
    agency: str
    year: int
    template: str
    source: str
    factor: int

    @property
    def fmt(self) -> str:
        return Path(self.file).suffix.lstrip(".")

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.fmt]

    def cells(self) -> Cells:
        return cells_for(self.source, self.factor)

    def data(self) -> bytes:
        return (DATA / self.file).read_bytes()


GENERATED = {
    a.file: a
    for a in (
        Attachment("chengyang_2021.docx", "青岛市城阳区人民政府", 2021, "2021", "hanweb", 2),
        Attachment(
            "chengyang_jyj_2020.pdf", "青岛市城阳区教育和体育局", 2020, "2019", "seed:000", 2
        ),
        Attachment(
            "chengyang_cyjd_2020.doc", "青岛市城阳区城阳街道办事处", 2020, "2019", "seed:003", 1
        ),
        Attachment("laoshan_2020.pdf", "青岛市崂山区人民政府", 2020, "2019", "seed:002", 2),
        Attachment(
            "laoshan_szk_2021.docx", "青岛市崂山区沙子口街道办事处", 2021, "2021", "hanweb", 3
        ),
        # a scan of the printed report, as some agencies publish: the OCR path
        Attachment("zhifu_2020_scanned.pdf", "烟台市芝罘区人民政府", 2020, "2019", "seed:002", 3),
        # the portal replicas (fushan.py, muping.py, titles.py)
        Attachment("fushan_2021.pdf", "烟台市福山区人民政府", 2021, "2021", "hanweb", 4),
        Attachment("fushan_2019.docx", "烟台市福山区人民政府", 2019, "2019", "seed:001", 3),
        # the blank 年报格式 a notice carries: tables of zeros under a report's title
        Attachment("fushan_nbgs.docx", "XX单位", 2022, "2021", "hanweb", 0),
        Attachment("muping_whjd_2022.pdf", "烟台市牟平区文化街道办事处", 2022, "2021", "hanweb", 6),
        Attachment("titles_dcf_2019.doc", "聊城市东昌府区人民政府", 2019, "2019", "seed:002", 5),
        # originals (全真版) a report page names only in its inline script (pingtan.py, shuyang.py)
        Attachment("pingtan_2022.pdf", "平潭综合实验区管理委员会", 2022, "2021", "hanweb", 23),
        Attachment("pingtan_2020.pdf", "平潭综合实验区管理委员会", 2020, "2019", "seed:002", 5),
        Attachment("shuyang_sjj_2022.pdf", "沭阳县审计局", 2022, "2021", "hanweb", 24),
        Attachment("shuyang_zjj_2021.docx", "沭阳县住房和城乡建设局", 2021, "2021", "hanweb", 25),
    )
}
