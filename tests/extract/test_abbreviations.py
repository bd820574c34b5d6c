"""Abbreviation definitions (Schwartz-Hearst with ML refinements) and the corpus-level acronym table."""
from __future__ import annotations

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.components.abbreviations import (
    AcronymTable,
    find_abbreviations,
    find_definitions,
    is_short_form,
    match_long_form,
    sentence_bounds,
)

NLP = spacy.blank("en")
NLP.add_pipe("sentencizer")


def pairs(text: str) -> list[tuple[str, str]]:
    return [(short.text, long.text) for short, long in find_abbreviations(NLP(text))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We study large language models (LLMs) here.", [("LLMs", "large language models")]),
        ("Multimodal Large Language Models (MLLMs) see images.", [("MLLMs", "Multimodal Large Language Models")]),
        (
            "We propose Parallel spEculative decoding with Adaptive dRaft Length (PEARL), a framework.",
            [("PEARL", "Parallel spEculative decoding with Adaptive dRaft Length")],
        ),
        ("We propose Feynman Kac (FK) steering for diffusion.", [("FK", "Feynman Kac")]),
        ("We propose Time-lagged Information Bottleneck (T-IB).", [("T-IB", "Time-lagged Information Bottleneck")]),
        # Plain Schwartz-Hearst would stop at "Policy" (the second P matches inside "oPtimization").
        ("Agents trained with Proximal Policy Optimization (PPO) learn.", [("PPO", "Proximal Policy Optimization")]),
        ("We use Low-Rank Adaptation (LoRA) and a mixture-of-experts (MoE).", [("LoRA", "Low-Rank Adaptation"), ("MoE", "mixture-of-experts")]),
        ("Results with 3D Gaussian Splatting (3DGS) are sharp.", [("3DGS", "3D Gaussian Splatting")]),
        ("Reinforcement learning from human feedback (RLHF) aligns models.", [("RLHF", "Reinforcement learning from human feedback")]),
        # The short form ends at a comma or semicolon inside the parentheses.
        ("We use large language models (LLMs; Brown 2020) and vision transformers (ViTs, e.g. DeiT).", [("LLMs", "large language models"), ("ViTs", "vision transformers")]),
        # SF (long form).
        ("We fine-tune BERT (Bidirectional Encoder Representations from Transformers) on data.", [("BERT", "Bidirectional Encoder Representations from Transformers")]),
        # The long form does not reach back over clause punctuation.
        ("Beyond that, retrieval-augmented generation (RAG) helps.", [("RAG", "retrieval-augmented generation")]),
    ],
)
def test_definitions_found(text: str, expected: list[tuple[str, str]]) -> None:
    assert pairs(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Strong encoders (e.g., BERT) help.",
        "Strong encoders (i.e. BERT) help.",
        "Scaling laws hold (Brown et al., 2020).",
        "Scaling laws hold (Kaplan 2020).",
        "Accuracy rises (3.5%) and falls (12).",
        "Our approach (Ours) wins.",
        "Two steps: (ii) decoding.",
        "Results are shown (Table 1) and (see Section 3).",
        "Graph Neural Networks (CNN) differ.",  # letters do not match
        "We use large language models. (LLMs) are big.",  # long form in another sentence
        "Unbalanced ( parentheses (LLM and large language models (LLMs",
        "Closing only) text) here (",
        "",
    ],
)
def test_not_definitions(text: str) -> None:
    assert pairs(text) == []


def test_title_is_its_own_sentence() -> None:
    doc = NLP("Large Language Models\n\n(LLMs) are studied.")
    doc._.kg_title_len = len("Large Language Models")
    assert find_abbreviations(doc) == []
    assert sentence_bounds(doc)[0] == (0, len("Large Language Models"))


def test_definitions_keep_exact_characters_when_tokens_run_past_them() -> None:
    text = "We pretrain a Masked Auto-Encoder (MAE).During training it learns."
    [found] = find_definitions(text)
    assert (found.short, found.long) == ("MAE", "Masked Auto-Encoder")
    assert text[found.short_start : found.short_end] == "MAE"
    assert text[found.long_start : found.long_end] == "Masked Auto-Encoder"


def test_repeated_definitions_are_all_returned() -> None:
    assert pairs("Large language models (LLMs) grow. Big large language models (LLMs) too.") == [
        ("LLMs", "Large language models"),
        ("LLMs", "large language models"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("LLM", True), ("LLMs", True), ("MoE", True), ("kNN", True), ("T5", True), ("3DGS", True), ("Ours", False), ("Table", False), ("e.g.", False), ("A", False), ("2020", False)],
)
def test_is_short_form(text: str, expected: bool) -> None:
    assert is_short_form(text) is expected


def test_match_long_form_prefers_word_starts_and_returns_none_without_match() -> None:
    text = "train Proximal Policy Optimization"
    assert text[match_long_form("PPO", text) :] == "Proximal Policy Optimization"
    assert match_long_form("XYZ", "large language models") is None


def test_component_sets_extension() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("kg_abbreviations")
    doc = nlp("We use a Vision Transformer (ViT).")
    assert [(s.text, l.text) for s, l in doc._.kg_abbreviations] == [("ViT", "Vision Transformer")]


def test_acronym_table_resolves_most_frequent_long_form() -> None:
    table = AcronymTable(min_count=2)
    table.add_pairs(
        [
            ("LLMs", "large language models"),
            ("LLM", "Large Language Model"),
            ("LLMs", "large language models"),
            ("LLM", "latent linear model"),
            ("RL", "reinforcement learning"),
        ]
    )
    assert table.resolve("LLM") == "large language models"
    assert table.resolve("LLMs") == "large language models"
    assert table.long_forms("LLM") == [("large language models", 3), ("latent linear model", 1)]
    assert table.resolve("RL") is None  # below min_count
    assert table.resolve("GAN") is None  # never seen
    assert len(table) == 2


def test_acronym_table_ties_are_alphabetical_and_tables_merge() -> None:
    first, second = AcronymTable(min_count=1), AcronymTable(min_count=1)
    first.add("SD", "stable diffusion")
    second.add("SD", "speculative decoding")
    first.update(second)
    assert first.resolve("SD") == "speculative decoding"
    first.add("SD", "stable diffusion")
    assert first.resolve("SD") == "stable diffusion"


def _letters_in_order(short: str, long: str) -> bool:
    remaining = iter(long.casefold())
    return all(ch in remaining for ch in short.casefold().rstrip("s") if ch.isalnum())


PAREN_HEAVY = st.text(alphabet="()ABCDLMPabcdelmnoprst -,;.:\n0123456789%", max_size=200)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=300), PAREN_HEAVY))
def test_arbitrary_text_never_crashes_and_pairs_are_sound(text: str) -> None:
    doc = NLP(text)
    for found in find_definitions(doc.text, sentence_bounds(doc)):
        assert 0 <= found.short_start < found.short_end <= len(text)
        assert 0 <= found.long_start < found.long_end <= len(text)
        assert found.short_end <= found.long_start or found.long_end <= found.short_start
        assert _letters_in_order(found.short, found.long)
        assert found.long[0].casefold() == next(ch for ch in found.short if ch.isalnum()).casefold()
    for short, long in find_abbreviations(doc):
        assert short.doc is doc and long.doc is doc


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/0A(0A)", []),  # found by hypothesis: the long form began with "/"
        ("a /Proximal Policy Optimization (PPO) x", [("PPO", "Proximal Policy Optimization")]),
    ],
)
def test_long_form_starts_with_the_first_letter_of_the_short_form(text: str, expected: list) -> None:
    assert [(d.short, d.long) for d in find_definitions(text)] == expected
