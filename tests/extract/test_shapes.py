"""Names found by shape, typed by context."""
from __future__ import annotations

import pytest
import spacy

from kg.components import shapes, title  # noqa: F401  (registers factories)
from kg.components.tokenizer import customize_tokenizer


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


def test_size_words_join_the_name(found):
    assert set(found("Mixtral 8x7B beats BitNet b1.58.")) == {"Mixtral 8x7B", "BitNet b1.58"}


@pytest.mark.parametrize("text, name, kind", [
    ("We build the MUSTARDSAUCE dataset.", "MUSTARDSAUCE", "Benchmark"),
    ("The FCN model is small.", "FCN", "Model"),
    ("It is better in terms of ROUGE-L here.", "ROUGE-L", "Metric"),
    ("The PSNR score improves.", "PSNR", "Metric"),
    ("Experiments on MMLU, GSM8K and ARC show gains.", "GSM8K", "Benchmark"),
    ("Experiments on MMLU, GSM8K and ARC show gains.", "ARC", "Benchmark"),
])
def test_context_decides_the_type(found, text, name, kind):
    assert found(text)[name] == (kind, "context")


def test_common_acronyms_are_not_names(found):
    assert found("An API for NLP on GPUs and the US.") == {}
