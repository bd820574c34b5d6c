"""``kg build``: the main job, one call to ``kg.build.build``."""
from __future__ import annotations

import logging
from pathlib import Path

import click
from rich.console import Console
from rich.logging import RichHandler
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from kg.cli.options import input_format_option, jobs_option


@click.command("build")
@click.argument("inputs", nargs=-1, type=click.Path(allow_dash=True))
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("exports"),
              show_default=True, help="Folder the exports are written to.")
@input_format_option("--format")
@jobs_option
@click.option("--no-html", is_flag=True, help="Skip the HTML page.")
def build_command(inputs: tuple[str, ...], out_dir: Path, input_format: str | None, jobs: int, no_html: bool) -> None:
    """Build the knowledge graph of INPUTS (files, folders or - for stdin; default: the bundled sample).

    Writes Turtle, N-Triples, JSON-LD, the HTML page, the saved graph and the extraction
    records to --out. Bad records are skipped with a warning naming file and line.
    """
    from kg.build import BuildError, build
    from kg.ingest import IngestError

    console = Console(stderr=True)
    logging.basicConfig(level=logging.WARNING, format="%(message)s",
                        handlers=[RichHandler(console=console, show_time=False, show_path=False)])
    with Progress(TextColumn("extracting"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console, transient=True) as progress:
        task = progress.add_task("extract", total=None)
        try:
            result = build(inputs, out_dir, format=input_format, jobs=jobs, html=not no_html,
                           on_paper=lambda done, total: progress.update(task, completed=done, total=total))
        except (BuildError, IngestError) as error:
            raise click.ClickException(str(error)) from error
    console.print(result.ingest.summary())
    table = Table(title=f"kg build: {result.papers} papers in {result.seconds:.1f} s")
    table.add_column("what")
    table.add_column("count", justify="right")
    for entity_type, count in result.entities_by_type.items():
        table.add_row(f"{entity_type} entities", str(count))
    table.add_row("paper-entity links", str(result.links))
    for name, path in result.outputs.items():
        table.add_row(f"wrote {name}", str(path))
    console.print(table)
