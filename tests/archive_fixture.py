"""An archive made from the fixture documents, as a crawl would leave it (no HTTP)."""

from __future__ import annotations

from pathlib import Path

from archive.build.run import build
from crawler.store import ArchiveStore, Fetch

FIXTURES = Path(__file__).parent / "fixtures"
TYPES = {".txt": "text/plain; charset=utf-8", ".html": "text/html", ".pdf": "application/pdf",
         ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         ".doc": "application/msword",
         ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         ".xls": "application/vnd.ms-excel", ".ofd": "application/ofd", ".png": "image/png", ".jpg": "image/jpeg"}
SITES = {"000": "chengyang", "001": "yicheng", "002": "zhifu", "003": "qingdao_hitech",
         "004": "wanggezhuang", "trs": "chengyang", "hanweb": "laoshan", "gbk": "zhifu",
         "yicheng": "yicheng", "laoshan": "laoshan", "zhifu": "zhifu"}


def fixture_documents(include_slow: bool = False) -> list[Path]:
    docs = sorted((FIXTURES / "seeds").glob("*.txt")) + sorted((FIXTURES / "html").glob("*.html"))
    office = ["yicheng_2019.pdf", "laoshan_2021.docx"]
    if include_slow:
        office += ["yicheng_2019.doc", "laoshan_2021_scanned.pdf"]
    return docs + [FIXTURES / "office" / name for name in office]


def make_archive(root: Path, documents: list[Path] | None = None) -> Path:
    store = ArchiveStore(root / "archive", crawl_id="fixtures")
    for i, path in enumerate(documents or fixture_documents()):
        data = path.read_bytes()
        site = SITES.get(path.name.split("_")[0], "chengyang")
        url = f"http://www.example.gov.cn/{site}/{path.name}"
        store.record(Fetch(
            url=url, sha256=store.put_blob(data), size=len(data), status=200,
            content_type=TYPES[path.suffix], fetched_at=f"2026-01-01T00:00:{i:02d}+00:00",
            page_url=f"http://www.example.gov.cn/{site}/index.html", link_text=path.stem, site=site,
        ))
    return root / "archive"


def make_db(root: Path, documents: list[Path] | None = None) -> Path:
    archive = make_archive(root, documents)
    db = root / "nianbao.db"
    build(archive, db)
    return db
