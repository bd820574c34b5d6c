"""``kg view``: write the interactive HTML page for a saved graph, whole or around one entity.

A thin layer over ``kg.export.html.write_html``: it loads the graph ``kg build`` saved, picks
the output file, and turns bad input (unknown entity or type, missing graph) into one clear line.
"""
from __future__ import annotations

from pathlib import Path

import click

from kg.cli.explore import clean_errors, graph_option
from kg.export.html import write_html
from kg.graph import KnowledgeGraph
from kg.names import slug

DEFAULT_PAGE = Path("exports") / "graph.html"


def ego_page_path(name: str, out_dir: Path = DEFAULT_PAGE.parent) -> Path:
    """Where an ego view of the entity ``name`` goes by default: ``exports/view-<slug>.html``."""
    return out_dir / f"view-{slug(name)}.html"


@click.command("view")
@click.argument("entity", required=False)
@graph_option
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help=f"Page to write [default: {DEFAULT_PAGE}, or exports/view-<slug>.html for an ENTITY].")
@click.option("--top", type=click.IntRange(min=1), default=None, help="Keep the N best-supported entities of each type.")
@click.option("--min-papers", type=click.IntRange(min=1), default=1, show_default=True,
              help="Keep entities mentioned in at least K papers.")
@click.option("--types", default=None, help="Entity types to keep, comma-separated, e.g. Model,Method [default: all].")
@click.option("--depth", type=click.IntRange(min=0), default=2, show_default=True,
              help="With ENTITY: links to follow from it (entity -> paper -> entity is 2).")
@click.option("--title", default=None, help="Page title.")
@clean_errors
def view_command(
    entity: str | None, graph_path: Path, out: Path | None, top: int | None, min_papers: int,
    types: str | None, depth: int, title: str | None,
) -> None:
    """Write an offline interactive page of the graph; with ENTITY (any name or alias), of its neighbourhood."""
    graph = KnowledgeGraph.load(graph_path)
    focus = graph.entity(entity) if entity else None
    if focus is None:
        target = out or DEFAULT_PAGE
        heading = title or "kg: knowledge graph of ML papers"
    else:
        target = out or ego_page_path(focus.name)
        heading = title or f"kg: {focus.name} ({focus.type}) and its neighbourhood, depth {depth}"
    path = write_html(graph, target, top=top, min_papers=min_papers, types=types, title=heading,
                      focus=focus.node if focus else None, depth=depth)
    click.echo(f"wrote {path}")
