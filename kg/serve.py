"""A read-only SPARQL 1.1 Protocol endpoint over an export, with time and result-size limits.

``/sparql`` answers queries sent by GET (``?query=``) or POST (form-encoded ``query=`` or an
``application/sparql-query`` body), in the format the ``Accept`` header asks for: SPARQL-JSON, XML, CSV or
TSV for SELECT/ASK, Turtle, N-Triples, JSON-LD or RDF/XML for CONSTRUCT/DESCRIBE. ``/`` serves the
exports' ``graph.html``; the other export files are served by name.

Read-only: queries only ever go through ``Store.query``, which cannot modify data; SPARQL Update (the
``update=`` parameter, an ``application/sparql-update`` body, or update text sent as a query) is refused
with 403 before it reaches the store. So is ``SERVICE``: pyoxigraph would fetch the remote endpoint, which
would let any client make the server send HTTP requests.

Time limit: pyoxigraph gives no way to interrupt a running query from Python (it holds no cancellation
hook and a thread cannot be killed). Queries therefore run in a small pool of worker *processes*, forked
after the store is loaded so that they share its memory copy-on-write. The HTTP thread waits for its
worker's answer up to the limit; past it, the worker is killed (SIGKILL) and replaced by a fresh fork, and
the client gets 503 (waiting for a free worker is bounded by the same limit). The result-size limit is enforced while serialising: the output buffer refuses to
grow past ``max_result_bytes`` (the query is abandoned and the client gets 413). The server keeps serving
after either, and after malformed queries (400 with the parser's message).
"""
from __future__ import annotations

import multiprocessing
import queue
import re
import sys
import threading
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from multiprocessing.connection import Connection
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from pyoxigraph import QueryTriples, Store

from kg.namespace import PREFIXES
from kg.query import GRAPH_FORMATS, RESULT_FORMATS, graph_file, is_update, load_store, serialize_result

DEFAULT_TIMEOUT = 10.0
DEFAULT_MAX_RESULT_BYTES = 64 * 1024 * 1024
MAX_REQUEST_BYTES = 1024 * 1024
# Export files served as they are, by URL path.
STATIC_FILES = {
    "/": ("graph.html", "text/html; charset=utf-8"),
    "/graph.html": ("graph.html", "text/html; charset=utf-8"),
    "/graph.ttl": ("graph.ttl", "text/turtle; charset=utf-8"),
    "/graph.nt": ("graph.nt", "application/n-triples; charset=utf-8"),
    "/graph.jsonld": ("graph.jsonld", "application/ld+json"),
    "/context.jsonld": ("context.jsonld", "application/ld+json"),
}
# Accept media types -> output format, for table results (SELECT/ASK) and graph results (CONSTRUCT/DESCRIBE).
TABLE_MEDIA = {
    "application/sparql-results+json": "json", "application/json": "json",
    "application/sparql-results+xml": "xml", "application/xml": "xml", "text/xml": "xml",
    "text/csv": "csv", "text/tab-separated-values": "tsv",
}
GRAPH_MEDIA = {
    "text/turtle": "turtle", "application/x-turtle": "turtle",
    "application/n-triples": "ntriples", "text/plain": "ntriples",
    "application/ld+json": "jsonld", "application/json": "jsonld",
    "application/rdf+xml": "rdfxml", "application/xml": "rdfxml",
}


# Strings, IRIs and comments, blanked out before looking for keywords (so "service" in a literal is no SERVICE).
_NOT_CODE = re.compile(
    r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>|#[^\n]*'
)
_SERVICE = re.compile(r"(?<![\w?$:.-])SERVICE(?![\w:.-])", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Response:
    status: int
    content_type: str
    body: bytes


def text_response(status: HTTPStatus, message: str) -> Response:
    return Response(int(status), "text/plain; charset=utf-8", (message.rstrip("\n") + "\n").encode("utf-8"))


def uses_service(sparql: str) -> bool:
    """True when the query calls ``SERVICE`` (federation): pyoxigraph would make HTTP requests on the server's behalf."""
    return bool(_SERVICE.search(_NOT_CODE.sub(" ", sparql)))


def negotiate(accept: str | None, graph: bool) -> str | None:
    """The output format for an ``Accept`` header (q-values honoured; absent or ``*/*`` -> JSON or Turtle)."""
    media = GRAPH_MEDIA if graph else TABLE_MEDIA
    default = "turtle" if graph else "json"
    choices = []
    for position, item in enumerate((accept or "*/*").split(",")):
        kind, *params = [part.strip() for part in item.split(";")]
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        choices.append((-quality, position, kind.lower()))
    for negative_quality, _, kind in sorted(choices):
        if negative_quality >= 0:
            break
        if kind in media:
            return media[kind]
        if kind in ("*/*", "application/*", "text/*"):
            return default
    return None


class _CappedBuffer:
    """A write-only byte buffer that raises ``ResultTooLarge`` once it would exceed ``limit`` bytes."""

    def __init__(self, limit: int) -> None:
        self.limit, self.size, self.parts = limit, 0, []

    def write(self, data: bytes) -> int:
        self.size += len(data)
        if self.size > self.limit:
            raise ResultTooLarge(self.limit)
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        """Nothing to flush: the bytes are kept in memory."""


class ResultTooLarge(Exception):
    pass


def answer(store: Store, sparql: str, accept: str | None, max_result_bytes: int) -> Response:
    """Evaluate one query and serialise its result for ``accept``: the whole endpoint logic, minus HTTP and limits on time."""
    try:
        result = store.query(sparql, prefixes=PREFIXES)
    except SyntaxError as error:
        if is_update(sparql):
            return text_response(HTTPStatus.FORBIDDEN, "SPARQL Update is not allowed: this endpoint is read-only")
        return text_response(HTTPStatus.BAD_REQUEST, f"malformed SPARQL query: {error}")
    graph = isinstance(result, QueryTriples)
    name = negotiate(accept, graph)
    formats = GRAPH_FORMATS if graph else RESULT_FORMATS
    if name is None:
        offered = ", ".join(media for _, media in formats.values())
        return text_response(HTTPStatus.NOT_ACCEPTABLE, f"cannot answer in {accept!r}; available: {offered}")
    buffer = _CappedBuffer(max_result_bytes)
    try:
        serialize_result(result, name, buffer)
    except ResultTooLarge:
        return text_response(
            HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
            f"result larger than {max_result_bytes} bytes: add a LIMIT or select fewer variables",
        )
    except (OSError, RuntimeError, ValueError) as error:
        return text_response(HTTPStatus.INTERNAL_SERVER_ERROR, f"query failed: {error}")
    media = formats[name][1]
    charset = "" if media.endswith(("+json", "/json")) else "; charset=utf-8"
    return Response(200, media + charset, b"".join(buffer.parts))


def _worker(store: Store, conn: Connection, max_result_bytes: int) -> None:
    """Worker process loop: answer queries from the pipe until it closes."""
    while True:
        try:
            sparql, accept = conn.recv()
        except (EOFError, OSError):
            return
        response = answer(store, sparql, accept, max_result_bytes)
        conn.send((response.status, response.content_type, response.body))


class QueryPool:
    """Worker processes (forked with the loaded store) that run queries under a time limit."""

    def __init__(self, store: Store, *, size: int, timeout: float, max_result_bytes: int) -> None:
        self.store, self.timeout, self.max_result_bytes = store, timeout, max_result_bytes
        self._context = multiprocessing.get_context("fork")
        self._idle: queue.Queue = queue.Queue()
        self._all: set = set()
        self._lock = threading.Lock()
        for _ in range(size):
            self._idle.put(self._start())

    def _start(self) -> tuple:
        parent, child = self._context.Pipe()
        process = self._context.Process(target=_worker, args=(self.store, child, self.max_result_bytes), daemon=True)
        process.start()
        child.close()
        worker = (process, parent)
        with self._lock:
            self._all.add(worker)
        return worker

    def _stop(self, worker: tuple) -> None:
        process, conn = worker
        process.kill()
        process.join()
        conn.close()
        with self._lock:
            self._all.discard(worker)

    def run(self, sparql: str, accept: str | None) -> Response:
        """Answer a query in a worker; 503 when no worker frees up, or the query does not finish, within the time limit."""
        try:
            worker = self._idle.get(timeout=self.timeout)
        except queue.Empty:
            return text_response(HTTPStatus.SERVICE_UNAVAILABLE, "all query workers are busy; try again later")
        process, conn = worker
        try:
            conn.send((sparql, accept))
            if conn.poll(self.timeout):
                status, content_type, body = conn.recv()
                self._idle.put(worker)
                return Response(status, content_type, body)
        except (EOFError, OSError):
            pass  # the worker died (killed, out of memory): replaced below like a timed-out one
        self._stop(worker)
        self._idle.put(self._start())
        if not process.is_alive() and process.exitcode not in (None, -9):
            return text_response(HTTPStatus.INTERNAL_SERVER_ERROR, f"query worker failed (exit code {process.exitcode})")
        return text_response(HTTPStatus.SERVICE_UNAVAILABLE, f"query exceeded the time limit of {self.timeout:g} s")

    def close(self) -> None:
        with self._lock:
            workers = list(self._all)
        for worker in workers:
            self._stop(worker)


class SparqlServer(ThreadingHTTPServer):
    """The HTTP server: a thread per request, queries answered by the pool, export files served from ``site``."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], pool: QueryPool, site: Path, *, quiet: bool = False) -> None:
        super().__init__(address, SparqlHandler)
        self.pool, self.site, self.quiet = pool, site, quiet

    def server_close(self) -> None:
        super().server_close()
        self.pool.close()


class SparqlHandler(BaseHTTPRequestHandler):
    server: SparqlServer
    server_version = "kg-sparql/0.1"

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        if url.path == "/sparql":
            self._protocol(parse_qs(url.query, keep_blank_values=True))
        elif url.path in STATIC_FILES:
            self._static(*STATIC_FILES[url.path])
        else:
            self._send(text_response(HTTPStatus.NOT_FOUND, f"no such page: {url.path} (SPARQL endpoint: /sparql)"))

    def do_POST(self) -> None:
        if urlsplit(self.path).path != "/sparql":
            self._send(text_response(HTTPStatus.NOT_FOUND, "POST queries to /sparql"))
            return
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_REQUEST_BYTES:
            self._send(text_response(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"request body over {MAX_REQUEST_BYTES} bytes"))
            return
        body = self.rfile.read(length).decode("utf-8", errors="replace")
        content_type = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if content_type == "application/x-www-form-urlencoded":
            self._protocol(parse_qs(body, keep_blank_values=True))
        elif content_type == "application/sparql-query":
            self._protocol({"query": [body]})
        elif content_type == "application/sparql-update":
            self._protocol({"update": [body]})
        else:
            self._send(text_response(
                HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                "POST a form (application/x-www-form-urlencoded) or a query (application/sparql-query)",
            ))

    def do_OPTIONS(self) -> None:
        self.send_response(HTTPStatus.NO_CONTENT)
        self._cors()
        self.send_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
        self.send_header("Access-Control-Allow-Headers", "Content-Type, Accept")
        self.end_headers()

    def _protocol(self, params: dict[str, list[str]]) -> None:
        if "update" in params:
            self._send(text_response(HTTPStatus.FORBIDDEN, "SPARQL Update is not allowed: this endpoint is read-only"))
            return
        queries = params.get("query", [])
        if len(queries) != 1 or not queries[0].strip():
            self._send(text_response(HTTPStatus.BAD_REQUEST, "expected exactly one non-empty 'query' parameter"))
            return
        if is_update(queries[0]):
            self._send(text_response(HTTPStatus.FORBIDDEN, "SPARQL Update is not allowed: this endpoint is read-only"))
            return
        if uses_service(queries[0]):
            self._send(text_response(HTTPStatus.FORBIDDEN, "federated queries (SERVICE) are not allowed on this endpoint"))
            return
        self._send(self.server.pool.run(queries[0], self.headers.get("Accept")))

    def _static(self, name: str, content_type: str) -> None:
        path = self.server.site / name
        if not path.is_file():
            self._send(text_response(HTTPStatus.NOT_FOUND, f"{name} is not in {self.server.site} (run `kg build`); SPARQL endpoint: /sparql"))
            return
        self._send(Response(200, content_type, path.read_bytes()))

    def _cors(self) -> None:
        self.send_header("Access-Control-Allow-Origin", "*")

    def _send(self, response: Response) -> None:
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        self._cors()
        self.end_headers()
        self.wfile.write(response.body)

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - signature of BaseHTTPRequestHandler
        if not self.server.quiet:
            sys.stderr.write(f"{self.address_string()} {format % args}\n")


def make_server(
    graph: str | Path = "exports",
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    timeout: float = DEFAULT_TIMEOUT,
    max_result_bytes: int = DEFAULT_MAX_RESULT_BYTES,
    workers: int = 2,
    quiet: bool = False,
) -> SparqlServer:
    """Load ``graph`` (file or exports folder), fork the query workers, and bind the HTTP server (not yet serving)."""
    path = graph_file(graph)
    store = load_store(path)
    pool = QueryPool(store, size=workers, timeout=timeout, max_result_bytes=max_result_bytes)
    try:
        return SparqlServer((host, port), pool, path.parent, quiet=quiet)
    except OSError:
        pool.close()
        raise

