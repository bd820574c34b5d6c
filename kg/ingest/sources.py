"""Opening inputs: paths, folders (recursive), ``-`` for stdin, gzip by magic bytes; lines decoded one by one.

The opened stream is guarded: a decompression error in the middle of a file (a truncated or
corrupt gzip) becomes one warning in the report and an early end of that file, so every
reader keeps the records it had already yielded. Text is decoded per line, so a line that
is not valid UTF-8 costs only its bad bytes (replaced by U+FFFD, with a warning naming the
line), never its neighbours.
"""
from __future__ import annotations

import gzip
import io
import os
import sys
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from .report import IngestError, IngestReport

STDIN = "-"
GZIP_MAGIC = b"\x1f\x8b"
HEAD_SIZE = 1 << 16
_STREAM_ERRORS = (EOFError, OSError, zlib.error)


def expand_inputs(inputs: str | os.PathLike | Iterable[str | os.PathLike]) -> list[str]:
    """Input names in reading order: files as given, folders expanded recursively in sorted order.

    Hidden files and folders (name starting with ``.``) inside a folder are skipped. Raises
    :class:`IngestError` naming the first input that does not exist.
    """
    items = [inputs] if isinstance(inputs, (str, os.PathLike)) else list(inputs)
    names: list[str] = []
    for item in items:
        name = os.fspath(item)
        if name == STDIN:
            names.append(STDIN)
            continue
        path = Path(name)
        if path.is_dir():
            found = (p for p in path.rglob("*") if p.is_file())
            visible = (p for p in found if not any(part.startswith(".") for part in p.relative_to(path).parts))
            names.extend(str(p) for p in sorted(visible))
        elif path.is_file():
            names.append(name)
        else:
            raise IngestError(f"input not found: {name}")
    return names


class _Prefixed(io.RawIOBase):
    """A raw stream that first returns ``head`` (already read for sniffing), then the rest of ``stream``.

    ``error``, if reading the head failed part-way, is raised once the head is used up, so the
    reader sees the good bytes first and then the failure at the right place.
    """

    def __init__(self, head: bytes, stream: BinaryIO, error: BaseException | None) -> None:
        self._head = memoryview(head)
        self._stream = stream
        self._error = error

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        if self._head:
            count = min(len(buffer), len(self._head))
            buffer[:count] = self._head[:count]
            self._head = self._head[count:]
            return count
        if self._error is not None:
            error, self._error = self._error, None
            raise error
        data = self._stream.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


@dataclass
class Opened:
    """An input ready to read: its label, the first bytes (for sniffing) and the whole content stream."""

    label: str
    head: bytes
    stream: BinaryIO
    raw: BinaryIO
    compressed: bool

    def close(self) -> None:
        """Close the underlying file (never stdin)."""
        if self.raw is not getattr(sys.stdin, "buffer", None):
            self.raw.close()


def _peek(raw: BinaryIO, size: int) -> bytes:
    if raw.seekable():
        data = raw.read(size)
        raw.seek(0)
        return data
    peek = getattr(raw, "peek", None)
    return peek(size)[:size] if peek else b""


def _read_head(stream: BinaryIO) -> tuple[bytes, BaseException | None]:
    """Up to HEAD_SIZE bytes, keeping what was read before an error (a gzip truncated early)."""
    chunks: list[bytes] = []
    size = 0
    read = getattr(stream, "read1", stream.read)
    while size < HEAD_SIZE:
        try:
            chunk = read(HEAD_SIZE - size)
        except _STREAM_ERRORS as exc:
            return b"".join(chunks), exc
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks), None


def open_input(name: str, report: IngestReport) -> Opened | None:
    """Open one input (a file path or ``-``); None, with a warning, when it cannot be opened at all."""
    label = "<stdin>" if name == STDIN else name
    try:
        raw: BinaryIO = sys.stdin.buffer if name == STDIN else open(name, "rb")  # noqa: SIM115 (closed by the caller)
    except OSError as exc:
        report.warn(label, "", f"cannot open ({exc.strerror or exc}); file skipped")
        return None
    compressed = _peek(raw, 2) == GZIP_MAGIC
    stream: BinaryIO = gzip.GzipFile(fileobj=raw, mode="rb") if compressed else raw  # type: ignore[assignment]
    head, error = _read_head(stream)
    whole = io.BufferedReader(_Prefixed(head, stream, error), buffer_size=1 << 20)
    return Opened(label, head, whole, raw, compressed)  # type: ignore[arg-type]


class Guarded:
    """Byte stream wrapper that turns a mid-file decompression/IO error into a warning and an end of data."""

    def __init__(self, stream: BinaryIO, label: str, report: IngestReport) -> None:
        self._stream = stream
        self._label = label
        self._report = report
        self.failed = False

    def _fail(self, exc: BaseException, where: str) -> None:
        self.failed = True
        self._report.warn(self._label, where, f"input ends early ({exc.__class__.__name__}: {exc}); rest of file skipped")

    def read(self, size: int = -1) -> bytes:
        if self.failed:
            return b""
        try:
            return self._stream.read(size)
        except _STREAM_ERRORS as exc:
            self._fail(exc, "")
            return b""

    def lines(self) -> Iterator[bytes]:
        """Raw lines; stops with a warning naming the last good line number when the stream breaks."""
        count = 0
        try:
            for count, line in enumerate(self._stream, 1):  # noqa: B007 (count used after the loop)
                yield line
        except _STREAM_ERRORS as exc:
            self._fail(exc, f"after line {count}")


def decoded_lines(stream: Guarded, label: str, report: IngestReport) -> Iterator[tuple[int, str]]:
    """``(line number, text)`` pairs, 1-based, without line ends; a UTF-8 BOM on line 1 is dropped.

    A line that is not valid UTF-8 is decoded with U+FFFD for its bad bytes and reported
    (``line N: not valid UTF-8 ...``); its record is kept, its neighbours are untouched.
    """
    for number, raw in enumerate(stream.lines(), 1):
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            text = raw.decode("utf-8", errors="replace")
            report.warn(label, f"line {number}", f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at column {exc.start + 1}); bad bytes replaced by U+FFFD")
        if number == 1 and text.startswith("\ufeff"):
            text = text[1:]
        yield number, text.rstrip("\r\n")
