"""Candidate mentions shared by the matcher components, as plain tuples on the Doc.

``doc._.kg_candidates`` is a list of :class:`Candidate` (character offsets into ``doc.text``,
surface text, type, rule, lexicon canonical name). Plain tuples rather than ``Span`` objects: the
matchers add dozens per abstract and the merge step reads them all, so object creation is kept
off the hot path; :func:`token_bounds` gives the character offsets of tokens from one
``doc.to_array`` call instead of building ``Token`` objects.
"""
from __future__ import annotations

from bisect import bisect_left
from functools import lru_cache, partial
from typing import Callable, Iterable, NamedTuple, Sequence

from spacy.tokens import Doc

from kg.components.title import BOUNDS_KEY, TEXT_KEY, cached_text, extension_key, token_bounds
from kg.names import name_key as _name_key

__all__ = ["BOUNDS_KEY", "Candidate", "CandidateComponent", "add_candidates", "exact_token_span", "make_candidate", "name_key", "span_candidate", "token_bounds"]

EXTENSION = "kg_candidates"
#: :func:`kg.names.name_key`, memoised: the same surface forms recur within and across papers.
name_key = lru_cache(maxsize=1 << 16)(_name_key)

if not Doc.has_extension(EXTENSION):
    Doc.set_extension(EXTENSION, default=None)



CANDIDATES_KEY = extension_key(EXTENSION)


class Candidate(NamedTuple):
    """A possible mention: ``doc.text[start:end] == text``, its type, the rule that found it, its lexicon name."""

    start: int
    end: int
    text: str
    type: str
    rule: str
    canonical: str = ""


#: ``make_candidate((start, end, text, type, rule, canonical))``: a :class:`Candidate` from all six fields, without
#: the Python-level ``__new__`` of ``NamedTuple`` (several times faster in the matchers' loops).
make_candidate = partial(tuple.__new__, Candidate)


def add_candidates(doc: Doc, candidates: Iterable[Candidate]) -> None:
    """Append to ``doc._.kg_candidates`` (through ``doc.user_data``, :func:`extension_key`)."""
    user_data = doc.user_data
    found = user_data.get(CANDIDATES_KEY)
    if found is None:
        found = user_data[CANDIDATES_KEY] = []
    found.extend(candidates)


class CandidateComponent:
    """Thin pipeline shell: adds what ``find(doc)`` returns to ``doc._.kg_candidates``."""

    def __init__(self, find: Callable[[Doc], Iterable[Candidate]]) -> None:
        self.find = find

    def __call__(self, doc: Doc) -> Doc:
        add_candidates(doc, self.find(doc))
        return doc


def span_candidate(doc: Doc, start: int, end: int, kind: str, rule: str, canonical: str = "") -> Candidate:
    """The candidate of tokens ``doc[start:end]``."""
    # ``doc.user_data`` directly: each ``doc._`` access builds an accessor object (called per candidate).
    user_data = doc.user_data
    starts, ends = user_data.get(BOUNDS_KEY) or token_bounds(doc)
    first, last = starts[start], ends[end - 1]
    text = user_data.get(TEXT_KEY) or cached_text(doc)
    return Candidate(first, last, text[first:last], kind, rule, canonical)


def exact_token_span(starts: Sequence[int], ends: Sequence[int], start: int, end: int) -> tuple[int, int] | None:
    """Token indexes ``(first, last + 1)`` of the characters ``start:end`` when they start and end on token
    boundaries, else None: ``doc.char_span(start, end)`` (strict) from :func:`token_bounds`, without a ``Span``.

    >>> exact_token_span([0, 4, 8], [3, 7, 11], 4, 11), exact_token_span([0, 4, 8], [3, 7, 11], 5, 11)
    ((1, 3), None)
    """
    first, last = bisect_left(starts, start), bisect_left(ends, end)
    if first == len(starts) or starts[first] != start or last == len(ends) or ends[last] != end or last < first:
        return None
    return first, last + 1
