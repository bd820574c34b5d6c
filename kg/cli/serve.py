"""``kg serve``: a read-only SPARQL endpoint and the graph page over HTTP."""
from __future__ import annotations

import click

from kg.query import QueryError
from kg.serve import DEFAULT_MAX_RESULT_BYTES, DEFAULT_TIMEOUT, make_server


@click.command("serve")
@click.argument("graph", default="exports", metavar="[GRAPH]")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind (loopback by default).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port (0 picks a free one).")
@click.option("--timeout", default=DEFAULT_TIMEOUT, show_default=True, type=click.FloatRange(min=0.1), help="Time limit per query, in seconds.")
@click.option("--max-result-bytes", default=DEFAULT_MAX_RESULT_BYTES, show_default=True, type=click.IntRange(min=1), help="Largest serialised result sent.")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64), help="Query worker processes (concurrent queries).")
@click.option("-q", "--quiet", is_flag=True, help="Do not log requests.")
def serve_command(graph: str, host: str, port: int, timeout: float, max_result_bytes: int, workers: int, quiet: bool) -> None:
    """Serve GRAPH (an export file, or a folder such as exports/) as a read-only SPARQL 1.1 endpoint.

    Queries go to /sparql (GET ?query=..., or POST); results come as SPARQL-JSON, XML, CSV or TSV,
    and CONSTRUCT/DESCRIBE as Turtle, N-Triples, JSON-LD or RDF/XML, by the Accept header. The
    folder's graph.html is served at /. Updates are refused. Stop with Ctrl-C.
    """
    try:
        server = make_server(graph, host=host, port=port, timeout=timeout, max_result_bytes=max_result_bytes, workers=workers, quiet=quiet)
    except QueryError as error:
        raise click.ClickException(str(error)) from error
    except OSError as error:
        raise click.ClickException(f"cannot listen on {host}:{port}: {error.strerror}") from error
    bound_host, bound_port = server.server_address[:2]
    click.echo(f"SPARQL endpoint: http://{bound_host}:{bound_port}/sparql", err=True)
    click.echo(f"Graph page:      http://{bound_host}:{bound_port}/", err=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("stopped", err=True)
    finally:
        server.server_close()
