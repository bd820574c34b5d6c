"""Hugging Face Papers pages saved as text (copy of https://huggingface.co/papers in a browser).

Three layouts occur and are read by one state machine over non-blank lines:

(a) title, blank, abstract, blank, ``  • 5 authors``, ``·``, ``Jun 10, 2024`` (or ``Mar 25 4``:
    a year-less date followed by the upvote count);
(b) title and abstract separated by blank lines, no metadata;
(c) title and abstract on consecutive lines, the first title glued to the ``Subscribe``
    button text (``SubscribeFull-Cycle Energy ...``).

Blank lines carry no meaning. A content line is read as what is expected next unless it
clearly is the other thing: where a title is expected, a line that
:func:`looks_like_abstract` is an abstract without a title; where an abstract is expected,
a line that :func:`looks_like_title` starts a new record. A record is a title followed by its abstract, then any metadata
lines. Page chrome (``new``, ``Get trending papers ...``, ``Subscribe``, ``Daily Papers``,
``byAK and the research community``) and the page date before the first paper are never
papers; chrome met later (pages saved one after another) starts a new page header.
A title with no abstract, and an abstract with no title before it (a page cut at the top
or a title lost), are skipped with a warning: a title is never made up from abstract text.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from kg.records import Paper

from .dates import parse_date
from .fields import RecordError, make_paper
from .report import IngestReport
from .sources import Guarded, decoded_lines

CHROME = frozenset({"new", "Subscribe", "Daily Papers", "byAK and the research community"})
_TRENDING = re.compile(r"Get trending papers in your email inbox.*")
_AUTHORS = re.compile(r"[•·]?\s*(\d[\d,]*)\s+authors?", re.IGNORECASE)
_SEPARATOR = re.compile(r"[•·]")
_DATE_LINE = re.compile(r"(?P<date>[A-Z][a-z]{2,8}\.? \d{1,2}(?:, \d{4})?)(?:\s+(?P<upvotes>\d+))?")
_SUBSCRIBE = "Subscribe"
_PERIOD_BREAK = re.compile(r"\.\s+[A-Z(\"'‘“]")
_FINAL_PERIOD = re.compile(r"(?<!\bet al)(?<!\bvs)(?<!\betc)\.$")
_SMALL_WORDS = frozenset(
    "a an the and or nor but for of in on at to by with from via as is are be vs versus into onto over under per than"
    " without through towards toward about".split()
)

MAX_TITLE_CHARS = 250
MAX_TITLE_WORDS = 30
LONG_PARAGRAPH_WORDS = 40


def looks_like_abstract(line: str) -> bool:
    """True when a page line reads as an abstract paragraph: long (over 40 words), or ending with a period.

    Titles have no final period; abstracts are multi-sentence paragraphs. Used where a title
    is expected, so that an abstract whose title is missing is never taken for a title.

    >>> looks_like_abstract("We introduce KLUE. It is a benchmark."), looks_like_abstract("Is That Your Final Answer? Test-Time Scaling")
    (True, False)
    """
    text = line.strip()
    if len(text.split()) > LONG_PARAGRAPH_WORDS or len(text) > 2 * MAX_TITLE_CHARS:
        return True
    return bool(_FINAL_PERIOD.search(text))


def looks_like_title(line: str) -> bool:
    """True when a page line clearly reads as a paper title (stricter than ``not looks_like_abstract``).

    Short (at most MAX_TITLE_WORDS words and MAX_TITLE_CHARS characters), no final period,
    no ``. X`` sentence break (``? X`` is allowed: ``Distill or Annotate? Cost-Efficient ...``),
    and either at most 12 words, a ``Name: subtitle`` colon, or Title Case. Used where an
    abstract is expected, so that a title whose abstract is missing starts a new record.

    >>> looks_like_title("KLUE: Korean Language Understanding Evaluation"), looks_like_title("We introduce KLUE. It is a benchmark")
    (True, False)
    """
    text = line.strip()
    words = text.split()
    if not words or len(text) > MAX_TITLE_CHARS or len(words) > MAX_TITLE_WORDS:
        return False
    if _FINAL_PERIOD.search(text) or _PERIOD_BREAK.search(text):
        return False
    if len(words) <= 12 or ": " in text:
        return True
    content = [word for word in words if word.lower() not in _SMALL_WORDS]
    capitalised = sum(1 for word in content if not word[0].islower())
    return capitalised >= 0.5 * len(content)


def _is_chrome(text: str) -> bool:
    return text in CHROME or bool(_TRENDING.fullmatch(text))


@dataclass
class _Draft:
    """A record being assembled: its title and where it started, then what followed."""

    title: str
    line: int
    abstract: str | None = None
    author_count: int | None = None
    date: str | None = None
    upvotes: int | None = None
    has_metadata: bool = False


def _finish(draft: _Draft, label: str, report: IngestReport) -> Paper | None:
    try:
        return make_paper(
            title=draft.title,
            abstract=draft.abstract,
            source=label,
            position=draft.line,
            date=draft.date,
            author_count=draft.author_count,
            upvotes=draft.upvotes,
        )
    except RecordError as exc:
        report.skip(label, f"line {draft.line}", str(exc))
        return None


def _metadata(text: str, draft: _Draft | None) -> bool:
    """Apply a metadata line (authors, separator, date [upvotes]) to ``draft``; False if ``text`` is not metadata."""
    authors = _AUTHORS.fullmatch(text)
    date_line = None if authors else _DATE_LINE.fullmatch(text)
    date = parse_date(date_line["date"]) if date_line else None
    if not (authors or date or _SEPARATOR.fullmatch(text)):
        return False
    if draft is not None:
        draft.has_metadata = True
        if authors:
            draft.author_count = int(authors[1].replace(",", ""))
        if date:
            draft.date = date
            draft.upvotes = int(date_line["upvotes"]) if date_line and date_line["upvotes"] else draft.upvotes
    return True


def _flush(draft: _Draft | None, label: str, report: IngestReport) -> Iterator[Paper]:
    """The finished record of ``draft``, if any and if complete (else it is reported)."""
    if draft is not None and (paper := _finish(draft, label, report)):
        yield paper


def read_hf_page(stream: Guarded, label: str, report: IngestReport) -> Iterator[Paper]:
    """Papers from a saved Hugging Face Papers page; ``position`` is the title's line number."""
    draft: _Draft | None = None
    in_header = True
    for number, line in decoded_lines(stream, label, report):
        text = line.strip()
        if not text:
            continue
        if _is_chrome(text):
            in_header = True
            continue
        if in_header:
            if (page_date := _DATE_LINE.fullmatch(text)) and parse_date(page_date["date"]):
                continue
            glued = text[len(_SUBSCRIBE) :]
            if text.startswith(_SUBSCRIBE) and (glued[:1].isupper() or glued[:1].isdigit()):
                text = glued.strip()  # "SubscribeFull-Cycle ..." (layout c), not "Subscribed ..."
            in_header = False
            yield from _flush(draft, label, report)
            draft = None
        if _metadata(text, draft):
            continue
        if draft is not None and draft.abstract is None and not draft.has_metadata:
            if not looks_like_title(text):
                draft.abstract = text
                continue
        elif looks_like_abstract(text):
            report.skip(label, f"line {number}", f"abstract without a title ({text[:60]!r}...)")
            yield from _flush(draft, label, report)
            draft = None
            continue
        yield from _flush(draft, label, report)
        draft = _Draft(text, number)
    yield from _flush(draft, label, report)
