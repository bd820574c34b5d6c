"""Dates as the sources write them -> ISO 8601 (``2024-06-10``) or ``--06-10`` when the year is unknown.

Pure functions. A date is never completed by guessing: ``Aug 11`` stays ``--08-11``, a
year alone or a month alone gives ``None``, an impossible day (``Feb 30``) gives ``None``.
"""
from __future__ import annotations

import calendar
import functools
import re

_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_abbr) if name}
_MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_name) if name})
_MONTHS["sept"] = 9
_MONTH = r"(?P<month>[A-Za-z]{3,9})\.?"

_ISO = re.compile(r"(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?")
_GMONTHDAY = re.compile(r"--(?P<month>\d{2})-(?P<day>\d{2})")
_MONTH_DAY_YEAR = re.compile(_MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(?P<year>\d{4}))?")
_DAY_MONTH_YEAR = re.compile(r"(?:[A-Za-z]{3},\s*)?(?P<day>\d{1,2})\s+" + _MONTH + r"(?:\s+(?P<year>\d{4}))?(?:\s+[0-9:]+(?:\s+\S+)?)?")


def format_date(year: int | None, month: int, day: int) -> str | None:
    """``YYYY-MM-DD``, or ``--MM-DD`` when ``year`` is None; None when the day does not exist.

    ``--02-29`` is valid (it exists in some year).
    """
    if not 1 <= month <= 12:
        return None
    last = calendar.monthrange(year if year is not None else 2000, month)[1]
    if not 1 <= day <= last or (year is not None and not 1 <= year <= 9999):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}" if year is not None else f"--{month:02d}-{day:02d}"


@functools.lru_cache(maxsize=8192)
def _parse_text(text: str) -> str | None:
    """Cached core of :func:`parse_date` (large inputs repeat the same dates over and over)."""
    for pattern in (_ISO, _GMONTHDAY, _MONTH_DAY_YEAR, _DAY_MONTH_YEAR):
        match = pattern.fullmatch(text)
        if match is None:
            continue
        parts = match.groupdict()
        month_text = parts["month"]
        month = int(month_text) if month_text.isdigit() else _MONTHS.get(month_text.lower())
        if month is None:
            return None
        year = int(parts["year"]) if parts.get("year") else None
        return format_date(year, month, int(parts["day"]))
    return None


def parse_date(text: str | None) -> str | None:
    """Parse the date forms seen in paper sources.

    Accepted: ISO dates and timestamps (``2024-06-10``, ``2024-06-10T17:59:59.000Z``), the
    ``--MM-DD`` form itself, ``Jun 10, 2024``, ``June 10 2024``, ``Aug 11`` (no year),
    ``10 Jun 2024`` and RFC 2822 (``Mon, 2 Apr 2007 19:18:42 GMT``, the arXiv snapshot's
    version dates). Anything else, including a year without month and day, gives None.

    >>> parse_date("Jun 10, 2024"), parse_date("Aug 11"), parse_date("2024")
    ('2024-06-10', '--08-11', None)
    """
    return _parse_text(text.strip()) if isinstance(text, str) else None
