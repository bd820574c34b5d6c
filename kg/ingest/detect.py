"""Format detection from content: a pure function of the first bytes of a (decompressed) input.

The extension is not trusted: a ``.txt`` holding JSON Lines is read as JSON Lines. Rules,
in order: nothing but whitespace is ``empty``; NUL bytes or mostly control characters is
``binary``; ``<`` starts XML (``arxiv-atom``); ``[`` starts a JSON document (``hf-api``);
the first line that is a whole JSON object (among the first 20: one broken line does not
mislead) is ``hf-api`` when it wraps a ``paper``, ``arxiv-snapshot``
when it carries snapshot-only keys, else ``jsonl``; a ``{`` without any one-line object is a
pretty-printed JSON document (``hf-api``); a first line naming a ``title`` column between
delimiters is ``csv``; anything else is a saved Hugging Face Papers page (``hf-page``).
"""
from __future__ import annotations

import csv
import json

EMPTY = "empty"
BINARY = "binary"
SNAPSHOT_KEYS = frozenset({"update_date", "versions", "authors_parsed", "submitter", "journal-ref"})
CSV_DELIMITERS = ",\t;"


def _first_line(text: str) -> str:
    return text.split("\n", 1)[0].rstrip("\r")


def _first_json_object(text: str) -> dict | None:
    """The first complete line, among the first few, that is a JSON object (a broken first line is tolerated)."""
    for line in text.split("\n")[:-1][:20]:
        if line.lstrip().startswith("{"):
            try:
                value = json.loads(line)
            except (ValueError, RecursionError):
                continue
            if isinstance(value, dict):
                return value
    return None


def csv_delimiter(header: str) -> str | None:
    """The delimiter of a CSV header line that names a ``title`` column, else None."""
    for delimiter in CSV_DELIMITERS:
        if delimiter in header:
            try:
                names = [name.strip().lower() for name in next(csv.reader([header], delimiter=delimiter), [])]
            except csv.Error:
                continue
            if "title" in names and len(names) > 1:
                return delimiter
    return None


def sniff(head: bytes) -> str:
    """Guess the format name of an input from its first bytes (see the module docstring)."""
    if not head.strip():
        return EMPTY
    sample = head[:4096]
    controls = sum(byte < 32 and byte not in (9, 10, 13) for byte in sample)
    if b"\x00" in sample or controls > len(sample) // 10:
        return BINARY
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n")
    if text.startswith("<"):
        return "arxiv-atom"
    if text.startswith("["):
        return "hf-api"
    if text.startswith("{"):
        first = _first_json_object(text)
        if first is None:
            return "hf-api"
        if isinstance(first.get("paper"), dict):
            return "hf-api"
        if SNAPSHOT_KEYS & first.keys():
            return "arxiv-snapshot"
        return "jsonl"
    if csv_delimiter(_first_line(text)):
        return "csv"
    return "hf-page"
