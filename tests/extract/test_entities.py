"""Merging candidates into canonical entities: variants, abbreviations, contributions, generic words."""
from __future__ import annotations

import pytest

from kg.components.entities import (Candidate, build_entities, canonical_name, comparable_starts, group_labels, group_mentions,
                                   group_name, group_type, label_groups, relation_mentions, select_mentions, singular, surface)
from kg.components.relations import comparison_sentences, find_relations, may_vary
from kg.extract import extract_papers
from kg.names import name_key
from kg.records import Paper


@pytest.fixture(scope="module")
def extract(nlp):
    def run(title, abstract):
        [item] = extract_papers([Paper(id="p1", title=title, abstract=abstract)], nlp=nlp)
        return {e.name: e for e in item.entities}

    return run


def test_variants_merge_into_one_entity_with_canonical_name(extract):
    entities = extract("Serving LLMs", "Large Language Models (LLMs) are big. A large language model is slow; LLM serving.")
    entity = entities["large language model"]
    assert entity.type == "Method"
    assert set(entity.aliases) >= {"LLMs", "Large Language Models", "LLM"}
    assert [m.field for m in entity.mentions][0] == "title"


def test_defined_acronym_links_to_long_form_without_lexicon(extract):
    entities = extract("T", "We study Markov jump processes (MJPs). MJPs are common.")
    [name] = [n for n in entities if name_key(n) == name_key("Markov jump process")]
    assert name == "Markov jump process" and "MJPs" in entities[name].aliases


def test_contribution_is_proposed_with_its_type(extract):
    entities = extract("FooBench: A Benchmark for Reasoning", "We introduce FooBench, a benchmark of puzzles.")
    assert entities["FooBench"].proposed and entities["FooBench"].type == "Benchmark"


def test_generic_words_are_not_entities(extract):
    entities = extract("A framework", "Our model and method improve performance on downstream tasks using deep learning.")
    assert not {"model", "method", "framework", "performance", "deep learning", "downstream task"} & set(entities)


def test_mentions_carry_field_offsets_and_sentence(extract):
    abstract = "We quantize GPT-4. Accuracy drops with quantization."
    entities = extract("On GPT-4", abstract)
    mentions = entities["GPT-4"].mentions
    assert [(m.field, m.start, m.end) for m in mentions] == [("title", 3, 8), ("abstract", 12, 17)]
    assert mentions[1].sentence == "We quantize GPT-4."
    assert all(abstract[m.start:m.end] == m.text for m in entities["quantization"].mentions)


def test_select_mentions_prefers_longest_then_rule():
    cands = [Candidate(0, 5, "a b c", "Method", "phrase"), Candidate(0, 3, "a b", "Method", "lexicon"),
             Candidate(4, 5, "c", "Task", "lexicon"), Candidate(6, 9, "d e", "Task", "phrase"),
             Candidate(6, 9, "d e", "Metric", "lexicon")]
    assert [(c.text, c.type) for c in select_mentions(cands, frozenset())] == [("a b c", "Method"), ("d e", "Metric")]
    assert select_mentions(cands, frozenset({name_key("a b c")}))[0].text == "a b"


def test_names_nested_in_a_phrase_are_kept_too():
    cands = [Candidate(0, 27, "autoregressive LLM inference", "Method", "phrase"),
             Candidate(15, 18, "LLM", "Method", "lexicon"), Candidate(0, 14, "autoregressive", "Method", "lexicon")]
    assert [c.text for c in select_mentions(cands, frozenset())] == ["autoregressive LLM inference", "LLM"]


def test_grouping_and_canonical_name_rules():
    mentions = [Candidate(0, 4, "CNNs", "Method", "shape"), Candidate(10, 40, "convolutional neural networks", "Method", "phrase"),
                Candidate(50, 53, "CNN", "Method", "shape")]
    [group] = group_mentions(mentions, [(name_key("CNNs"), name_key("convolutional neural networks"))])
    assert canonical_name(group, {name_key("convolutional neural networks")}) == "convolutional neural network"
    assert singular("policies") == "policy" and singular("GPT-4") == "GPT-4" and singular("loss") == "loss"


def test_surface_memo_holds_what_merging_needs():
    form = surface("LLMs", "large language model")
    assert form.keys == (name_key("LLMs"), name_key("large language model")) and form.acronym == "LLM"
    assert form.name == "large language model" and form.clean == ("large language model", ("LLMs",))
    assert surface("Low-Rank Transformer").initials == "LRT" and surface("the language models").name == "language model"
    assert surface("model~2").clean == ("model 2", ())


def test_group_name_is_the_vote_of_its_mentions_wherever_they_are():
    group = [Candidate(0, 4, "CNNs", "Method", "shape"), Candidate(10, 40, "convolutional neural networks", "Task", "phrase"),
             Candidate(50, 53, "CNN", "Method", "shape")]
    long_forms = {name_key("convolutional neural networks")}
    info = group_name(group, long_forms)
    assert (info.name, info.type, info.rule) == (canonical_name(group, long_forms), group_type(group), "shape")
    assert info.clean == ("convolutional neural network", ("CNN", "CNNs", "convolutional neural networks"))
    # Memoised on the forms and on which are long forms: the same forms name differently with other long forms.
    pair = [Candidate(0, 3, "XYZ", "Method", "shape"), Candidate(5, 12, "foo bar", "Method", "phrase")]
    assert group_name(pair, {name_key("XYZ")}).name == "XYZ" and group_name(pair, set()).name == "foo bar"


def test_group_labels_name_each_group_by_its_first_mention():
    mentions = [Candidate(0, 4, "CNNs", "Method", "shape"), Candidate(10, 15, "Adam", "Method", "shape"),
                Candidate(20, 50, "convolutional neural networks", "Method", "phrase"), Candidate(60, 63, "CNN", "Method", "shape")]
    surfaces, labels = group_labels(mentions, [(name_key("CNNs"), name_key("convolutional neural networks"))])
    assert labels == [0, 1, 0, 0] and [form.key for form in surfaces] == [name_key(m.text) for m in mentions]
    assert label_groups(labels) == [[0, 2, 3], [1]]


def test_relations_read_from_the_cued_sentences_alone_are_all_of_them(nlp):
    """Without variants, relation mentions are made for the cued sentences only: the relations stay the same."""
    doc = nlp.make_doc("A title\n\nWe study GPT-4 and Whisper. Our X-Net outperforms GPT-4 and Whisper on MMLU. "
                       "Whisper is compared with GPT-4 here.")
    for name, component in nlp.pipeline:
        if name == "kg_entities":
            break
        doc = component(doc)
    entities = build_entities(doc, component.generic, component.stop_words)
    sentences = comparison_sentences(doc, comparable_starts(doc, entities))
    assert sentences and not may_vary([name for name, _, _ in entities.named])
    within = (sentences[0][0], sentences[-1][1])
    every, cued = relation_mentions(doc, entities), relation_mentions(doc, entities, within)
    assert len(cued) < len(every)
    relations = find_relations(doc, every, sentences)
    assert relations and find_relations(doc, cued, sentences) == relations


def test_an_acronym_defined_otherwise_is_not_the_lexicon_entry(extract):
    # ``EM`` is a lexicon metric (exact match); here the paper defines it as a modifier: no entity.
    entities = extract("T", "High-fidelity electromagnetic (EM) simulations are costly. We run EM simulations on a mesh.")
    assert not any(name_key(n) in {name_key("EM"), name_key("exact match")} for n in entities)


def test_the_short_form_of_a_generic_long_form_is_generic_too(extract):
    entities = extract("T", "Remote sensing (RS) images are hard to label. We study RS scenes with a CNN.")
    assert "RS" not in entities and not any("RS" in e.aliases for e in entities.values())


def test_the_head_word_of_a_defined_long_form_gives_its_type(extract):
    entities = extract("T", "Built upon the Teacher-Student Chatroom Corpus (TSCC), we annotate chats. TSCC is small.")
    assert entities["Teacher-Student Chatroom Corpus"].type == "Benchmark"
    entities = extract("T", "We report the Mayo Endoscopic Score (MES) of each case. MES agrees with experts.")
    assert entities["Mayo Endoscopic Score"].type == "Metric"


def test_a_defined_ratio_is_a_metric(extract):
    entities = extract("T", "We lower the Adjacent Channel Power Ratio (ACPR) of the amplifier. ACPR drops by 3 dB.")
    assert entities["Adjacent Channel Power Ratio"].type == "Metric"


def test_a_verb_after_a_definition_is_no_modified_noun(extract):
    # "(ZSP) explicitly traverse" / "(QSM) assigns": the definition stands; "(ZSP) sampler" would be a modifier.
    entities = extract("T", "Methods like Zeta sampling pass (ZSP) explicitly traverse noise levels. ZSP is slow. "
                            "A Quality Scoring Module (QSM) assigns scores. QSM is fast.")
    assert {"Zeta sampling pass", "Quality Scoring Module"} <= set(entities)
    entities = extract("T", "We use a Zeta sampling pass (ZSP) sampler on images. ZSP is slow.")
    assert "Zeta sampling pass" not in entities


def test_a_contribution_named_around_its_acronym_is_named_without_it(extract):
    entities = extract("T", "We propose a Layered Phase Space (LPS) block that refines points. The LPS block is fast.")
    assert "Layered Phase Space block" in entities and entities["Layered Phase Space block"].proposed
