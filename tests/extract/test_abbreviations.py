"""Abbreviation definitions (Schwartz-Hearst with ML refinements) and the corpus-level acronym table."""
from __future__ import annotations

import re

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st

from spacy.tokens import Doc

from kg.components.abbreviations import (
    _BARRIER,
    Abbreviation,
    AcronymTable,
    _barrier_after,
    _best_start,
    _expanded_tokens,
    _long_form_before,
    doc_definitions,
    short_form_letters,
    find_abbreviations,
    find_definitions,
    is_short_form,
    match_long_form,
    sentence_bounds,
)
from kg.components.title import extension_key, token_bounds

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


@pytest.mark.parametrize(
    ("short", "text", "long"),
    [
        ("LLMs", "we study large language models", "large language models"),  # the last words, initials in order
        ("MoE", "a sparse Mixture of Experts", "Mixture of Experts"),            # a function word inside
        ("AB", "Alpha Beta Alpha Beta", "Alpha Beta"),                           # the nearest start of the best chains
        ("PPO", "train Proximal Policy Optimization", "Proximal Policy Optimization"),
        ("AB", "Alpha-Beta", "Alpha-Beta"),                                      # one hyphenated word: the full search
        ("AB", "Alpha Beta-Alpha-Beta", "Alpha-Beta"),                           # a later start inside the last word
        ("AB", "Alpha of Beta", "Alpha of Beta"),
        ("RL", "to reinforcement learning", "reinforcement learning"),
    ],
)
def test_match_long_form_cases(short: str, text: str, long: str) -> None:
    assert text[match_long_form(short, text) :] == long


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["Alpha", "beta", "of", "the", "Gamma", "a", "Beta-Gamma", "x/Beta", "2B", "ab"]), max_size=7),
       st.sampled_from(["AB", "ABG", "BG", "ABs", "GA", "A2B"]))
def test_match_long_form_takes_the_result_of_the_full_search(words: list[str], short: str) -> None:
    # The common case (the last words start with the letters) is read at once; the full search gives the same start.
    text = " ".join(words)
    letters = short_form_letters(short)
    if not words or len(text) <= len(letters):
        return
    start = _best_start(text, text.casefold(), text.split(), letters)
    assert match_long_form(short, text) == (start if start is not None and text[start:].strip() != short else None)


def _reference_window(text: str, sent_start: int, paren_start: int, short: str) -> str | None:
    """The long-form window as first written: the barriers scanned from the reach, the words found left to right."""
    end = paren_start
    while end > sent_start and text[end - 1].isspace():
        end -= 1
    window_start = max(sent_start, end - 300)
    for barrier in _BARRIER.finditer(text, window_start, end):
        window_start = barrier.end()
    n_letters = len(short_form_letters(short))
    max_words = min(n_letters + 5, n_letters * 2)
    words = [window_start + m.start() for m in re.finditer(r"\S+", text[window_start:end])]
    if not words:
        return None
    return text[words[-max_words] if len(words) > max_words else words[0] : end]


@pytest.mark.parametrize(
    "text",
    [
        "Foo, - Bar Baz (BB) here.",             # a barrier that a scan from elsewhere would read differently
        "x , - - Big Brown (BB)",
        "one two three four five six seven eight nine ten eleven Big Brown (BB)",
        "Alpha; beta gamma: Big Brown (BB)",
        "a.b Big Brown (BB)",
        "     (BB)",
    ],
)
def test_long_form_window_matches_the_full_scan(text: str) -> None:
    paren = text.index("(BB)")
    expected = _reference_window(text, 0, paren, "BB")
    found = _long_form_before(text, 0, paren, "BB")
    window = match_long_form("BB", expected) if expected else None
    assert (found is None) == (window is None)
    if found:
        assert text[found[0] : found[1]] == expected[window:]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab,.;:( -\n\u2013", max_size=60), st.data())
def test_barrier_after_scans_as_the_full_scan_would(text: str, data) -> None:
    # Scanning from near the window gives the last barrier the scan of the whole reach gives (", - " depends on it).
    end = len(text)
    window_start = data.draw(st.integers(0, end))
    full = [m.end() for m in _BARRIER.finditer(text, 0, end)]
    expected = full[-1] if full and full[-1] > window_start else None
    assert _barrier_after(text, 0, window_start, end) == expected


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab (). -\n", max_size=40), st.integers(0, 40), st.integers(1, 40))
def test_expanded_tokens_are_those_of_char_span_expand(text: str, start: int, length: int) -> None:
    doc = NLP(text)
    if not len(doc) or start >= len(text):
        return
    end = min(len(text), start + length)
    span = doc.char_span(start, end, alignment_mode="expand")
    starts, ends = token_bounds(doc)
    first, last = _expanded_tokens(starts, ends, start, end)
    assert (span.start, span.end) == (first, last) if span is not None and len(span) else first >= last


def test_extension_values_live_under_extension_key_and_definitions_cross_processes() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("kg_abbreviations")
    doc = nlp("We use a Vision Transformer (ViT).")
    assert doc.user_data[extension_key("kg_abbreviations")] is doc._.kg_abbreviations
    doc._.kg_abbreviations = None  # spans do not serialise (kg_entities detaches them)
    restored = Doc(nlp.vocab).from_bytes(doc.to_bytes())  # user_data through msgpack: tuples come back as lists
    text = doc.text
    expected = Abbreviation(text.index("ViT"), text.index(")"), text.index("Vision"), text.index(" (ViT"), "ViT", "Vision Transformer")
    assert doc_definitions(restored) == doc_definitions(doc) == [expected]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("We compare decoder-only LLMs (Llama 3.1, Qwen 2.5, Mistral Nemo) with encoders.", []),
        ("Data should be FAIR (Findable, Accessible, Interoperable, and Reusable).",
         [("FAIR", "Findable, Accessible, Interoperable, and Reusable")]),
        ("The STAR (scalability, traceability, responsiveness, and adaptability) criteria hold.",
         [("STAR", "scalability, traceability, responsiveness, and adaptability")]),
    ],
)
def test_a_list_of_names_in_parentheses_is_not_a_long_form(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(d.short, d.long) for d in find_definitions(text)] == expected
