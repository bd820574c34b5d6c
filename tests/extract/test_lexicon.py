"""Lexicon loading and matching: case rules, plural and hyphen variants, bad lines."""
from __future__ import annotations

import spacy

from kg.components.lexicon import LexiconEntry, LexiconMatcher, load_lexicon, needs_exact_case, surface_variants
from kg.components.tokenizer import customize_tokenizer


def matches(entries, text):
    nlp = customize_tokenizer(spacy.blank("en"))
    doc = nlp.make_doc(text)
    return sorted((c.text, c.type, c.canonical) for c in LexiconMatcher(nlp, entries)(doc))


def test_load_reads_every_jsonl_and_skips_bad_lines(tmp_path, recwarn, make_lexicon):
    make_lexicon(tmp_path, {"a.jsonl": [{"name": "BERT", "type": "Model", "aliases": ["Bert"]}]})
    (tmp_path / "b.jsonl").write_text('{"name": "ok", "type": "Task"}\nnot json\n{"name": "x", "type": "Animal"}\n')
    (tmp_path / "heads.jsonl").write_text('{"name": "decoding", "type": "Method"}\n')
    entries = load_lexicon(tmp_path)
    assert entries == [LexiconEntry("BERT", "Model", ("Bert",)), LexiconEntry("ok", "Task")]
    messages = [str(w.message) for w in recwarn]
    assert any("b.jsonl:2" in m for m in messages) and any("b.jsonl:3" in m for m in messages)


def test_missing_folder_is_an_empty_lexicon(tmp_path):
    assert load_lexicon(tmp_path / "nope") == []


def test_common_nouns_match_case_insensitively_with_plural_and_hyphen_variants():
    entries = [LexiconEntry("post-training quantization", "Method")]
    found = matches(entries, "Post-Training Quantization and post training quantizations.")
    assert [t for t, _, _ in found] == ["Post-Training Quantization", "post training quantizations"]
    assert {k for _, _, k in found} == {"post-training quantization"}


def test_mixed_case_and_one_word_proper_names_match_only_as_written():
    entries = [LexiconEntry("low-rank adaptation", "Method", ("LoRA",)), LexiconEntry("Whisper", "Model")]
    found = matches(entries, "LoRA and lora; Whisper, whisper.")
    assert found == [("LoRA", "Method", "low-rank adaptation"), ("Whisper", "Model", "Whisper")]


def test_names_with_digits_match_in_any_case_unless_short():
    entries = [LexiconEntry("MATH-500", "Benchmark"), LexiconEntry("T5", "Model")]
    assert not needs_exact_case("MATH-500", entries[0]) and needs_exact_case("T5", entries[1])
    found = matches(entries, "Math-500 and math-500 use T5, not t5.")
    assert sorted(found) == [("Math-500", "Benchmark", "MATH-500"), ("T5", "Model", "T5"), ("math-500", "Benchmark", "MATH-500")]


def test_case_sensitive_flag_is_honoured():
    entry = LexiconEntry("Adam", "Method", case_sensitive=True)
    assert needs_exact_case("Adam", entry)
    assert matches([entry], "adam and Adam") == [("Adam", "Method", "Adam")]


def test_first_entry_owns_a_shared_form():
    entries = [LexiconEntry("transformer", "Method"), LexiconEntry("Transformer", "Model")]
    assert matches(entries, "a transformer") == [("transformer", "Method", "transformer")]


def test_variants():
    assert surface_variants("policy", "Method") == {"policy", "policies"}
    assert surface_variants("GPT-4", "Model") == {"GPT-4"}
    assert "text to image generation" in surface_variants("text-to-image generation", "Task")


def test_ordinary_sense_is_not_a_match():
    nlp = customize_tokenizer(spacy.blank("en"))
    matcher = LexiconMatcher(nlp, [LexiconEntry("attention", "Method")], {"attention": frozenset({"gaining"})})
    assert [c.text for c in matcher(nlp("Agents are gaining attention."))] == []
    assert [c.text for c in matcher(nlp("Sparse attention is fast."))] == ["attention"]


def test_local_acronym_definition_beats_the_lexicon_expansion(nlp):
    # the hand-written lexicon knows WER as "word error rate"; this paper defines it otherwise
    doc = nlp("Retrieval\n\nWe propose Weighted Entity Retrieval (WER), a retrieval method. WER is fast.")
    names = {e.name for e in doc._.kg_entities}
    assert "word error rate" not in names and "Weighted Entity Retrieval" in names


def test_two_word_task_matches_hyphenated_but_a_measure_does_not():
    entries = [LexiconEntry("instruction following", "Task"), LexiconEntry("inference time", "Metric")]
    found = matches(entries, "Gains on instruction-following with inference-time methods.")
    assert found == [("instruction-following", "Task", "instruction following")]
    assert "large-language model" not in surface_variants("large language model", "Method")  # only two-word names


def test_at_inference_time_is_when_not_a_measure():
    entries = [LexiconEntry("inference time", "Metric")]
    assert matches(entries, "We scale compute at inference time.") == []
    assert matches(entries, "It reduces inference time.") == [("inference time", "Metric", "inference time")]


def test_exact_case_hits_come_first_and_keep_their_case():
    # one matcher on lower case holds both kinds of forms: "LoRA" is kept only as written, and exact-case
    # hits are listed before the case-insensitive ones (the order two matchers gave)
    nlp = customize_tokenizer(spacy.blank("en"))
    entries = [LexiconEntry("quantization", "Method"), LexiconEntry("low-rank adaptation", "Method", ("LoRA",))]
    found = LexiconMatcher(nlp, entries)(nlp.make_doc("Quantization with LoRA, not lora or LORA."))
    assert [(c.text, c.canonical) for c in found] == [("LoRA", "low-rank adaptation"), ("Quantization", "quantization")]


def test_multi_token_exact_form_needs_every_token_as_written():
    nlp = customize_tokenizer(spacy.blank("en"))
    entries = [LexiconEntry("Llama 2", "Model", case_sensitive=True)]
    assert [c.text for c in LexiconMatcher(nlp, entries)(nlp.make_doc("Llama 2 and llama 2 and Llama  2."))] == ["Llama 2"]


def test_shared_patterns_are_left_for_their_component():
    nlp = customize_tokenizer(spacy.blank("en"))
    matcher = LexiconMatcher(nlp, [LexiconEntry("quantization", "Method")])
    matcher.share("other hits", [nlp.make_doc("accuracy")])
    doc = nlp.make_doc("Accuracy after quantization.")
    assert [c.text for c in matcher(doc)] == ["quantization"]  # not a lexicon candidate
    assert [(start, end) for _, start, end in doc.user_data["other hits"]] == [(0, 1)]
    doc = nlp.make_doc("Nothing here.")
    matcher(doc)
    assert doc.user_data["other hits"] == []  # scanned, no hit


def test_verb_boosting_is_not_the_ensemble_method(default_nlp):
    def methods(text):
        return {e.name for e in default_nlp(text)._.kg_entities if e.name.lower() == "boosting"}
    assert methods("Title\n\nThe module aligns features, boosting accuracy, thereby boosting recall.") == set()
    assert methods("Title\n\nWe compare bagging and boosting for tabular data.") == {"boosting"}


def test_sense_check_reads_the_text_start_as_an_empty_word():
    nlp = customize_tokenizer(spacy.blank("en"))
    matcher = LexiconMatcher(nlp, [LexiconEntry("boosting", "Method")], {"boosting": frozenset({""})})
    assert [c.text for c in matcher(nlp("Boosting recall with boosting."))] == ["boosting"]


def test_family_spelling_llama_is_a_model(default_nlp):
    doc = default_nlp("Title\n\nTwo Llama models were assessed, unlike a llama in a zoo.")
    assert [(e.name, e.type) for e in doc._.kg_entities if e.name.lower() == "llama"] == [("LLaMA", "Model")]
