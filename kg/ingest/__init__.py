"""Ingest: read paper records from the sources people have, as :class:`kg.records.Paper`.

Formats (``FORMATS``): ``hf-page`` (Hugging Face Papers pages saved as text), ``hf-api``
(the daily-papers API JSON), ``arxiv-atom`` (arXiv API feeds), ``arxiv-snapshot`` (the
arXiv metadata snapshot, JSON Lines), ``jsonl`` and ``csv`` (records with at least
``title`` and ``abstract``). The format is detected from each input's content
(:func:`kg.ingest.detect.sniff`) unless ``format=`` forces one.

>>> from kg.ingest import read_papers, merge_duplicates, IngestReport
>>> report = IngestReport()
>>> papers = merge_duplicates(read_papers(["papers/"], report=report), report=report)  # doctest: +SKIP
>>> print(report.summary())  # doctest: +SKIP
"""
from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator

from kg.records import Paper

from .arxiv_atom import read_arxiv_atom
from .detect import BINARY, EMPTY, sniff
from .hf_api import read_hf_api
from .hf_page import read_hf_page
from .merge import merge_duplicates
from .report import IngestError, IngestReport, Issue
from .sources import Guarded, expand_inputs, open_input
from .tabular import read_csv, read_jsonl

Reader = Callable[[Guarded, str, IngestReport], Iterator[Paper]]

READERS: dict[str, Reader] = {
    "hf-page": read_hf_page,
    "hf-api": read_hf_api,
    "arxiv-atom": read_arxiv_atom,
    "arxiv-snapshot": read_jsonl,
    "jsonl": read_jsonl,
    "csv": read_csv,
}
FORMATS: tuple[str, ...] = tuple(READERS)

__all__ = ["FORMATS", "IngestError", "IngestReport", "Issue", "merge_duplicates", "read_file", "read_papers"]


def read_file(name: str, *, format: str | None = None, report: IngestReport) -> Iterator[Paper]:  # noqa: A002 (the CLI's name)
    """Papers from one input (a path or ``-``); problems go to ``report``, never raised."""
    opened = open_input(name, report)
    if opened is None:
        return
    try:
        found = format or sniff(opened.head)
        if found == EMPTY:
            report.warn(opened.label, "", "empty file; nothing read")
            return
        if found == BINARY:
            report.warn(opened.label, "", "binary content, not a paper source; file skipped")
            return
        report.files.append(opened.label)
        stream = Guarded(opened.stream, opened.label, report)
        for paper in READERS[found](stream, opened.label, report):
            report.records[found] += 1
            yield paper
    finally:
        opened.close()


def read_papers(
    inputs: str | os.PathLike | Iterable[str | os.PathLike],
    *,
    format: str | None = None,  # noqa: A002 (the CLI's name)
    report: IngestReport | None = None,
) -> Iterator[Paper]:
    """Stream papers from files, folders (recursive, sorted, hidden files skipped) and ``-`` (stdin).

    Inputs are checked at once: a missing path raises :class:`IngestError` naming it, as
    does an unknown ``format``. Bad content never raises: each bad record is skipped with
    a warning in ``report`` (and on the ``kg.ingest`` logger) and reading goes on.
    Duplicates are not merged here; pass the result to :func:`merge_duplicates`.
    """
    if format is not None and format not in READERS:
        raise IngestError(f"unknown format {format!r}; expected one of {', '.join(FORMATS)}")
    names = expand_inputs(inputs)
    report = report if report is not None else IngestReport()

    def papers() -> Iterator[Paper]:
        for name in names:
            yield from read_file(name, format=format, report=report)

    return papers()
