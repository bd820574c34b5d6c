"""``kg show / top / related / path / timeline``: explore a saved graph; each command is one call into the graph API.

Every command reads the graph ``kg build`` saved (``--graph``, default ``exports/graph.kg.json.gz``)
and prints a rich table. Bad input (unknown entity, missing or damaged graph file, unknown type)
is one clear line on stderr and exit code 1, never a traceback.
"""
from __future__ import annotations

import functools
from pathlib import Path
from typing import Callable, Sequence

import click
from rich.console import Console
from rich.table import Table

from kg.graph import KnowledgeGraph
from kg.graph_analysis import MEASURES, PERIODS
from kg.graph_errors import GraphError
from kg.graph_io import DEFAULT_GRAPH_PATH
from kg.records import ENTITY_TYPES

graph_option = click.option(
    "--graph", "graph_path", type=click.Path(dir_okay=False, path_type=Path), default=DEFAULT_GRAPH_PATH,
    show_default=True, help="Saved graph, as written by `kg build`.",
)


def clean_errors(command: Callable) -> Callable:
    """Turn the graph API's errors on bad input into a one-line message and exit code 1."""

    @functools.wraps(command)
    def run(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except (GraphError, ValueError) as error:
            raise click.ClickException(str(error)) from None

    return run


def _papers_label(nodes: tuple[str, ...], shown: int = 3) -> str:
    ids = [node.removeprefix("paper:") for node in nodes[:shown]]
    return ", ".join(ids) + (f" (+{len(nodes) - shown})" if len(nodes) > shown else "")


@click.command("show")
@click.argument("entity")
@graph_option
@click.option("--type", "entity_type", type=click.Choice(ENTITY_TYPES, case_sensitive=False), help="Only this entity type.")
@click.option("-n", "count", type=click.IntRange(min=1), default=10, show_default=True, help="Latest papers shown.")
@clean_errors
def show_command(entity: str, graph_path: Path, entity_type: str | None, count: int) -> None:
    """Show ENTITY (any name or alias): type, aliases, papers per relation, entity relations, latest papers."""
    graph = KnowledgeGraph.load(graph_path)
    found = graph.describe(graph.resolve(entity, type=entity_type), n=count)
    console, info = Console(), found.info
    card = Table(title=f"{info.name} ({info.type})", show_header=False)
    card.add_column("field", style="bold")
    card.add_column("value")
    card.add_row("node", info.node)
    card.add_row("aliases", ", ".join(info.aliases) or "-")
    card.add_row("papers", str(info.papers))
    for relation, papers in found.relations.items():
        card.add_row(f"  {relation}", str(papers))
    for other in found.other_types:
        card.add_row("also typed", f"{other.type} ({other.papers} papers): {other.node}")
    console.print(card)
    if found.links:
        links = _table("entity relations", ("relation", "with", "type", "papers"), right=("papers",))
        for relation, direction, node, name, papers in found.links:
            links.add_row(relation if direction == "out" else f"{relation} (from)", name, node.split("/")[0].removeprefix("entity:"), str(papers))
        console.print(links)
    recent = _table(f"latest papers ({len(found.recent)} of {info.papers})", ("paper", "date", "title"))
    for node, date, title in found.recent:
        recent.add_row(node.removeprefix("paper:"), date or "-", title)
    console.print(recent)


@click.command("top")
@click.option("--type", "entity_type", type=click.Choice(ENTITY_TYPES, case_sensitive=False), required=True, help="Entity type.")
@click.option("-n", "count", type=click.IntRange(min=1), default=10, show_default=True, help="How many.")
@graph_option
@clean_errors
def top_command(entity_type: str, count: int, graph_path: Path) -> None:
    """List the entities of a type found in the most papers."""
    graph = KnowledgeGraph.load(graph_path)
    rows = graph.top(entity_type, count)
    nodes = graph.to_networkx().nodes
    table = _table(f"top {len(rows)} {entity_type.capitalize()} entities by papers", ("#", "name", "papers", "node"),
                   right=("#", "papers"))
    for rank, (node, papers) in enumerate(rows, start=1):
        table.add_row(str(rank), nodes[node]["name"], str(papers), node)
    Console().print(table)


@click.command("related")
@click.argument("entity")
@click.option("-n", "count", type=click.IntRange(min=1), default=10, show_default=True, help="How many.")
@click.option("--min-support", type=click.IntRange(min=1), default=2, show_default=True, help="Fewest shared papers.")
@click.option("--measure", type=click.Choice(sorted(MEASURES)), default="pmi", show_default=True, help="Score.")
@graph_option
@clean_errors
def related_command(entity: str, count: int, min_support: int, measure: str, graph_path: Path) -> None:
    """List the entities that appear in the same papers as ENTITY, by co-occurrence score."""
    graph = KnowledgeGraph.load(graph_path)
    rows = graph.related(entity, count, min_support=min_support, measure=measure)
    table = _table(f"related to {graph.entity(entity).name} ({measure}, at least {min_support} shared papers)",
                   ("name", "type", measure, "shared", "papers"), right=(measure, "shared"))
    for row in rows:
        table.add_row(row.name, row.type, f"{row.score:.3f}", str(row.support), _papers_label(row.papers))
    Console().print(table if rows else f"no entity shares {min_support} or more papers with {entity!r}")


@click.command("path")
@click.argument("source")
@click.argument("target")
@graph_option
@clean_errors
def path_command(source: str, target: str, graph_path: Path) -> None:
    """Show a shortest path from SOURCE to TARGET through the papers that link them."""
    graph = KnowledgeGraph.load(graph_path)
    path = graph.shortest_path(source, target)
    nodes = graph.to_networkx().nodes
    table = _table(f"{len(path) // 2} paper(s) between {nodes[path[0]]['name']} and {nodes[path[-1]]['name']}",
                   ("step", "kind", "name / title", "node"))
    for step, node in enumerate(path):
        data = nodes[node]
        label = data["title"] if data["kind"] == "paper" else f"{data['name']} ({data['type']})"
        table.add_row(str(step), data["kind"], label, node)
    Console().print(table)


@click.command("timeline")
@click.argument("entity")
@click.option("--period", type=click.Choice(PERIODS), default="year", show_default=True, help="Bucket size.")
@graph_option
@clean_errors
def timeline_command(entity: str, period: str, graph_path: Path) -> None:
    """Count the papers mentioning ENTITY per year or month (year-less dates in their own "no year" row)."""
    graph = KnowledgeGraph.load(graph_path)
    rows = graph.timeline(entity, period)
    widest = max((count for _, count in rows), default=1)
    table = _table(f"papers per {period}: {graph.entity(entity).name}", (period, "papers", ""), right=("papers",))
    for label, count in rows:
        table.add_row(label, str(count), "█" * max(1, round(30 * count / widest)))
    Console().print(table)


def _table(title: str, columns: Sequence[str], right: Sequence[str] = ()) -> Table:
    """A table with these columns, the ``right`` ones (counts, scores) right-aligned."""
    table = Table(title=title)
    for column in columns:
        table.add_column(column, justify="right" if column in right else "left")
    return table
