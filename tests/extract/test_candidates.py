"""Shared candidate helpers: token offsets without spaCy objects."""
from __future__ import annotations

import spacy
from hypothesis import given, settings, strategies as st

from kg.components.candidates import Candidate, add_candidates, exact_token_span, make_candidate, token_bounds
from kg.components.title import extension_key

NLP = spacy.blank("en")


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="aB1 -(.\n", max_size=30), st.integers(-2, 32), st.integers(-2, 32))
def test_exact_token_span_is_char_span_strict(text: str, start: int, end: int) -> None:
    doc = NLP.make_doc(text)
    if not 0 <= start < end <= len(text):
        return
    span = doc.char_span(start, end)
    expected = (span.start, span.end) if span is not None else None
    assert exact_token_span(*token_bounds(doc), start, end) == expected


def test_exact_token_span_needs_token_boundaries() -> None:
    doc = NLP.make_doc("GPT-4 beats BERT.")
    bounds = token_bounds(doc)
    assert exact_token_span(*bounds, 12, 16) == (doc.char_span(12, 16).start, doc.char_span(12, 16).end)
    assert exact_token_span(*bounds, 13, 16) is None  # inside "BERT"
    assert exact_token_span(*bounds, 11, 16) is None  # starts on the space


def test_make_candidate_is_a_candidate() -> None:
    candidate = make_candidate((0, 5, "GPT-4", "Model", "lexicon", "GPT-4"))
    assert candidate == Candidate(0, 5, "GPT-4", "Model", "lexicon", "GPT-4") and type(candidate) is Candidate
    assert candidate.canonical == "GPT-4"


def test_candidates_go_where_doc_underscore_reads_them() -> None:
    doc = NLP.make_doc("GPT-4 beats BERT.")
    first, second = Candidate(0, 5, "GPT-4", "Model", "lexicon"), Candidate(12, 16, "BERT", "Model", "shape")
    add_candidates(doc, [first])
    add_candidates(doc, [second])
    assert doc._.kg_candidates == [first, second]
    doc._.kg_title_len = 7  # and any plain extension: spaCy keeps its value under extension_key
    assert doc.user_data[extension_key("kg_title_len")] == 7
