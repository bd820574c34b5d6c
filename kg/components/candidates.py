"""Candidate mentions shared by the matcher components, as plain tuples on the Doc.

``doc._.kg_candidates`` is a list of :class:`Candidate` (character offsets into ``doc.text``,
surface text, type, rule, lexicon canonical name). Plain tuples rather than ``Span`` objects: the
matchers add dozens per abstract and the merge step reads them all, so object creation is kept
off the hot path; :func:`token_bounds` gives the character offsets of tokens from one
``doc.to_array`` call instead of building ``Token`` objects.
"""
from __future__ import annotations

from typing import Iterable, NamedTuple

from spacy.attrs import IDX, LENGTH
from spacy.tokens import Doc

EXTENSION = "kg_candidates"
BOUNDS_KEY = "kg_token_bounds"

if not Doc.has_extension(EXTENSION):
    Doc.set_extension(EXTENSION, default=None)


class Candidate(NamedTuple):
    """A possible mention: ``doc.text[start:end] == text``, its type, the rule that found it, its lexicon name."""

    start: int
    end: int
    text: str
    type: str
    rule: str
    canonical: str = ""


def add_candidates(doc: Doc, candidates: Iterable[Candidate]) -> None:
    """Append to ``doc._.kg_candidates``."""
    if doc._.kg_candidates is None:
        doc._.kg_candidates = []
    doc._.kg_candidates.extend(candidates)


def token_bounds(doc: Doc) -> tuple[list[int], list[int]]:
    """``(starts, ends)``: character offsets of every token, computed once per Doc (cached in ``user_data``)."""
    bounds = doc.user_data.get(BOUNDS_KEY)
    if bounds is None:
        array = doc.to_array([IDX, LENGTH]) if len(doc) else None
        starts = array[:, 0].tolist() if array is not None else []
        ends = (array[:, 0] + array[:, 1]).tolist() if array is not None else []
        bounds = doc.user_data[BOUNDS_KEY] = (starts, ends)
    return bounds


def span_candidate(doc: Doc, start: int, end: int, kind: str, rule: str, canonical: str = "") -> Candidate:
    """The candidate of tokens ``doc[start:end]``."""
    starts, ends = token_bounds(doc)
    first, last = starts[start], ends[end - 1]
    return Candidate(first, last, doc._.kg_text[first:last], kind, rule, canonical)
