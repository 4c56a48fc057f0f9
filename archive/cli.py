"""The nianbao command line."""

from __future__ import annotations

import json
import sys

import click

from archive.summary import summary
from parsers import ParseError, parse_file


@click.group()
@click.version_option(package_name="nianbao")
def cli() -> None:
    """nianbao: China's government information-disclosure annual reports as data."""


@cli.command()
@click.argument("path", type=str)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def parse(path: str, as_json: bool) -> None:
    """Read one report (text, HTML, PDF, scanned PDF, DOCX, DOC/WPS) and print what it holds."""
    try:
        report = parse_file(path)
    except ParseError as e:
        click.echo(f"nianbao: cannot parse {path}: {e}", err=True)
        sys.exit(1)
    except Exception as e:  # a bug must not print a traceback at an operator
        click.echo(
            f"nianbao: cannot parse {path}: internal error: {type(e).__name__}: {e}", err=True
        )
        sys.exit(2)
    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=1))
    else:
        click.echo(summary(report))


if __name__ == "__main__":
    cli()
