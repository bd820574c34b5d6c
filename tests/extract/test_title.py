"""The title is its own sentence; sentence bounds and the cached text are set."""
from __future__ import annotations

import spacy

from kg.components.title import mark_title, sentence_at, title_length


def run(text):
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return mark_title(nlp(text))


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
