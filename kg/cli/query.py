"""``kg query``: run SPARQL or a named query on an export, print a table, CSV, TSV or JSON."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from pyoxigraph import Store

from kg.query import (
    GRAPH_FORMATS,
    RESULT_FORMATS,
    QueryError,
    entity_resolver,
    format_table,
    load_store,
    named_queries,
    run_query,
    serialize_result,
)

DEFAULT_GRAPH = "exports"
OUTPUTS = ("table", *RESULT_FORMATS, *GRAPH_FORMATS)


@click.command("query")
@click.argument("args", nargs=-1, metavar="[GRAPH] QUERY")
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE", help="Parameter of a named query (repeatable).")
@click.option("-o", "--output", type=click.Choice(OUTPUTS), default="table", show_default=True,
              help="table, SPARQL results (json, xml, csv, tsv) or, for CONSTRUCT/DESCRIBE, RDF (turtle, ntriples, jsonld, rdfxml).")
@click.option("--list", "list_queries", is_flag=True, help="List the named queries with their parameters and exit.")
@click.option("--show", is_flag=True, help="Print the SPARQL that would run (parameters bound) instead of running it.")
def query_command(args: tuple[str, ...], params: tuple[str, ...], output: str, list_queries: bool, show: bool) -> None:
    """Run QUERY on GRAPH (an export file, or a folder such as exports/; default: exports).

    QUERY is SPARQL text, @FILE to read it from a file, - to read it from standard input, or the
    NAME of a named query (see --list), whose parameters are given with --param NAME=VALUE.

    \b
    Examples:
      kg query exports 'SELECT ?m WHERE { ?m a kg:Model } LIMIT 5'
      kg query exports/graph.nt @my-query.rq -o csv
      kg query metrics-on-benchmark --param benchmark=GSM8K
    """
    library = named_queries()
    if list_queries:
        click.echo(describe_library(library), nl=False)
        return
    if len(args) not in (1, 2):
        raise click.UsageError("expected [GRAPH] QUERY (or --list)")
    graph, text = (DEFAULT_GRAPH, args[0]) if len(args) == 1 else args
    try:
        store = load_store(Path(graph))
        sparql = resolve_query(text, params, library, store)
        if show:
            click.echo(sparql, nl=not sparql.endswith("\n"))
            return
        result = run_query(store, sparql)
        if output == "table":
            click.echo(format_table(result), nl=False)
        else:
            sys.stdout.buffer.write(serialize_result(result, output))
            sys.stdout.flush()
    except QueryError as error:
        raise click.ClickException(str(error)) from error


def resolve_query(text: str, params: tuple[str, ...], library: dict, store: Store) -> str:
    """The SPARQL to run: a named query with its parameters bound, a file's text (@FILE), stdin (-), or ``text``."""
    if text in library:
        return library[text].bind(parse_params(params), entity_resolver(store))
    if params:
        raise QueryError(f"--param applies to named queries only; {text[:40]!r} is not one (see kg query --list)")
    if text == "-":
        return sys.stdin.read()
    if text.startswith("@"):
        path = Path(text[1:])
        try:
            return path.read_text(encoding="utf-8")
        except OSError as error:
            raise QueryError(f"cannot read query file {path}: {error.strerror}") from error
    return text


def parse_params(params: tuple[str, ...]) -> dict[str, str]:
    values = {}
    for item in params:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise QueryError(f"--param expects NAME=VALUE, got {item!r}")
        values[name.strip()] = value
    return values


def describe_library(library: dict) -> str:
    lines = []
    for query in library.values():
        lines.append(f"{query.name}\n    {query.description}")
        for param in query.parameters:
            kind = "" if param.kind == "text" else f" [{param.kind}]"
            lines.append(f"    --param {param.name}=VALUE{kind}  {param.description} (default: {param.default})")
    return "\n".join(lines) + "\n"
