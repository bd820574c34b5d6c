"""Typed records that flow through the stages: ingest -> extract -> graph -> export.

Every stage takes and returns these frozen dataclasses, never loose dicts, so the
contract between modules is written down in one place.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

ENTITY_TYPES = ("Model", "Method", "Benchmark", "Metric", "Task")
FIELDS = ("title", "abstract")

_ARXIV_ID = re.compile(r"^(?:\d{4}\.\d{4,5}|[a-z\-]+(?:\.[A-Z]{2})?/\d{7})$")


def title_key(title: str) -> str:
    """Normalise a title for identity: lower case, letters and digits only (any script), accents dropped."""
    decomposed = unicodedata.normalize("NFKD", title.casefold())
    return "".join(ch for ch in decomposed if ch.isalnum() and not unicodedata.combining(ch))


def title_id(title: str) -> str:
    """Stable 10-hex-digit id derived from the normalised title (used when no arXiv id is known)."""
    return hashlib.sha1(title_key(title).encode("utf-8")).hexdigest()[:10]


def is_arxiv_id(value: str) -> bool:
    """True for new-style (``2401.12345``) and old-style (``cs.CL/0401001``) arXiv ids, without version."""
    return bool(_ARXIV_ID.match(value))


@dataclass(frozen=True, slots=True)
class Paper:
    """One paper as read from any source.

    ``date`` is ISO 8601: ``2024-06-10`` when the year is known, ``--06-10`` (the XML Schema
    ``gMonthDay`` form) when the source gave only month and day; it is never guessed.
    ``authors`` lists names when known; ``author_count`` is set whenever the number is known.
    ``source`` and ``position`` say where the record came from (file, 1-based line or record).
    """

    id: str
    title: str
    abstract: str
    date: str | None = None
    authors: tuple[str, ...] = ()
    author_count: int | None = None
    upvotes: int | None = None
    url: str | None = None
    categories: tuple[str, ...] = ()
    source: str = ""
    position: int = 0

    @property
    def date_has_year(self) -> bool:
        return self.date is not None and not self.date.startswith("--")


@dataclass(frozen=True, slots=True)
class Mention:
    """Where an entity was seen: the surface text, its field, character offsets in that field, the sentence."""

    text: str
    field: str
    start: int
    end: int
    sentence: str


@dataclass(frozen=True, slots=True)
class Entity:
    """A distinct entity of one paper, under its canonical name, with the evidence for it."""

    name: str
    type: str
    aliases: tuple[str, ...] = ()
    proposed: bool = False
    mentions: tuple[Mention, ...] = ()
    rule: str = ""
    confidence: float = 1.0


@dataclass(frozen=True, slots=True)
class Relation:
    """An entity-to-entity statement found in a paper (``variantOf``, ``comparedWith``, ``outperforms``)."""

    subject: str
    subject_type: str
    predicate: str
    object: str
    object_type: str
    sentence: str = ""
    rule: str = ""


@dataclass(frozen=True, slots=True)
class ExtractedPaper:
    """A paper with the entities (and entity relations) extraction found in it."""

    paper: Paper
    entities: tuple[Entity, ...] = ()
    relations: tuple[Relation, ...] = field(default=())
