"""``kg extract``: one call to :func:`kg.extract.extract_to_jsonl`."""
from __future__ import annotations

import logging
from pathlib import Path

import click

from kg.cli.options import input_format_option, jobs_option


@click.command("extract")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(allow_dash=True))
@click.option("--format", "output_format", type=click.Choice(["jsonl"]), default="jsonl", show_default=True,
              help="Output format: one JSON object per paper and line.")
@input_format_option("--input-format")
@jobs_option
@click.option("--spacy-model", default=None, metavar="NAME",
              help="Installed trained spaCy pipeline (name or path) whose noun chunks add candidates.")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file (atomically) instead of standard output.")
def extract_command(inputs: tuple[str, ...], output_format: str, input_format: str | None, jobs: int,
                    spacy_model: str | None, out: Path | None) -> None:
    """Extract typed entities from the papers in INPUTS (files, folders or - for stdin).

    Prints one JSON object per paper: id, title, and entities with name, type, aliases,
    proposed, mentions and rule. Bad records are skipped with a warning naming file and line.
    """
    from kg.extract import extract_to_jsonl
    from kg.ingest import IngestError, IngestReport

    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    report = IngestReport()
    try:
        written = extract_to_jsonl(inputs, out, input_format=input_format, jobs=jobs, spacy_model=spacy_model,
                                   report=report)
    except (IngestError, OSError) as error:
        raise click.ClickException(str(error)) from error
    if not written:
        raise click.ClickException(f"no usable paper in {', '.join(inputs)}\n{report.summary()}")
    click.echo(f"extracted {written} paper(s)", err=True)
