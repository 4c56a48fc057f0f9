import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from archive.cli import cli

NIANBAO = Path(sys.executable).parent / "nianbao"


def test_parse_json_shape(fixtures):
    path = next((fixtures / "seeds").glob("000_*.txt"))
    result = CliRunner().invoke(cli, ["parse", str(path), "--json"])
    assert result.exit_code == 0
    out = json.loads(result.output)
    assert {"agency", "year", "template", "published", "title", "cells", "checks"} <= set(out)
    line = next(n for n, text in enumerate(path.read_text("utf-8").splitlines(), 1) if "1.5 亿元" in text)
    assert out["cells"]["active.procurement.amount_wan"] == {
        "value": 15000,
        "raw": "1.5 亿元",
        "ocr": False,
        "confidence": None,
        "where": {"lines": [line, line]},  # the text's line it was printed on
    }
    check = out["checks"][0]
    assert set(check) >= {"check", "scope", "ok", "expected", "actual"}


def test_parse_summary(fixtures):
    path = fixtures / "html" / "hanweb_2021.html"
    result = CliRunner().invoke(cli, ["parse", str(path)])
    assert result.exit_code == 0
    assert "template 2021" in result.output and "other_misc" in result.output


def test_unreadable_file_is_one_line_error(tmp_path):
    missing = tmp_path / "gone.html"
    proc = subprocess.run([str(NIANBAO), "parse", str(missing)], capture_output=True, text=True)
    assert proc.returncode != 0
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "gone.html" in lines[0] and "No such file" in lines[0]
    assert "Traceback" not in proc.stderr


def test_unsupported_format_names_reason(tmp_path):
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(b"%PDF-1.7\n%\xe2\xe3\n")
    proc = subprocess.run([str(NIANBAO), "parse", str(pdf)], capture_output=True, text=True)
    assert proc.returncode != 0
    assert "report.pdf" in proc.stderr and "PDF" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_a_page_without_tables_parses_to_no_cells(tmp_path):
    page = tmp_path / "guide.html"
    page.write_text(
        "<html><body><h1>城阳区政府信息公开指南</h1><p>一、总体情况</p></body></html>", "utf-8"
    )
    result = CliRunner().invoke(cli, ["parse", str(page), "--json"])
    assert result.exit_code == 0
    out = json.loads(result.output)
    assert out["cells"] == {} and out["template"] is None and out["checks"] == []
