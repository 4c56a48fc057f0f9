# Two commands set everything up on a fresh machine:
#   make demo   build the env, crawl the bundled replica sites, build the DB, serve Datasette
#   make test   build the env and run the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# pywb (the replay the WACZ test starts) pins redis==2.10.6, the crawler needs redis>=5: its own venv
PYWB_VENV := .venv-pywb
PYWB_STAMP := $(PYWB_VENV)/.installed
PYWB_PACKAGES := pywb==2.10.0

.PHONY: demo test lint env sysdeps seeds fixtures bench clean

# Debian packages the parsers use: LibreOffice for DOC/WPS, tesseract for scans (the fallback
# OCR engine; the default one, PP-OCR on ONNX Runtime, comes from PyPI); poppler-utils
# (pdftotext -layout) makes the text-variant fixtures, LibreOffice Calc the XLSX/XLS fixtures.
APT_PACKAGES := libreoffice-writer-nogui libreoffice-calc-nogui tesseract-ocr tesseract-ocr-chi-sim fonts-noto-cjk chromium redis-server poppler-utils

env: $(STAMP) $(PYWB_STAMP)

sysdeps:
	@if ! command -v soffice >/dev/null || ! dpkg -s libreoffice-calc-nogui >/dev/null 2>&1 || ! command -v chromium >/dev/null || ! command -v redis-server >/dev/null || ! command -v pdftotext >/dev/null || ! tesseract --list-langs 2>/dev/null | grep -q chi_sim; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(APT_PACKAGES); \
	fi

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

$(PYWB_STAMP): Makefile
	$(PYTHON) -m venv $(PYWB_VENV)
	$(PYWB_VENV)/bin/pip install -q $(PYWB_PACKAGES)
	touch $(PYWB_STAMP)

test: sysdeps $(STAMP) $(PYWB_STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

seeds: $(STAMP)
	$(PYTHON) ../shared/tools/score_seeds.py

fixtures: sysdeps $(STAMP)
	$(BIN)/python tests/fixtures/make_html_fixtures.py
	$(BIN)/python tests/fixtures/make_office_fixtures.py
	$(BIN)/python tests/fixtures/make_text_fixtures.py
	$(BIN)/python tests/fixtures/make_sheet_fixtures.py
	$(BIN)/python tests/fixtures/make_ofd_fixtures.py
	$(BIN)/python tests/fixtures/make_scan_fixtures.py
	$(BIN)/python tests/fixtures/make_legacy_fixtures.py
	$(BIN)/python tests/fixtures/make_scan_fixtures.py legacy

bench: sysdeps $(STAMP)
	$(BIN)/python benchmarks/bench_formats.py
	$(BIN)/python benchmarks/compare_pdf_libraries.py
	$(BIN)/python benchmarks/rowsplit_sweep.py
	$(BIN)/python benchmarks/compare_ocr_engines.py
	$(BIN)/python benchmarks/bench_crawl.py
	$(BIN)/python benchmarks/bench_distributed.py
	$(BIN)/python benchmarks/bench_build.py
	$(BIN)/python benchmarks/bench_cluster.py
	$(BIN)/python benchmarks/bench_sql_limits.py
	$(BIN)/python benchmarks/bench_scale.py --keep bench-100k  # about 45 min the first time
	$(BIN)/python benchmarks/bench_front.py bench-100k/nianbao.db --screenshots docs/screenshots

demo: sysdeps $(STAMP)
	$(BIN)/nianbao demo

clean:
	rm -rf $(VENV) $(PYWB_VENV) .pytest_cache .ruff_cache .hypothesis build *.egg-info
