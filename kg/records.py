"""Typed records that flow through the stages: ingest -> extract -> graph -> export.

Every stage takes and returns these frozen dataclasses, never loose dicts, so the
contract between modules is written down in one place.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from operator import attrgetter
from dataclasses import MISSING, dataclass, field, fields

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


def fast_record(cls: type) -> type:
    """Make a frozen, slotted dataclass cheap to build and to pickle.

    Extraction builds dozens of mentions and entities per abstract, and ``--jobs`` workers send them
    back pickled. The dataclass ``__init__`` of a frozen class calls ``object.__setattr__`` per field,
    and its pickling goes through ``__getstate__``/``__setstate__``: with two workers, pickling and
    unpickling the records cost a third as much as extracting them. Here ``__init__`` (same signature and defaults, generated as
    dataclasses does) sets each slot through its descriptor, and ``__reduce__`` pickles the field values
    as the constructor's arguments.
    """
    names = tuple(item.name for item in fields(cls))
    namespace: dict = {}
    params = []
    for item in fields(cls):
        if item.default_factory is not MISSING:
            raise TypeError(f"{cls.__name__}.{item.name}: fast_record supports plain defaults only")
        namespace[f"_set_{item.name}"] = cls.__dict__[item.name].__set__
        if item.default is MISSING:
            params.append(item.name)
        else:
            namespace[f"_default_{item.name}"] = item.default
            params.append(f"{item.name}=_default_{item.name}")
    body = "".join(f"\n    _set_{name}(self, {name})" for name in names)
    exec(f"def __init__(self, {', '.join(params)}):{body}", namespace)
    cls.__init__ = namespace["__init__"]
    cls.__init__.__qualname__ = f"{cls.__qualname__}.__init__"
    values = attrgetter(*names)
    cls.__reduce__ = lambda self: (cls, values(self))
    return cls


@fast_record
@dataclass(frozen=True, slots=True)
class Mention:
    """Where an entity was seen: the surface text, its field, character offsets in that field, the sentence."""

    text: str
    field: str
    start: int
    end: int
    sentence: str


@fast_record
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


@fast_record
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
