"""Head-noun phrases: heads extend leftwards over modifiers, stopped by closed-class words."""
from __future__ import annotations

import pytest
import spacy

from kg.components.phrases import Head, PhraseFinder, load_heads, load_phrase_rules
from kg.components.tokenizer import customize_tokenizer


@pytest.fixture(scope="module")
def phrases(lexicon_dir):
    nlp = customize_tokenizer(spacy.blank("en"))
    nlp.add_pipe("sentencizer")
    rules = load_phrase_rules()
    finder = PhraseFinder(nlp, load_heads(rules, lexicon_dir), rules)

    def run(text):
        doc = nlp(text)
        return [(c.text, c.type) for c in finder(doc)]

    return run


def test_heads_extend_over_modifiers(phrases):
    text = "We apply post-training quantization to improve top-1 accuracy and inference latency."
    assert phrases(text) == [("post-training quantization", "Method"), ("top-1 accuracy", "Metric"),
                             ("inference latency", "Metric")]


def test_task_heads_and_hyphenated_modifiers(phrases):
    assert phrases("It handles text-to-image generation well.") == [("text-to-image generation", "Task")]


@pytest.mark.parametrize("text", [
    "The proposed quantization works.",          # evaluative adjective
    "We significantly improve accuracy.",        # adverb and verb
    "Various existing methods use distillation.",  # plural noun before head, generic head
    "It achieves 3 accuracy.",                    # a count is not a modifier
])
def test_stop_words_block_modifiers(phrases, text):
    assert all(len(name.split()) == 1 for name, _ in phrases(text))


def test_heads_needing_a_modifier_are_dropped_alone(phrases):
    assert phrases("The generation is slow.") == []
    assert phrases("Image generation is slow.") == [("Image generation", "Task")]


def test_heads_file_wins_over_derived_heads(tmp_path, make_lexicon):
    make_lexicon(tmp_path, {"methods.jsonl": [{"name": "beam search", "type": "Method"}]})
    (tmp_path / "heads.jsonl").write_text('{"name": "search", "type": "Task", "needs_modifier": false}\n')
    rules = load_phrase_rules()
    heads = load_heads(rules, tmp_path)
    assert heads["search"] == Head("Task", False) and heads["searches"] == Head("Task", False)
    assert "model" not in heads  # too generic to head a phrase
