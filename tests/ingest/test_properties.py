"""Property-based tests: readers survive arbitrary input and never lose a good record next to a broken one."""
from __future__ import annotations

import csv
import gzip
import io
import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.ingest import FORMATS, IngestReport, read_papers
from kg.records import Paper

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _read_bytes(data: bytes, name: str = "input", **options: str) -> tuple[list[Paper], IngestReport]:
    report = IngestReport()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        papers = list(read_papers(path, report=report, **options))
    return papers, report


@SETTINGS
@given(st.binary(max_size=2000), st.sampled_from((None, *FORMATS)), st.booleans())
def test_arbitrary_bytes_never_crash(data: bytes, format_name: str | None, packed: bool) -> None:
    papers, _ = _read_bytes(gzip.compress(data) if packed else data, format=format_name) if format_name else _read_bytes(data)
    assert all(paper.title and paper.abstract for paper in papers)


TOKENS = [*'{}[]",:\n<>/ ·•aZ1.?\t;\\', "paper", "title", "abstract", "summary", "<entry>", "</entry>", "Subscribe", "Jun 10", "  • 3 authors"]
structured_text = st.lists(st.sampled_from(TOKENS), max_size=80).map("".join)


@SETTINGS
@given(st.one_of(st.text(max_size=1000), structured_text), st.sampled_from((None, *FORMATS)))
def test_arbitrary_text_never_crashes(text: str, format_name: str | None) -> None:
    papers, report = _read_bytes(text.encode("utf-8", errors="surrogatepass"), format=format_name) if format_name else _read_bytes(text.encode("utf-8", errors="surrogatepass"))
    assert all(paper.title and paper.abstract for paper in papers)
    assert report.total == len(papers)


words = st.text(alphabet=st.characters(whitelist_categories=("Lu", "Ll", "Nd")), min_size=2, max_size=8)
good_titles = st.lists(words, min_size=2, max_size=6).map(lambda ws: " ".join(w[0].upper() + w[1:] for w in ws) + ": Good")
good_abstracts = st.lists(words, min_size=3, max_size=12).map(lambda ws: " ".join(ws) + ". " + " ".join(ws).capitalize() + ".")
broken_line = st.one_of(st.binary(max_size=200), structured_text.map(str.encode)).map(lambda b: b.replace(b"\n", b" "))


def _surrounded(before: list[bytes], broken: bytes, after: list[bytes]) -> bytes:
    return b"\n".join([*before, broken, *after]) + b"\n"


@SETTINGS
@given(good_titles, good_abstracts, good_titles, good_abstracts, broken_line, st.sampled_from(["jsonl", "arxiv-snapshot"]))
def test_json_lines_keep_neighbours_of_a_broken_line(t1: str, a1: str, t2: str, a2: str, broken: bytes, format_name: str) -> None:
    first = json.dumps({"title": t1, "abstract": a1, "update_date": "2024-01-02"}).encode()
    second = json.dumps({"title": t2, "abstract": a2}, ensure_ascii=False).encode()
    papers, _ = _read_bytes(_surrounded([first], broken, [second]), format=format_name)
    titles = [paper.title for paper in papers]
    assert titles[0] == t1 and titles[-1] == t2


def _csv_line(*fields: str) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(fields)
    return buffer.getvalue().encode()


@SETTINGS
@given(good_titles, good_abstracts, good_titles, good_abstracts, broken_line)
def test_csv_keeps_neighbours_of_a_broken_row(t1: str, a1: str, t2: str, a2: str, broken: bytes) -> None:
    data = _surrounded([b"title,abstract,authors", _csv_line(t1, a1, "A, B")], broken, [_csv_line(t2, a2, "C")])
    papers, _ = _read_bytes(data, format="csv")
    titles = [paper.title for paper in papers]
    assert titles[0] == t1 and titles[-1] == t2


@SETTINGS
@given(good_titles, good_abstracts, good_titles, good_abstracts, st.lists(broken_line, min_size=1, max_size=3))
def test_page_keeps_neighbours_of_broken_lines(t1: str, a1: str, t2: str, a2: str, broken: list[bytes]) -> None:
    data = b"\n\n".join([t1.encode(), a1.encode(), *broken, t2.encode(), a2.encode()])
    papers, _ = _read_bytes(data, format="hf-page")
    pairs = [(paper.title, paper.abstract) for paper in papers]
    assert (t1, a1) in pairs and (t2, a2) in pairs
