"""The title is its own sentence; sentence bounds and the cached text are set."""
from __future__ import annotations

import spacy
from hypothesis import given, settings, strategies as st

from kg.components.title import mark_title, sentence_at, sentence_end_chars, sentence_start_tokens, title_length, token_bounds


SENTENCIZER = spacy.blank("en")
SENTENCIZER.add_pipe("sentencizer")
BLANK = spacy.blank("en")


def run(text):
    return mark_title(SENTENCIZER(text))


def test_title_without_punctuation_is_a_sentence():
    doc = run("Hydra: Draft Heads\n\nWe propose Hydra. It works.")
    assert doc._.kg_title_len == len("Hydra: Draft Heads")
    assert [s.text.strip() for s in doc.sents] == ["Hydra: Draft Heads", "We propose Hydra.", "It works."]
    assert doc._.kg_sentences[0] == [0, doc._.kg_sentences[1][0]]
    assert doc._.kg_text == doc.text


def test_sentence_at_finds_the_sentence_of_an_offset():
    doc = run("T\n\nA cat. C dog.")
    start, end = sentence_at(doc._.kg_sentences, doc.text.index("C"))
    assert doc.text[start:end].strip() == "C dog."


def test_no_separator_means_all_title_and_empty_doc_is_fine():
    assert title_length("just a title") == len("just a title")
    doc = run("")
    assert doc._.kg_title_len == 0 and doc._.kg_sentences == [] and sentence_at([], 0) == (0, 0)


# The kg_title component splits sentences itself, by the rule of spaCy's sentencizer: same marks.
SENTENCE_PIECES = st.sampled_from(
    ["a", "Bc", " ", "  ", "\n", "\n\n", ".", "!", "?", "...", "\"", "'", ")", "(", ",", "GPT-4.", "e.g.", "。", "𑁇", "x.y"]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(SENTENCE_PIECES, max_size=40).map("".join))
def test_kg_title_splits_sentences_like_the_sentencizer(text: str) -> None:
    with_sentencizer = run(text)
    alone = mark_title(BLANK.make_doc(text))
    assert [t.is_sent_start for t in alone] == [t.is_sent_start for t in with_sentencizer]
    assert alone._.kg_sentences == with_sentencizer._.kg_sentences


def test_sentence_start_tokens_skip_punctuation_after_a_period() -> None:
    # tokens: We run . " It ends . . Done
    is_punct = [False, False, True, True, False, False, True, True, False]
    assert sentence_start_tokens([2, 6, 7], len(is_punct), is_punct.__getitem__) == [0, 4, 8]
    assert sentence_start_tokens([], len(is_punct), is_punct.__getitem__) == [0]
    assert sentence_start_tokens([], 0, is_punct.__getitem__) == []


def test_sentence_end_chars_include_characters_beyond_the_basic_plane() -> None:
    assert sentence_end_chars("a. b! 𑁇c。d?") == [1, 4, 6, 8, 10]


@settings(max_examples=300, deadline=None)
@given(st.lists(SENTENCE_PIECES, max_size=40).map("".join))
def test_token_bounds_are_the_token_offsets(text: str) -> None:
    doc = BLANK.make_doc(text)
    starts, ends = token_bounds(doc)
    assert list(zip(starts, ends)) == [(token.idx, token.idx + len(token)) for token in doc]
