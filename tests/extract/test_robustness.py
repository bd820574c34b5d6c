"""Property tests: the pipeline survives any text and keeps its invariants."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.extract import extract_papers
from kg.records import ENTITY_TYPES, Paper

settings.register_profile("extract", deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

ML_WORDS = st.sampled_from(["GPT-4", "(", ")", "LLMs", "Large Language Models (LLMs", "quantization", "\x00", "\u200b",
                            "大型语言模型", "Модель", "(e.g.,", "MMLU)", "((", "))", ":", "\n", "accuracy", "LoRA (", "é"])
TEXT = st.one_of(st.text(max_size=300), st.lists(ML_WORDS, max_size=40).map(" ".join))


def check(nlp, title, abstract):
    [item] = extract_papers([Paper(id="x", title=title, abstract=abstract)], nlp=nlp)
    fields = {"title": title.replace("\r", " ").replace("\n", " "), "abstract": abstract}
    names = [e.name for e in item.entities]
    assert len(names) == len(set(names))
    for entity in item.entities:
        assert entity.type in ENTITY_TYPES and entity.name.strip()
        for m in entity.mentions:
            assert fields[m.field][m.start : m.end] == m.text
    return item


@settings(settings.get_profile("extract"), max_examples=150)
@given(title=TEXT, abstract=TEXT)
def test_any_text_gives_consistent_entities(nlp, title, abstract):
    check(nlp, title, abstract)


def test_empty_and_huge_abstracts(nlp):
    assert check(nlp, "", "").entities == ()
    huge = ("We apply post-training quantization to GPT-4 on MMLU (Massive Multitask Language Understanding). " * 1100)[:100_000]
    item = check(nlp, "Huge", huge)
    assert {"GPT-4", "MMLU", "post-training quantization"} <= {e.name for e in item.entities}


def test_unbalanced_parentheses_and_control_characters(nlp):
    check(nlp, "Title (unclosed", "Large Language Models (LLMs are big. ((LoRA) ) )) \x01\x02 GPT-4 (\x7f")
    check(nlp, "Заголовок", "Это не английский текст. 这是中文。 Ceci n'est pas anglais.")
