"""kg: knowledge graphs of machine-learning literature.

    >>> import kg
    >>> result = kg.build(out_dir="exports")          # the bundled sample   # doctest: +SKIP
    >>> graph = kg.KnowledgeGraph.load("exports/graph.kg.json.gz")         # doctest: +SKIP

The stages, each usable on its own: ``read_papers`` (ingest) -> ``extract_papers`` (spaCy)
-> ``KnowledgeGraph`` (NetworkX) -> ``write_rdf`` / ``write_html`` / SPARQL ``run_query``.
Names are imported on first use, so ``import kg`` stays fast and loads spaCy only when needed.
"""
from __future__ import annotations

import importlib

__version__ = "0.1.0"

_API = {
    "Paper": "kg.records",
    "Entity": "kg.records",
    "Mention": "kg.records",
    "Relation": "kg.records",
    "ExtractedPaper": "kg.records",
    "read_papers": "kg.ingest",
    "merge_duplicates": "kg.ingest",
    "IngestReport": "kg.ingest",
    "make_pipeline": "kg.pipeline",
    "extract_papers": "kg.extract",
    "KnowledgeGraph": "kg.graph",
    "build": "kg.build",
    "write_rdf": "kg.export.rdf",
    "write_html": "kg.export.html",
    "run_query": "kg.query",
}
__all__ = sorted(_API)


def __getattr__(name: str):
    if name in _API:
        return getattr(importlib.import_module(_API[name]), name)
    raise AttributeError(f"module 'kg' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_API))
