"""Benchmark: stream an arXiv metadata snapshot of N lines through ``kg.ingest.read_papers``.

Generates the snapshot in a temporary folder (real abstracts from
``../shared/corpora/arxiv-cs-2025.jsonl.gz`` repeated with fresh ids when present, else
synthetic text), then times, each in its own process so peak RSS is its own:

- baseline: ``json.loads`` of every line, nothing else (the floor for any JSONL reader);
- reader: ``read_papers`` with format detection, full field normalisation and ``Paper`` records;
- reader on a tenth of the file: peak RSS must not grow with file size.

Wall time and CPU time (user + system) are both printed: on a shared machine the first is noisy.

    python benchmarks/bench_ingest.py --lines 1000000
"""
from __future__ import annotations

import argparse
import gzip
import itertools
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "arxiv-cs-2025.jsonl.gz"
SYNTHETIC_WORDS = "model training attention transformer benchmark accuracy dataset language vision graph learning inference".split()


def _source_records(corpus: Path) -> list[dict]:
    if corpus.is_file():
        with gzip.open(corpus, "rt", encoding="utf-8") as handle:
            return [json.loads(line) for line in itertools.islice(handle, 20000)]
    return [
        {
            "title": f"Synthetic Paper {n}: {' '.join(SYNTHETIC_WORDS[n % 5 : n % 5 + 4]).title()}",
            "abstract": " ".join(SYNTHETIC_WORDS[(n + k) % len(SYNTHETIC_WORDS)] for k in range(150)) + ".",
            "authors": "Ada Lovelace, Alan Turing and Grace Hopper",
            "categories": "cs.LG cs.CL",
        }
        for n in range(1000)
    ]


def _snapshot_lines(records: list[dict], count: int) -> Iterator[str]:
    """Snapshot-shaped lines with unique new-style ids, versions and authors_parsed like the real dump."""
    for n, record in zip(range(count), itertools.cycle(records)):
        names = [name.strip() for name in record.get("authors", "").replace(" and ", ", ").split(",") if name.strip()]
        yield json.dumps(
            {
                "id": f"{2501 + n // 99999:04d}.{n % 99999 + 1:05d}",
                "submitter": names[0] if names else None,
                "authors": record.get("authors", ""),
                "title": record["title"],
                "comments": None,
                "journal-ref": None,
                "doi": None,
                "categories": record.get("categories", "cs.LG"),
                "license": "http://creativecommons.org/licenses/by/4.0/",
                "abstract": "  " + record["abstract"].replace(". ", ".\n", 3) + "\n",
                "versions": [{"version": "v1", "created": "Mon, 3 Mar 2025 18:59:59 GMT"}],
                "update_date": record.get("update_date", "2025-03-04"),
                "authors_parsed": [[name.rsplit(" ", 1)[-1], name.rsplit(" ", 1)[0] if " " in name else "", ""] for name in names],
            }
        ) + "\n"


def _generate(folder: Path, lines: int, corpus: Path) -> None:
    records = _source_records(corpus)
    start = time.perf_counter()
    for name, count in (("snapshot.jsonl", lines), ("snapshot_tenth.jsonl", max(1, lines // 10))):
        with open(folder / name, "w", encoding="utf-8") as handle:
            handle.writelines(_snapshot_lines(records, count))
    size_mib = (folder / "snapshot.jsonl").stat().st_size / 2**20
    source = f"real abstracts from {corpus.name}" if corpus.is_file() else "synthetic text"
    print(f"generated {lines:,} lines ({size_mib:,.0f} MiB, {source}) in {time.perf_counter() - start:.1f} s")


def _worker(kind: str, path: str) -> None:
    start = time.perf_counter()
    count = 0
    if kind == "baseline":
        loads = json.loads
        with open(path, "rb") as handle:
            for line in handle:
                loads(line)
                count += 1
    else:
        from kg.ingest import IngestReport, read_papers

        report = IngestReport()
        for _ in read_papers(path, report=report):
            count += 1
        assert not report.skipped and not report.warnings, report.summary()
    elapsed = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({"count": count, "elapsed": elapsed, "cpu": usage.ru_utime + usage.ru_stime, "peak_mib": usage.ru_maxrss / 1024}))


def _run(kind: str, path: Path, *options: str) -> str:
    """Run one step in a fresh process: ru_maxrss survives fork+exec, so the parent must stay small."""
    command = [sys.executable, __file__, "--worker", kind, str(path), *options]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, default=1_000_000, help="snapshot lines to generate (default 1,000,000)")
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="JSONL.gz of real records to sample (synthetic if missing)")
    parser.add_argument("--worker", nargs=2, metavar=("KIND", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        kind, path = args.worker
        _generate(Path(path), args.lines, args.corpus) if kind == "generate" else _worker(kind, path)
        return
    with tempfile.TemporaryDirectory(prefix="bench_ingest_") as name:
        folder = Path(name)
        print(_run("generate", folder, "--lines", str(args.lines), "--corpus", str(args.corpus)), end="")
        baseline, reader, tenth = (json.loads(_run(kind, folder / file)) for kind, file in (
            ("baseline", "snapshot.jsonl"), ("reader", "snapshot.jsonl"), ("reader", "snapshot_tenth.jsonl")))
    assert reader["count"] == baseline["count"] == args.lines, (reader, baseline)
    print(f"{'run':<28}{'lines':>12}{'elapsed s':>11}{'CPU s':>8}{'lines/s':>12}{'peak RSS MiB':>14}")
    for name, row in (("baseline json.loads", baseline), ("read_papers", reader), ("read_papers, 1/10 of file", tenth)):
        print(
            f"{name:<28}{row['count']:>12,}{row['elapsed']:>11.2f}{row['cpu']:>8.2f}"
            f"{row['count'] / row['elapsed']:>12,.0f}{row['peak_mib']:>14.1f}"
        )
    print(
        f"read_papers / baseline: time x{reader['elapsed'] / baseline['elapsed']:.2f} (CPU x{reader['cpu'] / baseline['cpu']:.2f}),"
        f" peak RSS x{reader['peak_mib'] / baseline['peak_mib']:.2f}"
    )
    print(f"peak RSS full file / tenth: x{reader['peak_mib'] / tenth['peak_mib']:.2f} (streaming: should be ~1)")


if __name__ == "__main__":
    main()
