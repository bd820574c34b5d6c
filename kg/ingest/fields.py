"""Field normalisation shared by every reader: text, ids, authors, categories, counts.

Each reader extracts raw values in its own format's terms and hands them to
:func:`make_paper` (or, for JSON-shaped records, :func:`paper_from_mapping`), so that the
rules for identity and clean-up are written once. Pure functions; problems are raised as
:class:`RecordError` with a message the reader puts in the report.
"""
from __future__ import annotations

import functools
import re
from collections import ChainMap
from collections.abc import Iterable, Mapping
from typing import Any

from kg.records import Paper, title_id

from .dates import parse_date


class RecordError(ValueError):
    """A record that cannot become a :class:`~kg.records.Paper` (no title, no abstract, wrong type)."""


_ARXIV_CORE = r"(\d{4}\.\d{4,5}|[a-z][a-z\-]*(?:\.[A-Z]{2})?/\d{7})"
_ARXIV_ID = re.compile(r"(?i:arxiv:)?" + _ARXIV_CORE + r"(?:v\d+)?", re.ASCII)
_ARXIV_URL = re.compile(r"(?:arxiv\.org/(?:abs|pdf|html)|huggingface\.co/papers)/" + _ARXIV_CORE + r"(?:v\d+)?", re.ASCII)
_PARENS = re.compile(r"\([^()]*\)")
_AUTHOR_SPLIT = re.compile(r"\s*(?:;|,|\band\b|&)\s*")
_CATEGORY = re.compile(r"[a-z][a-z\-]*(?:\.[A-Za-z][A-Za-z\-]*)?", re.ASCII)

TITLE_KEYS = ("title",)
ABSTRACT_KEYS = ("abstract", "summary")
ID_KEYS = ("id", "arxiv_id", "paper_id")
URL_KEYS = ("url", "link", "abs_url")
DATE_KEYS = ("date", "published", "publishedAt", "published_date")
COUNT_KEYS = ("author_count", "num_authors")


def clean_text(value: Any) -> str:
    """Collapse all whitespace runs (hard line breaks included) to one space; non-strings give ``""``."""
    return " ".join(value.split()) if isinstance(value, str) else ""


def arxiv_id(value: Any) -> str | None:
    """The arXiv id, without version, of ``2401.12345v2``, ``arXiv:2401.12345``, ``hep-th/9901001`` or an arXiv/HF URL."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    match = _ARXIV_ID.fullmatch(value) or _ARXIV_URL.search(value)
    return match.group(1) if match else None


def split_authors(value: Any) -> tuple[str, ...]:
    """Author names from a list (of names or ``{"name": ...}``) or a ``;``/``,``/``and`` separated string.

    Parenthesised affiliations (``A. Smith (MIT)``) are dropped before splitting.
    """
    if isinstance(value, str):
        text = clean_text(value)
        while _PARENS.search(text):
            text = _PARENS.sub(" ", text)
        parts: Iterable[Any] = (_AUTHOR_SPLIT.split(text) if ";" not in text else text.split(";"))
    elif isinstance(value, list):
        parts = (item.get("name") if isinstance(item, Mapping) else item for item in value)
    else:
        return ()
    return tuple(name for name in (clean_text(part) for part in parts) if name)


def authors_from_parsed(value: Any) -> tuple[str, ...]:
    """Names from the arXiv snapshot's ``authors_parsed`` (``[[last, first, suffix], ...]``) as ``first last suffix``."""
    if not isinstance(value, list):
        return ()
    names = []
    for item in value:
        if isinstance(item, list) and item:
            try:
                name = " ".join(item[1::-1] + item[2:3])
            except TypeError:  # a non-string part: not a name
                continue
            if "  " in name or name[:1] == " " or name[-1:] == " " or not name.isprintable():
                name = " ".join(name.split())
            if name:
                names.append(name)
    return tuple(names)


def split_categories(value: Any) -> tuple[str, ...]:
    """arXiv category codes from a list or a space/comma separated string; non-category tokens (MSC, ACM codes) dropped."""
    if isinstance(value, str):
        return _categories_of(value)
    tokens = value if isinstance(value, list) else []
    return tuple(dict.fromkeys(token for token in tokens if isinstance(token, str) and _CATEGORY.fullmatch(token)))


@functools.lru_cache(maxsize=4096)
def _categories_of(text: str) -> tuple[str, ...]:
    """Cached: a snapshot repeats the same few thousand category strings millions of times."""
    return split_categories(text.replace(",", " ").split())


def as_count(value: Any) -> int | None:
    """A non-negative integer from an int or a digit string; anything else gives None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def make_paper(
    *,
    title: Any,
    abstract: Any,
    source: str,
    position: int,
    given_id: Any = None,
    url: Any = None,
    date: str | None = None,
    authors: tuple[str, ...] = (),
    author_count: int | None = None,
    upvotes: int | None = None,
    categories: tuple[str, ...] = (),
) -> Paper:
    """Build a :class:`Paper` with the shared identity rule.

    The id is the arXiv id found in ``given_id`` or ``url``; else ``given_id`` as given (a
    non-arXiv id is kept); else ``title_id(title)``. An arXiv paper without URL gets its
    ``https://arxiv.org/abs/`` address.
    """
    title_text, abstract_text = clean_text(title), clean_text(abstract)
    if not title_text:
        raise RecordError("no title")
    if not abstract_text:
        raise RecordError(f"no abstract (title {title_text[:60]!r})")
    url_text = clean_text(url) or None
    if isinstance(given_id, (int, float)) and not isinstance(given_id, bool):
        given_id = str(given_id)
    known = arxiv_id(given_id) or arxiv_id(url_text)
    paper_id = known or clean_text(given_id) or title_id(title_text)
    if known and url_text is None:
        url_text = f"https://arxiv.org/abs/{known}"
    if authors:
        author_count = len(authors)
    return Paper(
        id=paper_id,
        title=title_text,
        abstract=abstract_text,
        date=date,
        authors=authors,
        author_count=author_count,
        upvotes=upvotes,
        url=url_text,
        categories=categories,
        source=source,
        position=position,
    )


def _first(record: Mapping[str, Any], keys: tuple[str, ...]) -> Any:
    for key in keys:
        value = record.get(key)
        if value not in (None, "", []):
            return value
    return None


def _snapshot_date(record: Mapping[str, Any]) -> str | None:
    """First-version date of an arXiv snapshot record, else its ``update_date``."""
    versions = record.get("versions")
    if isinstance(versions, list) and versions and isinstance(versions[0], Mapping):
        created = parse_date(versions[0].get("created"))
        if created:
            return created
    return parse_date(record.get("update_date"))


def paper_from_mapping(record: Any, *, source: str, position: int) -> Paper:
    """A :class:`Paper` from a JSON/CSV record; field names and aliases of all the tabular formats.

    ``title``; ``abstract`` or ``summary``; ``id``/``arxiv_id``/``paper_id``; ``url``/``link``;
    ``date``/``published``/``publishedAt``, else the snapshot's ``versions``/``update_date``;
    ``authors`` (list or string) or ``authors_parsed``; ``author_count``; ``upvotes``;
    ``categories``. Other keys are ignored. A Hugging Face API item ``{"paper": {...}, ...}``
    is unwrapped: the inner object's fields win, the outer ones fill gaps.
    """
    if not isinstance(record, Mapping):
        raise RecordError(f"expected an object, got {type(record).__name__}")
    if isinstance(record.get("paper"), Mapping):
        record = ChainMap(record["paper"], record)
    authors = authors_from_parsed(record.get("authors_parsed")) or split_authors(record.get("authors"))
    return make_paper(
        title=_first(record, TITLE_KEYS),
        abstract=_first(record, ABSTRACT_KEYS),
        source=source,
        position=position,
        given_id=_first(record, ID_KEYS),
        url=_first(record, URL_KEYS),
        date=parse_date(_first(record, DATE_KEYS)) or _snapshot_date(record),
        authors=authors,
        author_count=as_count(_first(record, COUNT_KEYS)),
        upvotes=as_count(record.get("upvotes")),
        categories=split_categories(record.get("categories")),
    )
