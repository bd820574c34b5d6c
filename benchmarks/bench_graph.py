"""Benchmark the knowledge graph: build time, peak memory and look-up times for 10k / 100k / 1M synthetic papers.

Each size runs in a fresh subprocess (so peak RSS is that size's own), twice: once building the
KnowledgeGraph, once building a baseline, a bare ``networkx.MultiDiGraph`` of the same paper->entity
edges without attributes, evidence or merging, answering the same look-ups the plain way. Every
figure is also given as a ratio to that baseline.

Synthetic papers are realistic in shape: ~100k entity names over the five types, drawn with a
Zipf-like frequency (a few very common models and benchmarks, a long tail), 8-16 entities per paper,
a third of papers proposing a new name, some acronym aliases, one evidence sentence per mention,
one entity relation per paper on average, dates over ten years with some year-less ones.

    python benchmarks/bench_graph.py                   # 10k and 100k
    python benchmarks/bench_graph.py --sizes 10000 100000 1000000
"""
from __future__ import annotations

import argparse
import bisect
import gc
import heapq
import itertools
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Iterator

TYPES = {"Model": 0.30, "Method": 0.30, "Benchmark": 0.15, "Metric": 0.08, "Task": 0.17}
NAMES = 100_000
ZIPF = 1.07
LOOKUPS = {"entity": 2000, "papers_of": 2000, "related": 100, "top": 20}
SYLLABLES = ["ra", "no", "ti", "ve", "la", "ko", "mi", "ser", "tan", "gu", "pho", "dex", "qua", "lin", "zor", "bel"]


def synthetic_names(rng: random.Random) -> list[tuple[str, str, tuple[str, ...]]]:
    """``NAMES`` distinct (name, type, aliases), most frequent first; one in ten has an acronym alias."""
    names, seen = [], set()
    types, weights = list(TYPES), list(TYPES.values())
    while len(names) < NAMES:
        words = [("".join(rng.choices(SYLLABLES, k=rng.randint(2, 3)))).capitalize() for _ in range(rng.randint(1, 3))]
        name = " ".join(words) + (f"-{rng.randint(1, 70)}B" if rng.random() < 0.2 else "")
        if name.lower() in seen:
            continue
        seen.add(name.lower())
        aliases = ("".join(w[0] for w in words) + "X" + str(len(names)),) if rng.random() < 0.1 else ()
        names.append((name, rng.choices(types, weights)[0], aliases))
    return names


def synthetic_papers(count: int, seed: int = 7) -> Iterator:
    """``count`` synthetic ExtractedPaper records (deterministic for a seed)."""
    from kg.records import Entity, ExtractedPaper, Mention, Paper, Relation

    rng = random.Random(seed)
    names = synthetic_names(rng)
    cumulative = list(itertools.accumulate(1 / (rank + 1) ** ZIPF for rank in range(len(names))))
    total = cumulative[-1]
    for index in range(count):
        picked, wanted = {}, rng.randint(8, 16)
        while len(picked) < wanted:
            rank = bisect.bisect(cumulative, rng.random() * total)
            picked.setdefault(rank, names[min(rank, len(names) - 1)])
        entities = []
        for name, type_, aliases in picked.values():
            sentence = f"We evaluate {name} against strong baselines and report consistent gains on every split of the data."
            entities.append(Entity(name, type_, aliases, False, (Mention(name, "abstract", 12, 12 + len(name), sentence),), "lexicon", 0.9))
        if rng.random() < 0.33:
            new = f"Paper{index}Net"
            entities.append(Entity(new, "Model", (), True, (Mention(new, "title", 0, len(new), f"{new}: a new model"),), "proposal", 0.8))
        relations = ()
        if rng.random() < 0.5:
            a, b = rng.sample(entities, 2)
            relations = (Relation(a.name, a.type, rng.choice(["comparedWith", "outperforms", "variantOf"]), b.name, b.type, "A beats B.", "pattern"),)
        year = rng.randint(2015, 2025)
        draw = rng.random()
        date = None if draw < 0.02 else f"--{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}" if draw < 0.07 else f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        paper = Paper(f"{index:07d}", f"Synthetic paper {index} on {entities[0].name}", "", date, ("A. Author", "B. Author"), 2, rng.randint(0, 50), None, (), "synthetic", index + 1)
        yield ExtractedPaper(paper, tuple(entities), relations)


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_rss_mib() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 2**20


def per_call(function, arguments: list) -> float:
    """Mean seconds per call of ``function`` over ``arguments``."""
    started = time.perf_counter()
    for argument in arguments:
        function(argument)
    return (time.perf_counter() - started) / len(arguments)


def lookup_names(count: int, rng: random.Random) -> list[str]:
    """Look-up queries: names drawn uniformly over ranks seen in the graph, spelled differently (lower case, plural)."""
    names = synthetic_names(random.Random(7))[: max(1000, min(NAMES, count // 2))]
    return [rng.choice([name.lower(), name + "s", name.upper()]) for name, _, _ in rng.sample(names, LOOKUPS["entity"])]


def run_kg(count: int, io: bool) -> dict:
    from kg.graph import KnowledgeGraph

    graph, build = KnowledgeGraph(), 0.0
    for item in synthetic_papers(count):
        started = time.perf_counter()
        graph.add(item)
        build += time.perf_counter() - started
    gc.collect()
    result = {"build_s": build, "rss_after_build_mib": current_rss_mib(), **{f"graph.{k}": v for k, v in graph.stats().items() if k in ("papers", "entities", "edges.uses", "edges.proposes")}}
    rng = random.Random(1)
    queries = [q for q in lookup_names(count, rng) if graph.entities_named(q)]
    nodes = [graph.entity(q).node for q in queries]
    result["lookup.entity_s"] = per_call(graph.entity, queries)
    result["lookup.papers_of_s"] = per_call(graph.papers_of, nodes)
    result["lookup.related_s"] = per_call(lambda node: graph.related(node, 10, min_support=2), nodes[: LOOKUPS["related"]])
    result["lookup.top_s"] = per_call(lambda t: graph.top(t, 10), [list(TYPES)[i % 5] for i in range(LOOKUPS["top"])])
    result["lookup.evidence_s"] = per_call(lambda node: [graph.evidence(p, node, r) for p in graph.papers_of(node)[:1] for r in graph.to_networkx().succ[p][node]], nodes[:500])
    if io:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "graph.kg.json.gz"
            started = time.perf_counter()
            graph.save(path)
            result["save_s"] = time.perf_counter() - started
            result["file_mib"] = path.stat().st_size / 2**20
            del graph
            gc.collect()
            started = time.perf_counter()
            KnowledgeGraph.load(path)
            result["load_s"] = time.perf_counter() - started
    result["peak_rss_mib"] = peak_rss_mib()
    return result


def run_baseline(count: int) -> dict:
    """A bare MultiDiGraph of the same paper->entity edges (exact names as node ids, no attributes), same look-ups."""
    import networkx as nx

    graph, build = nx.MultiDiGraph(), 0.0
    for item in synthetic_papers(count):
        started = time.perf_counter()
        paper = "paper:" + item.paper.id
        graph.add_node(paper)
        for entity in item.entities:
            graph.add_edge(paper, entity.name, key="proposes" if entity.proposed else "uses")
        build += time.perf_counter() - started
    gc.collect()
    result = {"build_s": build, "rss_after_build_mib": current_rss_mib()}
    rng = random.Random(1)
    exact = {name.lower(): name for name, _, _ in synthetic_names(random.Random(7))}
    queries = [q for q in lookup_names(count, rng) if exact.get(q.lower().removesuffix("s")) in graph or exact.get(q.lower()) in graph]
    nodes = [exact.get(q.lower()) or exact[q.lower().removesuffix("s")] for q in queries]
    nodes = [n for n in nodes if n in graph]
    lowered = {n.lower(): n for n in graph}  # the cheapest case-insensitive look-up: one dict
    result["lookup.entity_s"] = per_call(lambda q: lowered.get(q.lower()) or lowered.get(q.lower()[:-1]), queries)
    result["lookup.papers_of_s"] = per_call(lambda n: sorted(graph.pred[n]), nodes)

    def related(node: str) -> list:
        together = Counter(o for p in graph.pred[node] for o in graph.succ[p] if o != node)
        return together.most_common(10)

    result["lookup.related_s"] = per_call(related, nodes[: LOOKUPS["related"]])
    entity_nodes = [n for n in graph if not n.startswith("paper:")]
    result["lookup.top_s"] = per_call(lambda _: heapq.nlargest(10, entity_nodes, key=lambda n: len(graph.pred[n])), range(LOOKUPS["top"]))
    result["peak_rss_mib"] = peak_rss_mib()
    return result


def measure(count: int, kind: str, io: bool) -> dict:
    """Run one measurement in a fresh interpreter and return its figures."""
    command = [sys.executable, __file__, "--worker", kind, str(count)] + (["--io"] if io else [])
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--worker", nargs=2, metavar=("KIND", "COUNT"), help=argparse.SUPPRESS)
    parser.add_argument("--io", action="store_true", help="also time save/load (sizes up to 100k by default)")
    parser.add_argument("--json", type=Path, help="also write all figures to this JSON file")
    args = parser.parse_args()
    if args.worker:
        kind, count = args.worker[0], int(args.worker[1])
        print(json.dumps(run_kg(count, args.io) if kind == "kg" else run_baseline(count)))
        return
    results = {}
    for count in args.sizes:
        ours = measure(count, "kg", io=args.io or count <= 100_000)
        base = measure(count, "baseline", io=False)
        results[count] = {"kg": ours, "baseline": base}
        print(f"\n== {count:,} papers ==", flush=True)
        for name, value in ours.items():
            ratio = f"  x{value / base[name]:.2f} vs bare networkx" if name in base and base[name] else ""
            print(f"{name:28s} {value:14.6g}{ratio}", flush=True)
        if args.json:
            args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
