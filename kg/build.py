"""The main job: ingest -> merge -> extract -> graph -> exports, in one call.

``build()`` streams papers through the spaCy pipeline and writes every output atomically,
so an interrupted build leaves the previous exports untouched.
"""
from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Callable, Sequence

from kg.atomic import atomic_write
from kg.extract import extract_papers, to_json_line
from kg.graph import KnowledgeGraph
from kg.ingest import IngestReport, merge_duplicates, read_papers
from kg.pipeline import freeze_memory, make_pipeline
from kg.records import Paper

GRAPH_FILE = "graph.kg.json.gz"
PAPERS_FILE = "papers.jsonl"
HTML_FILE = "graph.html"


class BuildError(Exception):
    """The build cannot produce anything (no usable paper was read)."""


@dataclass
class BuildResult:
    """What a build read, found and wrote."""

    out_dir: Path
    ingest: IngestReport
    papers: int = 0
    entities_by_type: dict[str, int] = field(default_factory=dict)
    links: int = 0
    outputs: dict[str, Path] = field(default_factory=dict)
    seconds: float = 0.0


def sample_inputs() -> list[Path]:
    """The bundled sample corpus: the Hugging Face Papers pages shipped inside the package."""
    return [Path(str(resources.files("kg") / "data" / "seeds"))]


def build(
    inputs: Sequence[str | Path] = (),
    out_dir: str | Path = "exports",
    *,
    format: str | None = None,
    jobs: int = 1,
    html: bool = True,
    on_paper: Callable[[int, int], None] | None = None,
) -> BuildResult:
    """Build the knowledge graph of ``inputs`` (default: the bundled sample) and write all exports to ``out_dir``.

    ``on_paper(done, total)`` is called as papers are extracted, for progress display.
    Raises ``BuildError`` when no usable paper was read; bad records are skipped and reported.
    """
    started = time.perf_counter()
    out = Path(out_dir)
    report = IngestReport()
    papers = merge_duplicates(read_papers(list(inputs) or sample_inputs(), format=format, report=report), report=report)
    papers = [_portable_source(paper) for paper in papers]
    if not papers:
        raise BuildError(f"no usable paper was read from {', '.join(map(str, inputs)) or 'the sample'}")
    result = BuildResult(out_dir=out, ingest=report)
    nlp = make_pipeline()
    freeze_memory()
    graph = KnowledgeGraph()
    records_path = out / PAPERS_FILE
    with atomic_write(records_path) as records:
        for done, item in enumerate(extract_papers(papers, nlp=nlp, jobs=jobs), start=1):
            graph.add(item)
            records.write(to_json_line(item))
            if on_paper:
                on_paper(done, len(papers))
    result.outputs["papers"] = records_path
    result.outputs.update(_write_exports(graph, out, html=html))
    _summarise(graph, result)
    result.seconds = time.perf_counter() - started
    return result


def _portable_source(paper: Paper) -> Paper:
    """Name files inside the installed package relative to it, so outputs do not depend on where kg is installed."""
    package_dir = Path(str(resources.files("kg")))
    try:
        relative = Path(paper.source).resolve().relative_to(package_dir.resolve())
    except ValueError:
        return paper
    return replace(paper, source=f"kg/{relative.as_posix()}")


def _write_exports(graph: KnowledgeGraph, out: Path, *, html: bool) -> dict[str, Path]:
    from kg.export.rdf import write_rdf

    outputs = {"graph": out / GRAPH_FILE}
    graph.save(outputs["graph"])
    outputs.update(write_rdf(graph, out))
    if html:
        from kg.export.html import write_html

        outputs["html"] = write_html(graph, out / HTML_FILE)
    return outputs


def _summarise(graph: KnowledgeGraph, result: BuildResult) -> None:
    nx_graph = graph.to_networkx()
    types = Counter(nx_graph.nodes[n]["type"] for n in graph.entities())
    result.entities_by_type = dict(sorted(types.items()))
    result.papers = sum(1 for _ in graph.papers())
    result.links = sum(1 for u, _ in nx_graph.edges() if nx_graph.nodes[u]["kind"] == "paper")

