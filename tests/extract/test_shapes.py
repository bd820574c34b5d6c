"""Names found by shape, typed by context."""
from __future__ import annotations

import json

import pytest
import spacy
from hypothesis import given, settings, strategies as st

from kg.components import PATTERNS_DIR, shapes, title  # noqa: F401  (registers factories)
from kg.components.entities import entity_to_dict
from kg.components.tokenizer import customize_tokenizer

RULES = shapes.load_shape_rules()


@pytest.fixture(scope="module")
def found():
    nlp = customize_tokenizer(spacy.blank("en"))
    for name in ("sentencizer", "kg_title", "kg_shapes"):
        nlp.add_pipe(name)

    def run(text):
        doc = nlp(text)
        return {c.text: (c.type, c.rule) for c in doc._.kg_candidates or ()}

    return run


def test_shapes_and_default_types(found):
    result = found("FlashAttention, DPO, GPT-4, LLaMA-2-7B and SWE-Bench.")
    assert result == {"FlashAttention": ("Model", "shape"), "DPO": ("Method", "shape"), "GPT-4": ("Model", "shape"),
                      "LLaMA-2-7B": ("Model", "shape"), "SWE-Bench": ("Benchmark", "shape")}


def test_acronym_then_word_is_a_name_but_capitalised_emphasis_is_not(found):
    result = found("Title\n\nWe compare PSMNet, GWCNet, KVQuant and a HYbrid design scored by BERTscore.")
    assert result == {"PSMNet": ("Model", "shape"), "GWCNet": ("Model", "shape"), "KVQuant": ("Model", "shape"),
                      "BERTscore": ("Metric", "shape")}


def test_treebank_style_names_are_benchmarks(found):
    assert found("Title\n\nWe parse CCGbank and PropBank.") == {"CCGbank": ("Benchmark", "shape"), "PropBank": ("Benchmark", "shape")}


def test_size_words_join_the_name(found):
    assert set(found("Mixtral 8x7B beats BitNet b1.58.")) == {"Mixtral 8x7B", "BitNet b1.58"}


@pytest.mark.parametrize("text, name, kind", [
    ("We build the MUSTARDSAUCE dataset.", "MUSTARDSAUCE", "Benchmark"),
    ("The FCN model is small.", "FCN", "Model"),
    ("It is better in terms of ROUGE-L here.", "ROUGE-L", "Metric"),
    ("Results show that our proposed framework, ClusterUCB, is fast.", "ClusterUCB", "Method"),
    ("The PSNR score improves.", "PSNR", "Metric"),
    ("Experiments on MMLU, GSM8K and ARC show gains.", "GSM8K", "Benchmark"),
    ("Experiments on MMLU, GSM8K and ARC show gains.", "ARC", "Benchmark"),
])
def test_context_decides_the_type(found, text, name, kind):
    assert found(text)[name] == (kind, "context")


def test_common_acronyms_are_not_names(found):
    assert found("An API for NLP on GPUs and the US.") == {}
    # imaging modalities, vehicles, sensors, eponyms of math tools: not ML entities
    assert found("Title\n\nWe scan MRI and EEG data from a UAV with LiDAR via a Taylor expansion.") == {}


def test_conference_names_are_not_names(found):
    assert found("Title\n\nOur code, presented at CVPR 2025 and NeurIPS, is public.") == {}


def test_acronym_defined_as_a_modifier_is_not_a_name(found):
    # "(EGG) signal": the acronym abbreviates a modifier of "signal", not a name of its own
    text = "We use the Electroglottographic (EGG) signal. The EGG is noisy."
    assert "EGG" not in found(text)
    # a generic category noun after the parenthesis keeps it a name: "(LMF) format"
    text = "Tables go into the Lexical Markup Framework (LMF) format. LMF is a standard."
    assert found(text)["LMF"] == ("Method", "shape")


def test_mixed_case_prefixed_acronym(found):
    assert found("We model it as a Dec-POMDP here.")["Dec-POMDP"] == ("Method", "shape")
    assert "Non-IID" not in found("Data are Non-IID here.")


def test_capitalised_category_word_joins_the_name(found):
    text = "Title\n\nResults come from the OpenLLM Leaderboard today."
    assert found(text)["OpenLLM Leaderboard"] == ("Benchmark", "context")
    # lower case: a cue, not part of the name; in a title, capitals say nothing
    assert found("Title\n\nWe test the OpenLLM leaderboard today.")["OpenLLM"] == ("Benchmark", "context")
    assert "OpenLLM Leaderboard" not in found("Results from the OpenLLM Leaderboard")


def test_lowercase_led_acronym_defined_as_modifier(found):
    assert "fMRI" not in found("We use functional magnetic resonance imaging (fMRI) scans. The fMRI signal is weak.")


def test_unknown_name_listed_with_known_benchmarks_is_a_benchmark(nlp):
    # the hand-written lexicon knows MMLU and ImageNet as benchmarks; no evaluation word in the sentence
    doc = nlp("Gains\n\nWe report gains of 5 points on MMLU, ImageNet, and FooBar-X here.")
    types = {e.name: e.type for e in doc._.kg_entities}
    assert types["FooBar-X"] == "Benchmark"
    doc = nlp("Gains\n\nWe report gains of 5 points with FooBar-X here.")
    assert {e.name: e.type for e in doc._.kg_entities}["FooBar-X"] != "Benchmark"


def test_acronym_of_one_ordinary_word_is_not_a_name(found):
    text = "Title\n\nThe object (foreground, FG, for short) and context (background, BG) matter. The BG and FG differ."
    result = found(text)
    assert "BG" not in result and "FG" not in result
    # an acronym of a multi-word name still is one
    assert "RLHF" in found("Title\n\nWe use reinforcement learning from human feedback (RLHF). RLHF helps.")


@pytest.mark.parametrize("text, name, alias", [
    ("Title\n\nWe train on the NEGRA corpus and test it.", "NEGRA", "NEGRA corpus"),  # a context name
    ("Title\n\nResults on the ImageNet dataset are good.", "ImageNet", "ImageNet dataset"),  # a lexicon name
    ("Title\n\nWe test on the VIVID benchmark datasets here.", "VIVID", "VIVID benchmark datasets"),
    ("Title\n\nWe test on the ImageNet 2012 dataset here.", "ImageNet", "ImageNet 2012 dataset"),  # a year between
])
def test_dataset_word_after_a_benchmark_name_is_an_alias(nlp, text, name, alias):
    entities = {e["name"]: e for e in map(entity_to_dict, nlp(text)._.kg_entities)}
    assert entities[name]["type"] == "Benchmark"
    assert alias in entities[name]["aliases"]


def test_dataset_word_after_a_non_benchmark_adds_nothing(nlp):
    entities = list(map(entity_to_dict, nlp("Title\n\nWe fine-tune GPT-4 on a new dataset.")._.kg_entities))
    assert [e["aliases"] for e in entities if e["name"] == "GPT-4"] == [[]]


@pytest.mark.parametrize("text, name, alias", [
    ("Title\n\nWe prompt the GPT-4 model twice.", "GPT-4", "GPT-4 model"),
    ("Title\n\nWe study the question answering task here.", "question answering", "question answering task"),
])
def test_category_word_after_a_lexicon_name_is_an_alias(nlp, text, name, alias):
    entities = {e["name"]: e for e in map(entity_to_dict, nlp(text)._.kg_entities)}
    assert alias in entities[name]["aliases"]


def test_category_word_does_not_join_a_common_noun_or_an_unknown_name(nlp):
    # "the quantization method" is not quantization's name; "FooNet" may be a local acronym of a long form
    entities = {e["name"]: e for e in map(entity_to_dict, nlp("Title\n\nThe quantization method and the FooNet model work.")._.kg_entities)}
    assert entities["quantization"]["aliases"] == []
    assert not any("FooNet model" in e["aliases"] for e in entities.values())


def test_a_name_ending_in_score_is_a_metric(found):
    result = found("Title\n\nWe compare FactScore and VeriScore here, stored as CSV files.")
    assert result == {"FactScore": ("Metric", "shape"), "VeriScore": ("Metric", "shape")}


# The shapes are looked for word by word, with a memo per word context: the same matches as the regex of
# all shapes run over the whole text (names only: those of them that may name something).
SHAPE_PIECES = st.sampled_from(
    ["GPT", "-4", "C++", "+", "Llama", " ", "  ", " 7B", " 8x7B", " b1.58", "BitNet", ".", "e.g.", "mBERT", "word2vec",
     "_", "@", "/", "é", "X", "Toolbench", "-Bench", "QA", "3.5", "Score", "F1", "v2", "-based", "Non-IID", "Dec-POMDP",
     "(", ")", ",", "LLMs", "API", "A100", "1.5-3B", "ab", "7", "\n", "fooBar", "-1.5B", "Qwen2.5", "7B-Instruct"]
)


@settings(max_examples=500, deadline=None)
@given(st.lists(SHAPE_PIECES, max_size=14).map("".join))
def test_shapes_found_word_by_word_as_by_one_regex(text: str) -> None:
    rules = RULES
    whole = shapes.shape_regex(json.loads((PATTERNS_DIR / "shapes.json").read_text(encoding="utf-8"))["shapes"])
    expected = [(m.start(), shapes.matched_shape(m, rules)) for m in whole.finditer(text)]
    assert shapes.find_shape_matches(text, rules) == expected
    # the names among them, from the memo of names only
    names = [(start, shape) for start, shape in expected if shapes.may_name(text, start, shape)]
    assert shapes.find_shape_matches(text, rules, names_only=True) == names


def test_hardware_platforms_and_signal_formats_are_not_names(found):
    assert found("Title\n\nKernels use SIMD and DMA on ARM64 and AWS with QPSK over GNSS and NVLink.") == {}


def test_undefined_two_letter_acronym_is_no_name(found):
    assert found("Title\n\nThe LH and HL subbands and UI elements in HD video.") == {}
    assert set(found("Title\n\nWe use alternating optimization (AO). AO converges.")) == {"AO"}


def test_lexicon_model_followed_by_a_size_names_that_size(default_nlp):
    doc = default_nlp("Title\n\nWe fine-tune Qwen 2.5 72B and run BERT 3 times.")
    names = {e.name for e in doc._.kg_entities if e.type == "Model"}
    assert "Qwen 2.5 72B" in names and "BERT" in names and not any("BERT 3" in n for n in names)


def test_a_value_after_a_name_is_no_version(found):
    result = found("Title\n\nThe system reaches Public LB 0.55469 and Compact SE3 42.0% while Kaggle ASAP 2.0 is used.")
    assert "LB 0.55469" not in result and "SE3 42.0" not in result and "ASAP 2.0" in result


def test_capitalised_word_inside_a_capitalised_phrase_is_no_model(found):
    assert found("Title\n\nWe build on recent Large Reconstruction Models and Digital Elevation Models.") == {}
    assert found("Title\n\nWe compare the Kraken model and PAMAP2, Opportunity models.") == {
        "Kraken": ("Model", "context"), "PAMAP2": ("Model", "context"), "Opportunity": ("Model", "context")}
