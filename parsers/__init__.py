"""Bytes of a published annual report -> a Report: metadata, cells, checks.

The Report (parsers.report) and the cell keys of ``data/metrics.csv`` are the
contract with the crawler and the archive; nothing else here is public.
"""

from parsers.budget import Budget, BudgetExceeded, parse_file_limited, parse_limited
from parsers.parse import ParseError, parse_bytes, parse_file
from parsers.report import CellValue, Check, Report

__all__ = ["Budget", "BudgetExceeded", "Check", "CellValue", "ParseError", "Report", "parse_bytes",
           "parse_file", "parse_file_limited", "parse_limited"]
