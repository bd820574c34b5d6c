"""Entity relations: variantOf from names, outperforms and comparedWith from sentence cues."""
from __future__ import annotations

import re

import pytest
import spacy
from hypothesis import given, settings, strategies as st
from spacy.tokens import Doc

from kg.components.relations import (COMPARABLE_TYPES, comparison_sentences, cue_matches, cued_sentences, entity_mentions, find_relations, may_relate,
                                    stripped_names, token_span, variant_parent)
from kg.components.title import token_bounds
from kg.records import Entity, Mention

NLP = spacy.blank("en")
NLP.add_pipe("sentencizer")


def mentions_of(doc: Doc, entities: dict[str, tuple[str, str]]) -> list[tuple[int, int, str, str]]:
    """Every whole-word occurrence of each surface form: ``{surface: (canonical name, type)}``."""
    found = []
    for surface, (name, type_) in entities.items():
        for match in re.finditer(rf"(?<![\w-]){re.escape(surface)}(?![\w-])", doc.text):
            span = doc.char_span(match.start(), match.end(), alignment_mode="expand")
            found.append((span.start_char, span.end_char, name, type_))
    return found


def relations(text: str, entities: dict[str, tuple[str, str]]) -> list[tuple[str, str, str, str]]:
    doc = NLP(text)
    return [(r.subject, r.predicate, r.object, r.rule) for r in find_relations(doc, mentions_of(doc, entities))]


def models(*names: str) -> dict[str, tuple[str, str]]:
    return {name: (name, "Model") for name in names}


@pytest.mark.parametrize(
    ("name", "known", "parent"),
    [
        ("LLaMA-2-7B", ["LLaMA-2", "LLaMA"], "LLaMA-2"),
        ("LLaMA-2-7B", ["LLaMA"], "LLaMA"),
        ("Mixtral 8x7B", ["Mixtral"], "Mixtral"),
        ("BitNet b1.58", ["BitNet"], "BitNet"),
        ("BERT-base", ["BERT"], "BERT"),
        ("RoBERTa-large", ["RoBERTa"], "RoBERTa"),
        ("YOLOv8", ["YOLO"], "YOLO"),
        ("Phi-4-Mini", ["Phi-4"], "Phi-4"),
        ("Qwen2.5-7B-Instruct", ["Qwen"], "Qwen"),
        ("Llama-3.1-8B", ["Llama-3.1"], "Llama-3.1"),
        ("LLaMA-2-7B", ["GPT-4"], None),
        ("T5", ["T"], None),
        ("GPT-4", ["GPT-4"], None),
    ],
)
def test_variant_parent(name: str, known: list[str], parent: str | None) -> None:
    from kg.names import name_key

    assert variant_parent(name, {name_key(k): k for k in known}) == parent


def test_variant_of_needs_both_entities_of_the_same_type() -> None:
    text = "We fine-tune LLaMA-2-7B and LLaMA-2-13B. LLaMA-2 is open. MMLU-Pro extends MMLU."
    entities = {**models("LLaMA-2-7B", "LLaMA-2-13B", "LLaMA-2"), "MMLU-Pro": ("MMLU-Pro", "Benchmark"), "MMLU": ("MMLU", "Model")}
    assert relations(text, entities) == [
        ("LLaMA-2-13B", "variantOf", "LLaMA-2", "name_suffix"),
        ("LLaMA-2-7B", "variantOf", "LLaMA-2", "name_suffix"),
    ]


def test_variant_evidence_is_the_variants_sentence() -> None:
    doc = NLP("LLaMA is a family. We fine-tune LLaMA-2-7B on code.")
    [relation] = find_relations(doc, mentions_of(doc, models("LLaMA", "LLaMA-2-7B")))
    assert relation.sentence == "We fine-tune LLaMA-2-7B on code."
    assert (relation.subject_type, relation.object_type) == ("Model", "Model")


def test_outperforms_list_of_objects_stops_at_the_benchmark() -> None:
    entities = {**models("X-Net", "GPT-4", "Claude", "Gemini"), "MMLU": ("MMLU", "Benchmark")}
    assert relations("Our X-Net outperforms GPT-4, Claude and Gemini on MMLU by 5%.", entities) == [
        ("X-Net", "outperforms", "Claude", "outperforms"),
        ("X-Net", "outperforms", "GPT-4", "outperforms"),
        ("X-Net", "outperforms", "Gemini", "outperforms"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "RoBERTa surpasses BERT.",
        "RoBERTa consistently beats strong baselines such as BERT.",
        "RoBERTa improves over BERT in accuracy.",
        "RoBERTa is superior to the original BERT.",
        "BERT is outperformed by RoBERTa.",
        "BERT is clearly outperformed by RoBERTa on GLUE.",
    ],
)
def test_outperforms_cues(text: str) -> None:
    [(subject, predicate, obj, _)] = relations(text, {**models("RoBERTa", "BERT"), "GLUE": ("GLUE", "Benchmark")})
    assert (subject, predicate, obj) == ("RoBERTa", "outperforms", "BERT")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("RoBERTa reaches 90% accuracy compared with BERT.", [("RoBERTa", "comparedWith", "BERT", "compared_with")]),
        ("RoBERTa is 2x faster compared to BERT and XLNet.", [("RoBERTa", "comparedWith", "BERT", "compared_with"), ("RoBERTa", "comparedWith", "XLNet", "compared_with")]),
        ("Compared with BERT, RoBERTa achieves higher accuracy.", [("RoBERTa", "comparedWith", "BERT", "compared_with")]),
        ("We study RoBERTa vs. BERT on long inputs.", [("RoBERTa", "comparedWith", "BERT", "compared_with")]),
        ("We benchmark RoBERTa against BERT.", [("RoBERTa", "comparedWith", "BERT", "compared_with")]),
        ("We compare RoBERTa with BERT and XLNet.", [("RoBERTa", "comparedWith", "BERT", "compare_verb"), ("RoBERTa", "comparedWith", "XLNet", "compare_verb")]),
        ("We compare RoBERTa and BERT.", [("RoBERTa", "comparedWith", "BERT", "compare_verb")]),
        ("In comparisons against BERT, we find RoBERTa is better.", [("RoBERTa", "comparedWith", "BERT", "compared_with")]),
    ],
)
def test_compared_with_cues(text: str, expected: list[tuple[str, str, str, str]]) -> None:
    assert relations(text, models("RoBERTa", "BERT", "XLNet")) == expected


@pytest.mark.parametrize(
    "text",
    [
        "We evaluate RoBERTa, BERT and XLNet on GLUE.",  # no cue: no pair is related
        "RoBERTa is robust against FGSM.",  # "against" without an evaluation verb
        "RoBERTa is strong. BERT outperforms nothing here.",  # the cue has no object
        "RoBERTa works well; meanwhile XLNet is larger and outperforms on GLUE.",  # no object after the cue
        "RoBERTa was trained for days, while the authors of the study later found that XLNet outperforms BERT.",
        "RoBERTa improves control, surpassing BERT-based techniques.",  # a participle after a comma; BERT a modifier
        "RoBERTa yields better cognition, achieving leading performance compared to BERT.",
        "RoBERTa is tuned, outperforming BERT.",
        "XLNet cuts the cost by 40% on RoBERTa compared to BERT.",  # a mention after a preposition is no subject
        "We show RoBERTa outperforms strong methods both as a BERT encoder and alone.",
    ],
)
def test_no_relation_without_a_precise_cue(text: str) -> None:
    found = relations(text, {**models("RoBERTa", "BERT", "XLNet"), "FGSM": ("FGSM", "Method"), "GLUE": ("GLUE", "Benchmark")})
    assert ("RoBERTa", "outperforms", "BERT", "outperforms") not in found
    assert all(r[0] != "RoBERTa" for r in found)


def test_metric_is_never_the_subject() -> None:
    entities = {**models("RoBERTa", "BERT"), "accuracy": ("accuracy", "Metric")}
    assert relations("RoBERTa, tuned for accuracy, consistently outperforms BERT.", entities) == [
        ("RoBERTa", "outperforms", "BERT", "outperforms")
    ]


def test_subject_list_and_class_word_before_the_object() -> None:
    assert relations("Swin-UNet and U-Net generally outperform the baseline model ResNet.", models("Swin-UNet", "U-Net", "ResNet", "baseline model")) == [
        ("Swin-UNet", "outperforms", "ResNet", "outperforms"),
        ("U-Net", "outperforms", "ResNet", "outperforms"),
    ]


def test_subject_separated_by_another_verb_is_not_taken() -> None:
    entities = {**models("RoBERTa", "BERT"), "consistency test": ("consistency test", "Method")}
    assert relations("RoBERTa scores higher in consistency tests and outperforms BERT.", entities) == []


def test_nested_mentions_use_the_outermost() -> None:
    entities = {**models("BitNet b1.58", "BitNet", "LLaMA")}
    assert relations("BitNet b1.58 outperforms LLaMA.", entities) == [
        ("BitNet b1.58", "outperforms", "LLaMA", "outperforms"),
        ("BitNet b1.58", "variantOf", "BitNet", "name_suffix"),
    ]


def test_entity_mentions_from_records_use_field_offsets() -> None:
    title, abstract = "RoBERTa Revisited", "RoBERTa outperforms BERT."
    doc = NLP.make_doc(f"{title}\n\n{abstract}")
    doc._.kg_title_len = len(title)
    doc = NLP.get_pipe("sentencizer")(doc)
    entities = [
        Entity("RoBERTa", "Model", mentions=(Mention("RoBERTa", "title", 0, 7, title), Mention("RoBERTa", "abstract", 0, 7, abstract))),
        Entity("BERT", "Model", mentions=(Mention("BERT", "abstract", 20, 24, abstract),)),
    ]
    mentions = entity_mentions(doc, entities)
    assert [(doc.text[start:end], name) for start, end, name, _ in mentions] == [("RoBERTa", "RoBERTa"), ("RoBERTa", "RoBERTa"), ("BERT", "BERT")]
    [relation] = find_relations(doc, mentions)
    assert (relation.subject, relation.predicate, relation.object, relation.sentence) == ("RoBERTa", "outperforms", "BERT", abstract)


def test_entity_mentions_with_an_empty_title_start_after_the_separator() -> None:
    abstract = "RoBERTa outperforms BERT."
    doc = NLP.make_doc(f"\n\n{abstract}")
    entities = [Entity("BERT", "Model", mentions=(Mention("BERT", "abstract", 20, 24, abstract),))]
    [(start, end, name, _)] = entity_mentions(doc, entities)
    assert doc.text[start:end] == "BERT" == name


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab -(.\n", max_size=30), st.integers(-2, 32), st.integers(-2, 32))
def test_token_span_is_char_span_expand(text: str, start: int, end: int) -> None:
    doc = NLP.make_doc(text)
    if not 0 <= start <= end <= len(text):
        return
    span = doc.char_span(start, end, alignment_mode="expand")
    expected = (span.start_char, span.end_char) if span is not None and len(span) else None
    assert token_span(*token_bounds(doc), len(text), start, end) == expected


def test_cued_sentences_keep_only_sentences_with_a_cue_stem() -> None:
    text = "We train X. X OUTPERFORMS Y. Y vs. Z is close. Nothing here."
    bounds = [(0, 11), (12, 28), (29, 47), (48, len(text))]
    assert cued_sentences(text, bounds) == [(12, 28), (29, 47)]
    assert cued_sentences("Stra\u00dfe vs. X", [(0, 14)]) == [(0, 14)]  # case folding changes lengths: all kept


def test_stripped_names_remove_one_suffix_at_a_time() -> None:
    assert stripped_names("Qwen2.5-7B-Instruct") == ("Qwen2.5-7B", "Qwen2.5", "Qwen")
    assert stripped_names("GPT") == ()


def test_empty_inputs() -> None:
    assert find_relations(NLP(""), []) == []
    assert find_relations(NLP("RoBERTa outperforms BERT."), []) == []


def may(text: str, entities: dict[str, tuple[str, str]]) -> bool:
    doc = NLP(text)
    starts = [start for start, _, _, type_ in mentions_of(doc, entities) if type_ in COMPARABLE_TYPES]
    return may_relate(doc, [name for name, _ in entities.values()], starts)


@pytest.mark.parametrize(
    ("text", "entities"),
    [
        ("RoBERTa surpasses BERT.", models("RoBERTa", "BERT")),
        ("BERT is clearly outperformed by RoBERTa on GLUE.", models("RoBERTa", "BERT")),
        ("Compared with BERT, RoBERTa achieves higher accuracy.", models("RoBERTa", "BERT")),
        ("We compare RoBERTa and BERT.", models("RoBERTa", "BERT")),
        ("We study RoBERTa VERSUS BERT on long inputs.", models("RoBERTa", "BERT")),
        ("We fine-tune LLaMA-2-7B. LLaMA-2 is open.", models("LLaMA-2-7B", "LLaMA-2")),
        ("On naïve inputs, RoBERTa surpasses BERT.", models("RoBERTa", "BERT")),  # not ASCII: read case-folded
    ],
)
def test_may_relate_whenever_relations_are_found(text: str, entities: dict[str, tuple[str, str]]) -> None:
    assert relations(text, entities) and may(text, entities)


def test_comparison_sentences_are_all_find_relations_needs() -> None:
    text = ("We train RoBERTa and BERT. RoBERTa outperforms BERT on GLUE. XLNet is compared with BERT. "
            "RoBERTa vs. XLNet and BERT is close. Nothing compares here.")
    doc = NLP(text)
    found = mentions_of(doc, models("RoBERTa", "BERT", "XLNet"))
    sentences = comparison_sentences(doc, [start for start, *_ in found])
    assert [text[start:end].strip() for start, end in sentences] == [
        "RoBERTa outperforms BERT on GLUE.", "XLNet is compared with BERT.", "RoBERTa vs. XLNet and BERT is close."]
    assert find_relations(doc, found, sentences) == find_relations(doc, found)
    assert find_relations(doc, found, sentences[1:]) != find_relations(doc, found)
    assert comparison_sentences(doc, [found[0][0], len(text) + 5]) is None  # an odd start: read them all


@pytest.mark.parametrize(
    "text",
    [
        "We evaluate RoBERTa, BERT and XLNet on GLUE.",  # no cue stem
        "RoBERTa is strong. BERT outperforms nothing here.",  # one comparable mention in the cued sentence
        "RoBERTa and BERT show comparable results.",  # a stem, no cue
        "RoBERTa and BERT show comparable results on naïve inputs.",  # the same, not ASCII
    ],
)
def test_may_relate_is_false_without_a_variant_or_a_cue(text: str) -> None:
    entities = {**models("RoBERTa", "BERT", "XLNet"), "GLUE": ("GLUE", "Benchmark")}
    assert not relations(text, entities) and not may(text, entities)


def test_cue_matches_read_lower_case_text_only_where_the_literals_are() -> None:
    text = "RoBERTa OUTPERFORMS BERT. RoBERTa is fast."
    lowered = text.lower()
    [match] = cue_matches(text, lowered, (0, 25), "outperforms")
    assert text[match.start() : match.end()] == "OUTPERFORMS"
    assert [m.span() for m in cue_matches(text, None, (0, 25), "outperforms")] == [match.span()]
    assert cue_matches(text, lowered, (26, 42), "outperforms") == ()
