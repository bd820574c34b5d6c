"""SPARQL over the RDF exports with pyoxigraph, result formats, and the library of named queries.

``run_query`` loads an export (``graph.nt`` / ``graph.ttl`` / ``graph.jsonld`` or a folder holding one) into an in-memory
pyoxigraph store and evaluates a query; ``serialize_result`` writes the result in a SPARQL results
format (JSON, XML, CSV, TSV) or, for CONSTRUCT / DESCRIBE, an RDF format; ``format_table`` renders a
plain-text table. Named queries are data files, ``kg/queries/*.rq``, each with a comment header::

    # name: metrics-on-benchmark
    # description: Metrics reported by papers that evaluate on a benchmark.
    # param: benchmark (Benchmark) = ImageNet : the benchmark's name or alias, any case

Parameters are bound in a ``VALUES`` block placed at the top of the query's outer ``WHERE`` group:
text parameters as literals, entity parameters as the IRIs of the entities the name resolves to
(resolving first lets the engine use its indexes instead of filtering every label). Terms are written by
pyoxigraph's own serialiser, so a value can never change the query's syntax.
"""
from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Callable, Mapping, Union

from pyoxigraph import (
    Literal,
    NamedNode,
    QueryBoolean,
    QueryResultsFormat,
    QuerySolutions,
    QueryTriples,
    RdfFormat,
    Store,
    serialize,
)

from kg.namespace import KG, PREFIXES
from kg.records import ENTITY_TYPES

QUERY_DIR = Path(__file__).resolve().parent / "queries"
# Files looked for, in order, when the graph source is a folder such as exports/ (N-Triples loads fastest).
GRAPH_FILES = ("graph.nt", "graph.ttl", "graph.jsonld")
_LOAD_FORMATS = {".nt": RdfFormat.N_TRIPLES, ".ttl": RdfFormat.TURTLE, ".jsonld": RdfFormat.JSON_LD}
# A JSON-LD document whose context is a file name ("@context": "context.jsonld", as kg build writes it).
_CONTEXT_REFERENCE = re.compile(rb'^\s*\{\s*"@context"\s*:\s*"([^"/\\:]+)"')

Result = Union[QuerySolutions, QueryBoolean, QueryTriples]

# Output format name -> (pyoxigraph format, media type). Solutions and booleans use the SPARQL results formats,
# graphs (CONSTRUCT, DESCRIBE) the RDF formats.
RESULT_FORMATS = {
    "json": (QueryResultsFormat.JSON, "application/sparql-results+json"),
    "xml": (QueryResultsFormat.XML, "application/sparql-results+xml"),
    "csv": (QueryResultsFormat.CSV, "text/csv"),
    "tsv": (QueryResultsFormat.TSV, "text/tab-separated-values"),
}
GRAPH_FORMATS = {
    "turtle": (RdfFormat.TURTLE, "text/turtle"),
    "ntriples": (RdfFormat.N_TRIPLES, "application/n-triples"),
    "jsonld": (RdfFormat.JSON_LD, "application/ld+json"),
    "rdfxml": (RdfFormat.RDF_XML, "application/rdf+xml"),
}


class QueryError(Exception):
    """A problem the user can fix (missing graph, malformed query, unknown parameter); the message says which."""


@dataclass(frozen=True, slots=True)
class Parameter:
    """A named query's parameter. ``kind`` is ``text`` (bound as a literal), ``entity`` or an entity type
    (the value is an entity name or alias, bound to the IRIs of the matching entities)."""

    name: str
    kind: str
    default: str
    description: str


# Finds the entities a name refers to: (name, entity type or None) -> IRIs.
Resolver = Callable[[str, "str | None"], list[NamedNode]]
PARAMETER_KINDS = ("text", "entity", *ENTITY_TYPES)


@dataclass(frozen=True, slots=True)
class NamedQuery:
    """A query of the library: its name, what it answers, its parameters, and its SPARQL text."""

    name: str
    description: str
    parameters: tuple[Parameter, ...]
    text: str

    def bind(self, values: Mapping[str, str] | None = None, resolve: Resolver | None = None) -> str:
        """The SPARQL text with every parameter bound (to ``values`` or its default) in a ``VALUES`` block.

        Text parameters become literals; entity parameters become the IRIs ``resolve`` finds for the name
        (one row each; no row at all when nothing matches, so the query answers nothing).
        """
        values = dict(values or {})
        unknown = sorted(set(values) - {p.name for p in self.parameters})
        if unknown:
            known = ", ".join(p.name for p in self.parameters) or "none"
            raise QueryError(f"query {self.name!r} has no parameter {', '.join(unknown)} (parameters: {known})")
        if not self.parameters:
            return self.text
        rows: list[list] = [[]]
        for param in self.parameters:
            value = values.get(param.name, param.default)
            if param.kind == "text":
                options = [Literal(value)]
            elif resolve is None:
                raise QueryError(f"parameter {param.name!r} names an entity: binding it needs a graph")
            else:
                options = resolve(value, None if param.kind == "entity" else param.kind)
            rows = [row + [term] for row in rows for term in options]
        names = " ".join(f"?{p.name}" for p in self.parameters)
        body = " ".join("(" + " ".join(str(term) for term in row) + ")" for row in rows)
        where = _OUTER_WHERE.search(self.text)
        if where is None:
            raise QueryError(f"named query {self.name!r} has no WHERE {{ to bind its parameters in")
        block = f"\n  VALUES ({names}) {{ {body} }}"
        return self.text[: where.end()] + block + self.text[where.end():]


def entity_resolver(store: Store) -> Resolver:
    """Resolve entity names on ``store``: exact label or alias first (an index look-up), else any case."""

    def resolve(name: str, entity_type: str | None) -> list[NamedNode]:
        typed = f"?e a {NamedNode(str(KG[entity_type]))} ." if entity_type else ""
        label = Literal(name)
        exact = f"SELECT DISTINCT ?e WHERE {{ ?e skos:prefLabel|skos:altLabel {label} . {typed} }} ORDER BY ?e"
        found = [solution["e"] for solution in store.query(exact, prefixes=PREFIXES)]
        if found:
            return found
        folded = (
            f"SELECT DISTINCT ?e WHERE {{ ?e skos:prefLabel|skos:altLabel ?label . {typed} "
            f"FILTER(LCASE(STR(?label)) = LCASE({label})) }} ORDER BY ?e"
        )
        return [solution["e"] for solution in store.query(folded, prefixes=PREFIXES)]

    return resolve


_UPDATE = re.compile(r"^\s*(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b", re.IGNORECASE)
_PROLOGUE = re.compile(r"^\s*(#[^\n]*\n|PREFIX\s+[\w.-]*:\s*<[^>]*>|BASE\s*<[^>]*>)", re.IGNORECASE)
_OUTER_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)
_HEADER = re.compile(r"^#\s*(name|description|param):\s*(.*?)\s*$")
_PARAM = re.compile(r"^(\w+)\s*(?:\((\w+)\))?\s*=\s*(.*?)\s*:\s*(.+)$")


def parse_named_query(text: str, source: str) -> NamedQuery:
    """Read a ``.rq`` file's header: ``# name:``, ``# description:``, ``# param: name (kind) = default : text``."""
    fields: dict[str, str] = {}
    parameters: list[Parameter] = []
    for number, line in enumerate(text.splitlines(), 1):
        match = _HEADER.match(line)
        if not match:
            continue
        key, value = match.groups()
        if key == "param":
            param = _PARAM.match(value)
            if param is None or (param.group(2) or "text") not in PARAMETER_KINDS:
                raise QueryError(
                    f"{source}:{number}: expected '# param: name (kind) = default : description' "
                    f"with kind one of {', '.join(PARAMETER_KINDS)}"
                )
            name, kind, default, description = param.groups()
            parameters.append(Parameter(name, kind or "text", default, description))
        else:
            fields[key] = value
    missing = [key for key in ("name", "description") if key not in fields]
    if missing:
        raise QueryError(f"{source}: header lacks {' and '.join(missing)}")
    return NamedQuery(fields["name"], fields["description"], tuple(parameters), text)


def named_queries(folder: Path = QUERY_DIR) -> dict[str, NamedQuery]:
    """The query library, by name, sorted."""
    queries = {}
    for path in sorted(folder.glob("*.rq")):
        query = parse_named_query(path.read_text(encoding="utf-8"), str(path))
        queries[query.name] = query
    return queries


def graph_file(source: str | Path) -> Path:
    """The RDF file behind ``source``: the file itself, or the first of ``GRAPH_FILES`` in a folder."""
    path = Path(source)
    if path.is_dir():
        for name in GRAPH_FILES:
            if (path / name).is_file():
                return path / name
        raise QueryError(f"no graph in folder {path}: expected one of {', '.join(GRAPH_FILES)} (run `kg build` first)")
    if not path.is_file():
        raise QueryError(f"graph file not found: {path}")
    if path.suffix not in _LOAD_FORMATS:
        raise QueryError(f"{path}: unknown graph format {path.suffix!r}; expected {', '.join(_LOAD_FORMATS)}")
    return path


def load_store(source: str | Path) -> Store:
    """An in-memory pyoxigraph store holding the graph at ``source`` (a file, or a folder such as ``exports/``)."""
    path = graph_file(source)
    store = Store()
    try:
        if path.suffix == ".jsonld":
            with path.open("rb") as handle:
                store.bulk_load(input=with_local_context(handle, path.parent), format=RdfFormat.JSON_LD)
        else:
            store.bulk_load(path=str(path), format=_LOAD_FORMATS[path.suffix])
    except (SyntaxError, ValueError, OSError) as error:
        raise QueryError(f"{path}: cannot load graph: {error}") from error
    return store


def with_local_context(handle: IO[bytes], folder: Path) -> IO[bytes]:
    """The JSON-LD stream ``handle`` with a context given as a file name in ``folder`` inlined.

    pyoxigraph fetches no context (a relative reference fails), and ``kg build`` writes ``graph.jsonld``
    with ``"@context": "context.jsonld"``: the reference is replaced by that file's ``@context`` object
    and the rest of the document streams through unchanged.
    """
    head = handle.read(4096)
    match = _CONTEXT_REFERENCE.match(head)
    if match is None or not (folder / match.group(1).decode()).is_file():
        return _Chained(head, handle)
    context = json.loads((folder / match.group(1).decode()).read_text(encoding="utf-8"))["@context"]
    inlined = b'{"@context": ' + json.dumps(context).encode() + head[match.end():]
    return _Chained(inlined, handle)


class _Chained(io.RawIOBase):
    """A read-only byte stream: ``first``, then the rest of ``handle``."""

    def __init__(self, first: bytes, handle: IO[bytes]) -> None:
        self.first = first
        self.handle = handle

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self.first:
            size = min(len(buffer), len(self.first))
            buffer[:size], self.first = self.first[:size], self.first[size:]
            return size
        data = self.handle.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)


def run_query(source: str | Path | Store, sparql: str) -> Result:
    """Evaluate a SPARQL 1.1 query (the ``PREFIXES`` are predeclared) on a store or a graph file or folder.

    Raises ``QueryError`` with the parser's message for a malformed query or an update. The result is
    pyoxigraph's lazy iterator: consume it once (``format_table``, ``serialize_result``).
    """
    store = source if isinstance(source, Store) else load_store(source)
    try:
        return store.query(sparql, prefixes=PREFIXES)
    except SyntaxError as error:
        if is_update(sparql):
            raise QueryError("SPARQL Update is not supported: queries are read-only") from error
        raise QueryError(f"malformed SPARQL query: {error}") from error


def is_update(sparql: str) -> bool:
    """True when the text, after its prologue and comments, starts like a SPARQL Update operation."""
    text = sparql
    while (match := _PROLOGUE.match(text)) is not None:
        text = text[match.end():]
    return bool(_UPDATE.match(text))


def serialize_result(result: Result, name: str, output: IO[bytes] | None = None) -> bytes | None:
    """Write ``result`` in the format ``name`` (json, xml, csv, tsv; turtle, ntriples, jsonld, rdfxml for graphs)."""
    if isinstance(result, QueryTriples):
        formats, kind = GRAPH_FORMATS, "a graph (CONSTRUCT/DESCRIBE)"
    else:
        formats, kind = RESULT_FORMATS, "a table (SELECT/ASK)"
    if name not in formats:
        raise QueryError(f"the result is {kind}: choose an output among {', '.join(formats)}, not {name!r}")
    if isinstance(result, QueryTriples):
        return serialize(result, output, formats[name][0], prefixes=PREFIXES)
    return result.serialize(output, formats[name][0])


def term_text(term) -> str:
    """A term for people: literals as their text, IRIs compacted with the known prefixes, blank nodes as ``_:id``."""
    if term is None:
        return ""
    if isinstance(term, Literal):
        return term.value
    if not isinstance(term, NamedNode):
        return str(term)
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda item: -len(item[1])):
        if term.value.startswith(namespace):
            return f"{prefix}:{term.value[len(namespace):]}"
    return term.value


def result_rows(result: Result) -> tuple[list[str], list[list[str]]]:
    """Column names and rows of text for any result (a graph gives subject, predicate, object)."""
    if isinstance(result, QueryBoolean):
        return ["result"], [["true" if bool(result) else "false"]]
    if isinstance(result, QueryTriples):
        return ["subject", "predicate", "object"], [[term_text(t) for t in (s.subject, s.predicate, s.object)] for s in result]
    names = [v.value for v in result.variables]
    return names, [[term_text(solution[name]) for name in names] for solution in result]


def format_table(result: Result, *, max_width: int = 60) -> str:
    """A plain-text table; long cells are cut with an ellipsis, newlines shown as spaces."""
    columns, rows = result_rows(result)
    cells = [[_cell(v, max_width) for v in row] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    line = "  ".join(c.ljust(w) for c, w in zip(columns, widths)).rstrip()
    rule = "  ".join("-" * w for w in widths)
    body = ["  ".join(v.ljust(w) for v, w in zip(row, widths)).rstrip() for row in cells]
    count = f"({len(rows)} row{'s' if len(rows) != 1 else ''})"
    return "\n".join([line, rule, *body, count]) + "\n"


def _cell(value: str, max_width: int) -> str:
    flat = " ".join(value.split())
    return flat if len(flat) <= max_width else flat[: max_width - 1] + "…"
