"""What an ingest run read, merged and skipped: the :class:`IngestReport` and :class:`IngestError`.

Readers never raise on bad content; they tell the report, which keeps the counts for the
end-of-run summary and forwards every warning to the ``kg.ingest`` logger, so a library
user sees them through ``logging`` and a CLI can print ``report.summary()``.
"""
from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field

LOGGER = logging.getLogger("kg.ingest")


class IngestError(Exception):
    """An input that cannot be read at all (a path that does not exist, an unknown format name)."""


@dataclass(frozen=True, slots=True)
class Issue:
    """One warning: the input it concerns, where in it (``line 12``, ``record 3``, or empty), and what went wrong."""

    source: str
    where: str
    message: str

    def __str__(self) -> str:
        place = f"{self.source}, {self.where}" if self.where else self.source
        return f"{place}: {self.message}"


@dataclass
class IngestReport:
    """Counts and warnings collected while reading.

    ``files`` lists every input read (in order); ``records`` counts the papers yielded per
    format; ``merged`` counts records folded into an earlier one by ``merge_duplicates``;
    ``skipped`` holds the records dropped, each with the reason; ``warnings`` holds the
    other problems (a replaced undecodable byte, a truncated gzip, an empty file).
    """

    files: list[str] = field(default_factory=list)
    records: Counter[str] = field(default_factory=Counter)
    merged: int = 0
    skipped: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)

    @property
    def total(self) -> int:
        """Number of papers read over all formats."""
        return sum(self.records.values())

    def skip(self, source: str, where: str, message: str) -> None:
        """Record a skipped record and log it."""
        issue = Issue(source, where, f"{message}; record skipped")
        self.skipped.append(issue)
        LOGGER.warning("%s", issue)

    def warn(self, source: str, where: str, message: str) -> None:
        """Record a problem that did not cost a record (or cost the rest of a file) and log it."""
        issue = Issue(source, where, message)
        self.warnings.append(issue)
        LOGGER.warning("%s", issue)

    def summary(self) -> str:
        """A few readable lines: files and records per format, duplicates merged, records skipped, warnings."""
        per_format = ", ".join(f"{name} {count}" for name, count in sorted(self.records.items())) or "none"
        lines = [
            f"read {self.total} records from {len(self.files)} file(s) ({per_format})",
            f"merged {self.merged} duplicate(s)",
            f"skipped {len(self.skipped)} record(s), {len(self.warnings)} other warning(s)",
        ]
        lines += [f"  skipped: {issue}" for issue in self.skipped[:10]]
        lines += [f"  warning: {issue}" for issue in self.warnings[:10]]
        hidden = max(0, len(self.skipped) - 10) + max(0, len(self.warnings) - 10)
        if hidden:
            lines.append(f"  ... and {hidden} more (see the kg.ingest log)")
        return "\n".join(lines)
