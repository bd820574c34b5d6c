"""Noun phrases of a trained pipeline (``--spacy-model``) as low-priority candidates.

Only used when the user names an installed pipeline. With a parser, its noun chunks are used;
with only a tagger or morphologizer, maximal ``ADJ* (NOUN|PROPN)+`` runs of the POS tags (a
:class:`~spacy.matcher.Matcher`, greedy longest). Leading determiners, pronouns, numbers and stop
words are dropped; each phrase becomes a ``Method`` candidate with ``id_`` ``"noun_chunk"``, the
weakest rule, so lexicon, shape and phrase candidates win wherever they overlap.
"""
from __future__ import annotations

from functools import partial

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from kg.components.candidates import Candidate, CandidateComponent, span_candidate

_SKIP_POS = {"DET", "PRON", "NUM", "PUNCT", "SYM", "ADP", "CCONJ", "SCONJ", "AUX", "PART"}
NOUN_PHRASE = [{"POS": "ADJ", "OP": "*"}, {"POS": {"IN": ["NOUN", "PROPN"]}, "OP": "+"}]


def trim(span: Span) -> Span | None:
    """``span`` without leading function words and stop words, or None when nothing is left."""
    start = span.start
    while start < span.end and (span.doc[start].pos_ in _SKIP_POS or span.doc[start].is_stop):
        start += 1
    return span.doc[start : span.end] if start < span.end else None


def find_noun_phrases(doc: Doc, matcher: Matcher) -> list[Candidate]:
    """Noun chunks (parser) or POS noun phrases (tagger) of ``doc``; empty when it has neither."""
    if doc.has_annotation("DEP"):
        phrases = list(doc.noun_chunks)
    elif doc.has_annotation("POS"):
        phrases = filter_spans([doc[start:end] for _, start, end in matcher(doc)])
    else:
        return []
    spans = [trim(phrase) for phrase in phrases]
    return [span_candidate(doc, s.start, s.end, "Method", "noun_chunk") for s in spans if s is not None]


@Language.factory("kg_noun_chunks", assigns=["doc._.kg_candidates"])
def make_noun_phrase_finder(nlp: Language, name: str):
    """Component adding :func:`find_noun_phrases` to the candidates."""
    matcher = Matcher(nlp.vocab)
    matcher.add("NP", [NOUN_PHRASE], greedy="LONGEST")

    return CandidateComponent(partial(find_noun_phrases, matcher=matcher))
