"""Options shared by several commands, defined once."""
from __future__ import annotations

import click

from kg.ingest import FORMATS


def input_format_option(*flags: str):
    """``--format``-like option forcing the input format (default: detected from each file's content)."""
    return click.option(
        *(flags or ("--format",)), "input_format", type=click.Choice(FORMATS), default=None,
        help="Input format (default: detected from each file's content).",
    )


jobs_option = click.option(
    "--jobs", "-j", type=click.IntRange(min=1), default=1, show_default=True,
    help="Processes for extraction.",
)
