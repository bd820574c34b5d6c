"""kg_measures: property words are metrics only where the sentence evaluates."""
from __future__ import annotations

import pytest

from kg.components.measures import load_measure_filter
from kg.pipeline import make_pipeline


@pytest.fixture(scope="module")
def nlp():
    return make_pipeline()


def metric_names(nlp, abstract: str) -> set[str]:
    return {e.name.lower() for e in nlp(f"A title\n\n{abstract}")._.kg_entities if e.type == "Metric"}


@pytest.mark.parametrize("abstract", [
    "Existing datasets often lack diversity and scale.",
    "Thin structures make segmentation hard because of their sensitivity to noise.",
    "We discuss the faithfulness of explanations in general.",
])
def test_a_property_in_a_sentence_that_evaluates_nothing_is_no_metric(nlp, abstract):
    assert metric_names(nlp, abstract) == set()


@pytest.mark.parametrize("abstract, metric", [
    ("The detector reaches a sensitivity of 92.1% on the test set.", "sensitivity"),
    ("Our sampler is better in terms of diversity and FID.", "diversity"),
    ("Human raters scored the fluency of each answer.", "fluency"),
])
def test_a_property_in_an_evaluating_sentence_stays_a_metric(nlp, abstract, metric):
    assert metric in metric_names(nlp, abstract)


def test_other_metrics_and_types_are_untouched(nlp):
    assert {"accuracy", "latency"} <= metric_names(nlp, "Accuracy matters, and latency too.")


def test_words_and_cue_come_from_the_data_file(tmp_path):
    custom = tmp_path / "measures.json"
    custom.write_text('{"property_words": ["Elegance"], "evaluation_cue": "judged"}', encoding="utf-8")
    measure_filter = load_measure_filter(custom)
    assert {"elegance", "elegances"} <= measure_filter.property_words
    assert measure_filter.evaluates("it was judged fair", [0, 18]) and not measure_filter.evaluates("it was fair", [0, 11])


@pytest.mark.parametrize("abstract", [
    "We compute the pairwise similarity between frames.",
    "The solver uses an upwind entropy scheme.",
    "Models often rely on spurious correlations.",
])
def test_a_relation_phrase_in_a_sentence_that_evaluates_nothing_is_no_metric(nlp, abstract):
    assert metric_names(nlp, abstract) == set()


def test_a_relation_phrase_that_is_compared_stays_a_metric(nlp):
    assert "ciede2000 color distortion" in metric_names(nlp, "It achieves lower CIEDE2000 color distortion than shading.")


@pytest.mark.parametrize("abstract", [
    "We train in 16-bit precision and store weights at fp16 precision with a score drop of 1%.",
    "Half precision arithmetic and numerical precision issues reach 3% of runs.",
])
def test_precision_of_a_number_format_is_no_metric(nlp, abstract):
    assert not any(name.endswith("precision") for name in metric_names(nlp, abstract))


def test_precision_the_metric_stays(nlp):
    assert "precision" in metric_names(nlp, "Our method improves precision by 3% over baselines.")


def test_a_metric_word_starting_a_compound_noun_is_no_metric(nlp):
    assert "precision" not in metric_names(nlp, "Weed maps with 92% coverage support precision agriculture.")
    assert "precision" in metric_names(nlp, "Weed maps reach 92% precision in agriculture.")
