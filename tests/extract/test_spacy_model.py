"""``--spacy-model``: a trained pipeline's noun phrases become extra candidates.

The test trains a tiny morphologizer (POS tagger) on a few hand-made sentences in seconds, saves it
to a temporary folder, and loads it by path, as a user would load an installed pipeline. (Training a
parser the same way fails here inside spaCy 3.8.18's oracle, E1031, even on spaCy's own example;
the parser path is tested on a Doc built with gold heads.)
"""
from __future__ import annotations

import random

import pytest
import spacy
from spacy.matcher import Matcher
from spacy.tokens import Doc
from spacy.training import Example

from kg.components.noun_chunks import NOUN_PHRASE, find_noun_phrases
from kg.extract import extract_papers
from kg.pipeline import make_pipeline
from kg.records import Paper

# (words, POS, heads, dependency labels)
SENTENCES = [
    (["We", "propose", "sparse", "routers", "."], ["PRON", "VERB", "ADJ", "NOUN", "PUNCT"], [1, 1, 3, 1, 1],
     ["nsubj", "ROOT", "amod", "dobj", "punct"]),
    (["Our", "method", "uses", "gated", "adapters", "."], ["PRON", "NOUN", "VERB", "ADJ", "NOUN", "PUNCT"],
     [1, 2, 2, 4, 2, 2], ["poss", "nsubj", "ROOT", "amod", "dobj", "punct"]),
    (["The", "model", "improves", "fluent", "summaries", "."], ["DET", "NOUN", "VERB", "ADJ", "NOUN", "PUNCT"],
     [1, 2, 2, 4, 2, 2], ["det", "nsubj", "ROOT", "amod", "dobj", "punct"]),
    (["They", "train", "compact", "encoders", "."], ["PRON", "VERB", "ADJ", "NOUN", "PUNCT"], [1, 1, 3, 1, 1],
     ["nsubj", "ROOT", "amod", "dobj", "punct"]),
]


@pytest.fixture(scope="module")
def trained_path(tmp_path_factory):
    random.seed(0)
    nlp = spacy.blank("en")
    nlp.add_pipe("morphologizer")
    examples = []
    for words, pos, _, _ in SENTENCES:
        doc = nlp.make_doc(" ".join(words))
        examples.append(Example.from_dict(doc, {"words": words, "pos": pos}))
    optimizer = nlp.initialize(lambda: examples, sgd=None)
    for _ in range(60):
        random.shuffle(examples)
        nlp.update(examples, sgd=optimizer, drop=0.0)
    path = tmp_path_factory.mktemp("tiny_model") / "tiny"
    nlp.to_disk(path)
    return path


def test_trained_pipeline_adds_noun_chunk_candidates(trained_path, lexicon_dir):
    nlp = make_pipeline(spacy_model=str(trained_path), lexicon_dir=lexicon_dir)
    assert "kg_noun_chunks" in nlp.pipe_names and "morphologizer" in nlp.pipe_names
    [item] = extract_papers([Paper(id="a", title="Routers", abstract="We propose sparse routers.")], nlp=nlp)
    by_name = {e.name: e for e in item.entities}
    assert "sparse router" in by_name and by_name["sparse router"].rule == "noun_chunk"


def test_default_pipeline_has_no_noun_chunks(lexicon_dir):
    assert "kg_noun_chunks" not in make_pipeline(lexicon_dir=lexicon_dir).pipe_names


def test_parser_noun_chunks_are_used_when_there_is_a_parse():
    nlp = spacy.blank("en")
    words, pos, heads, deps = SENTENCES[1]
    doc = Doc(nlp.vocab, words=words, pos=pos, heads=heads, deps=deps)
    assert [c.text for c in find_noun_phrases(doc, Matcher(nlp.vocab))] == ["method", "gated adapters"]


def test_pos_noun_phrases_without_a_parse():
    nlp = spacy.blank("en")
    words, pos, _, _ = SENTENCES[2]
    matcher = Matcher(nlp.vocab)
    matcher.add("NP", [NOUN_PHRASE], greedy="LONGEST")
    assert [c.text for c in find_noun_phrases(Doc(nlp.vocab, words=words, pos=pos), matcher)] == ["model", "fluent summaries"]
    assert find_noun_phrases(Doc(nlp.vocab, words=words), matcher) == []
