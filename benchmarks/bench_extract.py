"""Speed of extraction against spaCy's bare tokenizer, on the same abstracts, in one run.

    python benchmarks/bench_extract.py [--papers 20000] [--jobs 1 2] [--bare-runs 3] [--components]

The bundled sample (``kg/data/seeds``, read with :func:`kg.ingest.read_papers`) is repeated to
``--papers`` abstracts. Prints the bare ``spacy.blank("en")`` rate, the full default pipeline's
rate for each ``--jobs`` value (``N`` worker processes), and their ratio (the bar: at least 0.25).
The bare tokenizer is timed ``--bare-runs`` times (a few seconds each) and its best rate is the
reference, so that a busy moment on a shared machine cannot flatter the ratio. Each ``--jobs`` value is
timed in a process forked from the freshly built pipeline, so that no measurement inherits memo tables an
earlier one filled.
``--components`` also prints the time of each pipeline stage, in microseconds per abstract.
"""
from __future__ import annotations

import argparse
import itertools
import multiprocessing
import time
from pathlib import Path

import spacy

from kg.components.abbreviations import AcronymTable
from kg.extract import extract_papers, paper_text, records
from kg.ingest import merge_duplicates, read_papers
import kg.pipeline
from kg.pipeline import freeze_memory, make_pipeline

SEEDS = Path(kg.pipeline.__file__).resolve().parent / "data" / "seeds"


def sample_papers(count: int) -> list:
    """The bundled sample's distinct papers, repeated to ``count``."""
    papers = merge_duplicates(read_papers(SEEDS))
    return list(itertools.islice(itertools.cycle(papers), count))


def rate(count: int, seconds: float) -> float:
    return count / seconds if seconds else float("inf")


def stage_times(nlp, papers: list) -> dict[str, float]:
    """Microseconds per abstract of the tokenizer, each pipeline component and the record building."""
    times = {}
    start = time.perf_counter()
    docs = [nlp.make_doc(paper_text(paper)) for paper in papers]
    times["tokenizer"] = time.perf_counter() - start
    for name, component in nlp.pipeline:
        start = time.perf_counter()
        docs = [component(doc) for doc in docs]
        times[name] = time.perf_counter() - start
    found = [(doc._.kg_entities or [], doc._.kg_relations or []) for doc in docs]
    start = time.perf_counter()
    list(records(papers, found, AcronymTable()))
    times["records"] = time.perf_counter() - start
    return {name: seconds / len(papers) * 1e6 for name, seconds in times.items()}


def timed_extraction(nlp, papers: list, jobs: int, results) -> None:
    """Send ``(rate, entities)`` of extracting ``papers`` with ``jobs`` processes to the pipe end ``results``."""
    start = time.perf_counter()
    entities = sum(len(item.entities) for item in extract_papers(papers, nlp=nlp, jobs=jobs))
    results.send((rate(len(papers), time.perf_counter() - start), entities))


def from_fresh_state(nlp, papers: list, jobs: int) -> tuple[float, int]:
    """:func:`timed_extraction` in a process forked from this one, so that every measurement starts from the
    pipeline as built: otherwise a later one would inherit the memo tables an earlier one filled (forked
    ``--jobs`` workers start with the parent's memory), and on a sample repeated many times that flatters it."""
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    process = context.Process(target=timed_extraction, args=(nlp, papers, jobs, send))
    process.start()
    result = receive.recv()
    process.join()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=20000)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--bare-runs", type=int, default=3)
    parser.add_argument("--components", action="store_true", help="also time each pipeline stage")
    args = parser.parse_args()
    papers = sample_papers(args.papers)
    texts = [paper_text(p) for p in papers]
    chars = sum(map(len, texts))
    print(f"{len(papers)} abstracts, {chars / len(papers):.0f} characters each on average")

    bare = spacy.blank("en")
    rates = []
    for _ in range(max(1, args.bare_runs)):
        start = time.perf_counter()
        tokens = sum(len(doc) for doc in bare.pipe(texts, batch_size=256))
        rates.append(rate(len(texts), time.perf_counter() - start))
    bare_rate = max(rates)
    print(f"bare spacy.blank('en') tokenizer: {bare_rate:8.0f} abstracts/s ({tokens} tokens; "
          f"best of {len(rates)}, worst {min(rates):.0f})")

    nlp = make_pipeline()
    freeze_memory()  # as kg build and kg extract do
    for jobs in args.jobs:
        pipeline_rate, entities = from_fresh_state(nlp, papers, jobs)
        print(f"kg pipeline, jobs={jobs}:            {pipeline_rate:8.0f} abstracts/s ({entities} entities), "
              f"ratio to bare tokenizer {pipeline_rate / bare_rate:.3f}")
    if args.components:
        stages = stage_times(nlp, papers)
        print(f"per abstract (us; bare tokenizer {1e6 / bare_rate:.0f}): "
              + ", ".join(f"{name} {us:.0f}" for name, us in stages.items()))


if __name__ == "__main__":
    main()
