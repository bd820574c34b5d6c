"""JSON Lines (plain records and the arXiv metadata snapshot) and CSV readers.

Both stream: one line (or one CSV record) in memory at a time. Field mapping is
:func:`kg.ingest.fields.paper_from_mapping`, shared with the Hugging Face API reader.
"""
from __future__ import annotations

import csv
import itertools
import json
from collections.abc import Iterator

from kg.records import Paper

from .detect import csv_delimiter
from .fields import RecordError, paper_from_mapping
from .report import IngestReport
from .sources import Guarded, decoded_lines

MAX_RECORD_LINES = 200


def read_jsonl(stream: Guarded, label: str, report: IngestReport) -> Iterator[Paper]:
    """Papers from JSON Lines, one object per line; blank lines ignored, a broken line skipped with its number."""
    loads = json.loads
    for number, text in decoded_lines(stream, label, report):
        if not text or text.isspace():
            continue
        try:
            record = loads(text)
        except (ValueError, RecursionError) as exc:
            detail = f"{exc.msg}, column {exc.colno}" if isinstance(exc, json.JSONDecodeError) else "nested too deeply"
            report.skip(label, f"line {number}", f"invalid JSON ({detail})")
            continue
        try:
            yield paper_from_mapping(record, source=label, position=number)
        except RecordError as exc:
            report.skip(label, f"line {number}", str(exc))


def _csv_records(lines: Iterator[tuple[int, str]], delimiter: str, label: str, report: IngestReport) -> Iterator[tuple[int, list[str]]]:
    """``(first line number, fields)`` per CSV record.

    A quoted field may span lines (up to MAX_RECORD_LINES). When a record cannot be parsed
    (a quote never closed, or closed in the wrong place), only its first line is reported
    and dropped, and the lines after it are parsed again, so an unbalanced quote cannot
    swallow the good records that follow it.
    """
    pending: list[tuple[int, str]] = []
    source = iter(lines)
    while True:
        if not pending:
            item = next(source, None)
            if item is None:
                return
            pending.append(item)
        reader = csv.reader((text + "\n" for _, text in pending), delimiter=delimiter, strict=True)
        try:
            row = next(reader)
        except csv.Error as exc:
            if "unexpected end of data" in str(exc):
                item = next(source, None) if len(pending) < MAX_RECORD_LINES else None
                if item is not None:
                    pending.append(item)
                    continue
                problem = "quoted field never closed"
            else:
                problem = f"quoted field not closed properly ({exc})" if len(pending) > 1 else str(exc)
            report.skip(label, f"line {pending[0][0]}", f"bad CSV ({problem})")
            del pending[0]
            continue
        yield pending[0][0], row
        del pending[: reader.line_num]


def read_csv(stream: Guarded, label: str, report: IngestReport) -> Iterator[Paper]:
    """Papers from CSV (``,``, tab or ``;`` delimited, from the header) whose header names at least ``title``."""
    lines = (item for item in decoded_lines(stream, label, report) if item[1].strip())
    first = next(lines, None)
    if first is None:
        return
    delimiter = csv_delimiter(first[1]) or ","
    header: list[str] | None = None
    for number, row in _csv_records(itertools.chain([first], lines), delimiter, label, report):
        if header is None:
            header = [name.strip().lower() for name in row]
            continue
        if len(row) != len(header):
            report.skip(label, f"line {number}", f"bad CSV ({len(row)} fields, the header has {len(header)})")
            continue
        try:
            yield paper_from_mapping(dict(zip(header, row)), source=label, position=number)
        except RecordError as exc:
            report.skip(label, f"line {number}", str(exc))
