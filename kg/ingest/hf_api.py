"""The Hugging Face daily-papers API JSON: ``[{"paper": {"id", "title", "summary", "authors", "publishedAt", "upvotes"}, ...}, ...]``.

Also accepted: a single object, items without the ``paper`` wrapper, and a stream of
objects one after another (JSON Lines of API items). Streaming: the document is read line
by line and each top-level item is decoded as soon as it is complete, so memory holds one
item, not the whole array, for pretty-printed documents and JSON Lines. Limit: a compact
document on a single line (as the API sends it: one page, a few hundred kB) is held whole.
After a syntax error the reader resumes at the next line that
starts an item at the same indentation as the first one (every line, for JSON Lines);
when no such line follows, the rest of the document is skipped with a warning.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterator

from kg.records import Paper

from .fields import RecordError, paper_from_mapping
from .report import IngestReport
from .sources import Guarded, decoded_lines

_WHITESPACE = re.compile(r"[ \t\r\n]*")
_ITEM_END = ("}", "},", "]", "],", "[")


def read_hf_api(stream: Guarded, label: str, report: IngestReport) -> Iterator[Paper]:
    """Papers from a Hugging Face API JSON document (see the module docstring)."""
    decoder = json.JSONDecoder()
    buffer, base_line = "", 1
    in_array = False
    indent: str | None = None
    record = 0
    lines = decoded_lines(stream, label, report)
    while True:
        item = next(lines, None)
        eof = item is None
        if item is not None:
            number, text = item
            if not buffer:
                base_line = number
            buffer += text + "\n"
            if not text.rstrip().endswith(_ITEM_END):
                continue
        pos = 0
        while True:
            pos = _WHITESPACE.match(buffer, pos).end()  # type: ignore[union-attr]
            if pos == len(buffer):
                break
            char = buffer[pos]
            if char == "[" and not in_array:
                in_array, pos = True, pos + 1
                continue
            if in_array and char in ",]":
                in_array, pos = char == ",", pos + 1
                continue
            if indent is None:
                indent = buffer[buffer.rfind("\n", 0, pos) + 1 : pos]
            try:
                value, end = decoder.raw_decode(buffer, pos)
            except (json.JSONDecodeError, RecursionError) as error:
                exc = error if isinstance(error, json.JSONDecodeError) else json.JSONDecodeError("nested too deeply", buffer, pos)
                resume = buffer.find("\n" + indent + "{", pos + 1)
                if resume < 0 and not eof:
                    break
                record += 1
                line = base_line + buffer.count("\n", 0, min(exc.pos, len(buffer) - 1))
                if resume < 0:
                    report.warn(label, f"record {record}", f"invalid JSON at line {line} ({exc.msg}); rest of document skipped")
                    return
                report.skip(label, f"record {record}", f"invalid JSON at line {line} ({exc.msg})")
                pos = resume + 1
                continue
            record += 1
            try:
                yield paper_from_mapping(value, source=label, position=record)
            except RecordError as exc:
                report.skip(label, f"record {record}", str(exc))
            pos = end
        base_line += buffer.count("\n", 0, pos)
        buffer = buffer[pos:]
        if eof:
            return
