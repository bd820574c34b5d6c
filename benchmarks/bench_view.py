"""Benchmark the HTML view: page size and time to a stable layout in headless Chromium.

Writes the page for synthetic graphs of 60 and 300 nodes (laid out by vis-network in the page),
1,000 nodes, the bundled sample (extracted as ``kg build`` does) and a synthetic graph of
5,000 nodes (laid out in Python beforehand), opens each from ``file://`` in
headless Chromium with the network blocked, and reports the page size, the time to write it,
the time to first draw and the time until vis-network's stabilisation is done and physics
stops. An empty page opened the same way gives the baseline for browser start-up and load.

Run: ``python benchmarks/bench_view.py [--runs 3] [--out DIR]``. Needs /usr/bin/chromium.
"""
from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from kg.export.html import write_html
from kg.graph import KnowledgeGraph
from kg.records import ENTITY_TYPES, Entity, ExtractedPaper, Mention, Paper

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def synthetic_records(papers: int, entities: int, *, per_paper: int = 5, seed: int = 1) -> list[ExtractedPaper]:
    """Papers mentioning entities drawn from a Zipf-like distribution (a few very common, a long tail)."""
    rng = random.Random(seed)
    pool = [(f"{t[:3]}-{i}", t) for i in range(entities) for t in (ENTITY_TYPES[i % len(ENTITY_TYPES)],)]
    weights = [1.0 / (rank + 1) ** 0.9 for rank in range(entities)]
    out = []
    for p in range(papers):
        title = f"Synthetic paper {p} on " + " and ".join(rng.choice(["scaling", "alignment", "retrieval", "vision"]) for _ in range(2))
        chosen = {pool[i] for i in rng.choices(range(entities), weights, k=per_paper)}
        chosen |= {pool[i] for i in range(p, entities, papers)}  # every entity appears at least once
        ents = tuple(
            Entity(name=name, type=type_, aliases=(name.upper(),), proposed=False,
                   mentions=(Mention(name, "abstract", 0, len(name), f"We use {name} in this paper."),),
                   rule="synthetic", confidence=1.0)
            for name, type_ in sorted(chosen)
        )
        out.append(ExtractedPaper(
            Paper(id=f"9{p:04d}.{p:05d}", title=title, abstract=title, date="2024-01-01", author_count=3),
            entities=ents,
        ))
    return out


def graph_with_nodes(target: int, *, seed: int = 1) -> KnowledgeGraph:
    """A synthetic graph of exactly ``target`` nodes: 40% papers, 60% entities (about the sample's mix)."""
    papers = target * 2 // 5
    return KnowledgeGraph.from_extracted(synthetic_records(papers, target - papers, seed=seed))


def sample_graph() -> KnowledgeGraph | None:
    """The bundled sample, ingested and extracted as ``kg build`` does; None when those stages are not importable."""
    try:
        from kg.build import sample_inputs
        from kg.extract import extract_papers
        from kg.ingest import merge_duplicates, read_papers
    except ImportError:
        return None
    return KnowledgeGraph.from_extracted(extract_papers(merge_duplicates(read_papers(sample_inputs()))))


def measure(page_path: Path, *, runs: int, timeout_s: float = 300) -> list[dict]:
    """Open the page ``runs`` times in a fresh headless Chromium; return timings per run (ms)."""
    results = []
    with sync_playwright() as pw:
        for _ in range(runs):
            with tempfile.TemporaryDirectory() as profile:
                context = pw.chromium.launch_persistent_context(
                    profile, executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS,
                    viewport={"width": 1280, "height": 800},
                )
                blocked: list[str] = []
                context.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:")
                              else (blocked.append(route.request.url), route.abort()))
                page = context.new_page()
                start = time.perf_counter()
                page.goto(page_path.as_uri(), wait_until="load", timeout=timeout_s * 1000)
                loaded = time.perf_counter()
                is_view = page.evaluate("typeof window.kgView !== 'undefined'")
                row = {"load_ms": (loaded - start) * 1000, "blocked": len(blocked)}
                if is_view:
                    page.wait_for_function("() => window.kgView.stable", timeout=timeout_s * 1000)
                    stable = time.perf_counter()
                    inner = page.evaluate(
                        "({nav: performance.timing.navigationStart, start: kgView.startedAt, "
                        "draw: kgView.firstDrawAt, stable: kgView.stableAt, nodes: kgView.nodes.length})"
                    )
                    row.update(
                        wall_stable_ms=(stable - start) * 1000,
                        script_start_ms=inner["start"],
                        first_draw_ms=inner["draw"],
                        stable_ms=inner["stable"],
                        layout_ms=inner["stable"] - inner["start"],
                        nodes=inner["nodes"],
                    )
                results.append(row)
                context.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=None, help="keep the pages in this folder")
    args = parser.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="kg-bench-view-"))
    out.mkdir(parents=True, exist_ok=True)

    empty = out / "empty.html"
    empty.write_text("<!DOCTYPE html><html><head><meta charset=utf-8><title>empty</title></head><body></body></html>")
    cases = {"synthetic 60": graph_with_nodes(60), "synthetic 300": graph_with_nodes(300),
             "synthetic 1,000": graph_with_nodes(1000)}
    sample = sample_graph()
    if sample is not None:
        cases["bundled sample"] = sample
    cases["synthetic 5,000"] = graph_with_nodes(5000)
    base = measure(empty, runs=args.runs)
    print(f"baseline empty page: load {statistics.median(r['load_ms'] for r in base):.0f} ms (median of {args.runs})")
    print(f"{'graph':28} {'nodes':>6} {'edges':>6} {'page KB':>8} {'write s':>8} {'load ms':>8} "
          f"{'1st draw ms':>11} {'stable ms':>10} {'layout ms':>10} {'blocked':>7}")
    for name, graph in cases.items():
        path = out / (name.replace(" ", "-").replace(",", "") + ".html")
        t0 = time.perf_counter()
        write_html(graph, path)
        write_s = time.perf_counter() - t0
        rows = measure(path, runs=args.runs)
        med = {k: statistics.median(r[k] for r in rows) for k in ("load_ms", "first_draw_ms", "stable_ms", "layout_ms")}
        nxg = graph.to_networkx()
        print(f"{name:28} {nxg.number_of_nodes():>6} {nxg.number_of_edges():>6} {path.stat().st_size / 1024:>8.0f} "
              f"{write_s:>8.2f} {med['load_ms']:>8.0f} {med['first_draw_ms']:>11.0f} {med['stable_ms']:>10.0f} "
              f"{med['layout_ms']:>10.0f} {max(r['blocked'] for r in rows):>7}")
    print("load ms: navigation to the load event (wall clock, from Python); 1st draw / stable ms: from navigation "
          "start, in the page (performance.now); layout ms: from our script's start to physics off.")


if __name__ == "__main__":
    main()
