"""The tokenizer keeps ML names whole (or split only where a lexicon can still match them)."""
from __future__ import annotations

import pytest
import spacy

from kg.components.entities import entity_to_dict
from kg.components.tokenizer import customize_tokenizer


@pytest.fixture(scope="module")
def tokenize():
    nlp = customize_tokenizer(spacy.blank("en"))
    return lambda text: [t.text for t in nlp.make_doc(text)]


@pytest.mark.parametrize(
    "name", ["GPT-4", "LLaMA-2-7B", "ROUGE-L", "pass@1", "Top-1", "3.8B", "1.58-bit", "Llama-3.1-8B", "MS-COCO",
             "text-to-image", "GPT-3.5-turbo", "b1.58", "8x7B", "Claude-3.5-Sonnet"],
)
def test_name_is_one_token(tokenize, name):
    assert tokenize(f"We use {name} here.") == ["We", "use", name, "here", "."]


@pytest.mark.parametrize("name, tokens", [("Mixtral 8x7B", ["Mixtral", "8x7B"]), ("BitNet b1.58", ["BitNet", "b1.58"])])
def test_two_word_names_are_two_whole_tokens(tokenize, name, tokens):
    assert tokenize(name) == tokens


def test_derivational_suffix_is_split_off_the_name(tokenize):
    assert tokenize("LLM-based agents") == ["LLM", "-", "based", "agents"]
    assert tokenize("GPT-style models") == ["GPT", "-", "style", "models"]


def test_markdown_emphasis_splits_off(tokenize):
    assert tokenize("**Learning from Peers** and *SwiftKV*") == ["**", "Learning", "from", "Peers", "**", "and", "*",
                                                                 "SwiftKV", "*"]


def test_punctuation_still_splits(tokenize):
    assert tokenize("(GPT-4), BERT; T5.") == ["(", "GPT-4", ")", ",", "BERT", ";", "T5", "."]
    assert tokenize("models—such as") == ["models", "—", "such", "as"]


def test_arithmetic_plus_still_splits(tokenize):
    assert tokenize("3+4") == ["3", "+", "4"]


def test_pipeline_tokenizer_keeps_the_input_text(nlp):
    doc = nlp.make_doc("GPT-4  and\tLoRA")
    assert doc.user_data["kg_text"] == doc.text == "GPT-4  and\tLoRA"
    assert nlp.tokenizer.infix_finditer is not None  # the wrapped tokenizer's settings stay reachable


def test_pattern_tokenizer_splits_like_the_pipeline(nlp):
    from kg.components.tokenizer import pattern_tokenizer

    text = "LLM-based GPT-4 (AR)-based 1.58-bit"
    assert [t.text for t in pattern_tokenizer(nlp)(text)] == [t.text for t in nlp.make_doc(text)]


@pytest.mark.parametrize("command", ["emph", "textbf", "textit", "texttt"])
def test_latex_formatting_commands_split_off_the_words_they_wrap(tokenize, command):
    text = f"We propose \\{command}{{Draft-Conditioned Decoding}}-based decoding."
    assert tokenize(text) == ["We", "propose", f"\\{command}{{", "Draft-Conditioned", "Decoding", "}", "-", "based",
                              "decoding", "."]


def test_latex_math_and_non_breaking_space_split(tokenize):
    assert tokenize("Claude Sonnet~4.5 on $\\tau^2$-bench with $k$ samples") == [
        "Claude", "Sonnet", "~", "4.5", "on", "$", "\\tau^2", "$", "-bench", "with", "$", "k", "$", "samples"]


def test_latex_names_keep_exact_offsets_into_the_original_text(default_nlp):
    text = ("Fast decoding\n\nWe apply \\emph{Draft-Conditioned Constrained Decoding} (DCCD) to \\textbf{MMLU} "
            "and compare with Claude Sonnet~4.5.")
    doc = default_nlp(text)
    assert doc.text == text
    abstract = text.split("\n\n", 1)[1]
    names = {e.name for e in doc._.kg_entities}
    assert {"Draft-Conditioned Constrained Decoding", "MMLU"} <= names
    assert not any(mark in name for name in names for mark in ("\\", "{", "}", "~", "$"))
    for entity in map(entity_to_dict, doc._.kg_entities):
        for surface, field, start, end, _sentence in entity["mentions"]:
            assert field == "abstract" and abstract[start:end] == surface


@pytest.mark.parametrize("text, tokens", [
    ("We use Qwen3-8B.", ["We", "use", "Qwen3-8B", "."]),
    ("on GSM8K. Next", ["on", "GSM8K", ".", "Next"]),
    ("and ROUGE-L.", ["and", "ROUGE-L", "."]),
    ("Falcon 40B.", ["Falcon", "40B", "."]),
])
def test_full_stop_splits_off_a_name_ending_in_a_capital(tokenize, text, tokens):
    assert tokenize(text) == tokens


def test_full_stop_inside_a_word_or_abbreviation_stays(tokenize):
    assert tokenize("the U.S. and e.g. A. B.") == ["the", "U.S.", "and", "e.g.", "A.", "B."]
    assert tokenize("Qwen-7B.This") == ["Qwen-7B.This"]


def test_participle_splits_off_a_name_but_not_a_word(tokenize):
    assert tokenize("GRPO-trained and Llama-3-trained models") == ["GRPO", "-", "trained", "and", "Llama-3", "-",
                                                                    "trained", "models"]
    assert tokenize("GPU-accelerated, pre-trained, fine-tuned, text-conditioned") == [
        "GPU", "-", "accelerated", ",", "pre-trained", ",", "fine-tuned", ",", "text-conditioned"]
