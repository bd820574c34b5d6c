"""Head-noun phrases: heads extend leftwards over modifiers, stopped by closed-class words."""
from __future__ import annotations

import pytest
import spacy

from kg.components.phrases import (COMPOUND_SUFFIX, CUE_END, DIGITS, HYPHEN, LETTERS, LIST_ITEM, MODIFIER, SENSE_CUE, SHAPE,
                                   VERB_CUE, VERB_LIKE, Head, PhraseFinder, TokenView, WordFeatures, load_heads,
                                   load_phrase_rules)
from kg.components.tokenizer import customize_tokenizer


@pytest.fixture(scope="module")
def phrases(lexicon_dir):
    nlp = customize_tokenizer(spacy.blank("en"))
    nlp.add_pipe("sentencizer")
    rules = load_phrase_rules()
    finder = PhraseFinder(nlp, load_heads(rules, lexicon_dir), rules)

    def run(text):
        doc = nlp(text)
        return [(c.text, c.type) for c in finder(doc)]

    return run


def test_heads_extend_over_modifiers(phrases):
    text = "We apply post-training quantization to improve top-1 accuracy and inference latency."
    assert phrases(text) == [("post-training quantization", "Method"), ("top-1 accuracy", "Metric"),
                             ("inference latency", "Metric")]


def test_task_heads_and_hyphenated_modifiers(phrases):
    assert phrases("It handles text-to-image generation well.") == [("text-to-image generation", "Task")]


@pytest.mark.parametrize("text", [
    "The proposed quantization works.",          # evaluative adjective
    "It suffers from inadequate quantization.",  # evaluative adjective (a judgement, not a kind)
    "It can cut latency and halve memory.",      # verbs of change
    "We significantly improve accuracy.",        # adverb and verb
    "Various existing methods use distillation.",  # plural noun before head, generic head
    "It achieves 3 accuracy.",                    # a count is not a modifier
])
def test_stop_words_block_modifiers(phrases, text):
    assert all(len(name.split()) == 1 for name, _ in phrases(text))


def test_numbers_and_their_units_never_start_a_name(phrases):
    assert phrases("It reaches a 0.249 m inference latency with 1,000 image classification runs.") == [
        ("inference latency", "Metric"), ("image classification", "Task")]


def test_heads_needing_a_modifier_are_dropped_alone(phrases):
    assert phrases("The generation is slow.") == []
    assert phrases("Image generation is slow.") == [("Image generation", "Task")]


def test_heads_file_wins_over_derived_heads(tmp_path, make_lexicon):
    make_lexicon(tmp_path, {"methods.jsonl": [{"name": "beam search", "type": "Method"}]})
    (tmp_path / "heads.jsonl").write_text('{"name": "search", "type": "Task", "needs_modifier": false}\n')
    rules = load_phrase_rules()
    heads = load_heads(rules, tmp_path)
    assert heads["search"] == Head("Task", False) and heads["searches"] == Head("Task", False)
    assert "model" not in heads  # too generic to head a phrase


@pytest.mark.parametrize("text, expected", [
    # an evaluative adjective or a multiplier is not part of the name
    ("This needs a prohibitive annotation cost.", [("annotation cost", "Metric")]),
    ("It gives a 2.61x inference latency reduction.", [("inference latency", "Metric")]),
    # a manner adverb or an adverb like "often" marks the next word as a verb
    ("Systems that tightly couple image classification fail.", [("image classification", "Task")]),
    ("The scores often proxy inference latency.", [("inference latency", "Metric")]),
])
def test_evaluative_words_and_verbs_are_left_out(phrases, text, expected):
    assert phrases(text) == expected


def test_descriptive_hyphenated_modifier_joins_the_phrase(phrases):
    assert phrases("It uses cost-based quantization.") == [("cost-based quantization", "Method")]
    assert phrases("It uses velocity-constrained quantization.") == [("velocity-constrained quantization", "Method")]
    # an evaluative one does not: "memory-efficient" says how good, not what
    assert phrases("It uses memory-efficient vector quantization.") == [("vector quantization", "Method")]


def test_head_word_used_as_a_hyphenated_modifier_is_no_head(phrases):
    # "time" heads Metric phrases, but in "masked time-series modeling" it modifies "series"
    assert [name for name, _ in phrases("We study masked time-series modeling.")] == []


def test_generic_modifier_alone_makes_no_technique(phrases):
    assert phrases("It speeds up model quantization.") == []
    assert phrases("It speeds up vector quantization.") == [("vector quantization", "Method")]


def test_ordinary_sense_of_a_technique_word():
    nlp = customize_tokenizer(spacy.blank("en"))
    finder = PhraseFinder(nlp, {"attention": Head("Method", False)}, load_phrase_rules())
    assert finder(nlp("Such agents are gaining attention.")) == []
    assert [c.text for c in finder(nlp("We add attention to the encoder."))] == ["attention"]


def test_title_first_word_in_its_ordinary_sense():
    # a title's first word has no previous word: "" stands for the text start, as in the lexicon matcher
    nlp = customize_tokenizer(spacy.blank("en"))
    finder = PhraseFinder(nlp, {"boosting": Head("Method", False)}, load_phrase_rules())
    assert finder(nlp("Boosting Retrieval with Graphs")) == []
    assert [c.text for c in finder(nlp("We study boosting for ranking."))] == ["boosting"]


def test_speed_after_at_is_no_metric():
    nlp = customize_tokenizer(spacy.blank("en"))
    finder = PhraseFinder(nlp, {"rate": Head("Metric", True), "speed": Head("Metric", True)}, load_phrase_rules())
    assert finder(nlp("It renders at interactive rates and at real-time speeds.")) == []
    assert [c.text for c in finder(nlp("It improves the interactive rate."))] == ["interactive rate"]


def test_non_heads_exclude_their_plurals(lexicon_dir):
    rules = load_phrase_rules()
    heads = load_heads(rules, lexicon_dir)
    assert "reward" in rules.non_heads and "rewards" not in heads
    assert "length" in rules.non_heads and "lengths" not in heads


def test_context_decides_task_or_method(phrases):
    # "combines A, B, and C": techniques used, although -ion heads default to Task
    assert phrases("It combines image classification, and text-to-image generation.") == [
        ("image classification", "Method"), ("text-to-image generation", "Method")]
    # "X problem": a problem addressed
    assert phrases("We cast it as a vector quantization problem.") == [("vector quantization", "Task")]
    # no cue: the head's type
    assert phrases("We study image classification.") == [("image classification", "Task")]


def test_bare_task_head_before_tasks_names_the_task(phrases):
    assert phrases("It helps on generation tasks.") == [("generation", "Task")]
    assert phrases("The generation is slow.") == []


def test_first_half_of_a_compound_noun_heads_nothing(lexicon_dir):
    nlp = customize_tokenizer(spacy.blank("en"))
    finder = PhraseFinder(nlp, {"time": Head("Metric", True)}, load_phrase_rules())
    assert finder(nlp("We mask a raw time series here.")) == []
    assert [c.text for c in finder(nlp("The inference time is short."))] == ["inference time"]


@pytest.mark.parametrize("text, expected", [
    # "X framework/methods": a technique, although the -ion/-ing head defaults to Task
    ("We propose a gradient-based data selection framework.", [("gradient-based data selection", "Method")]),
    ("Unlike supervised forecasting methods, it is fast.", [("supervised forecasting", "Method")]),
    # "for X", "tackles X", "X tasks" with an action-noun head: a problem addressed
    ("A methodology for zero-shot inference of jump processes.", [("zero-shot inference", "Task")]),
    ("This work tackles posterior inference at scale.", [("posterior inference", "Task")]),
    ("It helps on document classification tasks.", [("document classification", "Task")]),
    # a few words where the list walk stops: "tasks such as A and B", "the problem of X", "methods such as X"
    ("It helps tasks such as document classification and batched inference.",
     [("document classification", "Task"), ("batched inference", "Task")]),
    ("We study the problem of posterior inference.", [("posterior inference", "Task")]),
    ("Unlike methods such as active data selection, it is fast.", [("active data selection", "Method")]),
    # a Task cue does not turn a thing into a problem: "agents" is no action noun
    ("Benchmarks for conversational AI agents are scarce.", [("conversational AI agents", "Method")]),
])
def test_context_cues_before_the_head_default(text, expected):
    nlp = customize_tokenizer(spacy.blank("en"))
    heads = {"selection": Head("Task", True), "forecasting": Head("Task", False), "inference": Head("Method", True),
             "classification": Head("Task", True), "agents": Head("Method", True)}
    finder = PhraseFinder(nlp, heads, load_phrase_rules())
    assert [(c.text, c.type) for c in finder(nlp(text))] == expected


def test_activity_nouns_head_nothing():
    # "construction", "annotation" name work done on a thing, not a task or technique (packaged heads)
    nlp = customize_tokenizer(spacy.blank("en"))
    rules = load_phrase_rules()
    finder = PhraseFinder(nlp, load_heads(rules), rules)
    assert [c.text for c in finder(nlp("We study benchmark construction and step-wise annotation."))] == []
    assert [c.text for c in finder(nlp("We study image segmentation."))] == ["image segmentation"]


def test_phrase_in_its_ordinary_sense_is_skipped():
    nlp = customize_tokenizer(spacy.blank("en"))
    finder = PhraseFinder(nlp, {"time": Head("Metric", True)}, load_phrase_rules())
    assert finder(nlp("We scale compute at inference time.")) == []
    assert [c.text for c in finder(nlp("It reduces the inference time."))] == ["inference time"]


def test_single_letter_variables_head_nothing(tmp_path, make_lexicon):
    make_lexicon(tmp_path, {"metrics.jsonl": [{"name": "recall at k", "type": "Metric"},
                                              {"name": "precision at k", "type": "Metric"},
                                              {"name": "hits at k", "type": "Metric"}]})
    rules = load_phrase_rules()
    heads = load_heads(rules, tmp_path)
    assert "k" not in heads and "ks" not in heads  # "choose K", "candidate length K", "hyperparameter K"


@pytest.mark.parametrize("text", ["We choose image generation as the task.", "They chose image generation first."])
def test_choosing_verbs_never_start_a_phrase(phrases, text):
    assert phrases(text) == [("image generation", "Task")]


def test_word_features_follow_the_word_tests():
    rules = load_phrase_rules()
    features = WordFeatures(rules, {"processing": Head("Task", True)}, frozenset({"at"}))
    assert features["Cost"] == ("cost", MODIFIER | SHAPE | LETTERS | LIST_ITEM)
    assert features["based"][1] & COMPOUND_SUFFIX and not features["based"][1] & MODIFIER  # a stop word alone
    assert features["3"][1] & DIGITS and features["-"][1] & HYPHEN and features["at"][1] & SENSE_CUE
    assert features["tightly"][1] & VERB_CUE and features["mastering"][1] & VERB_LIKE
    assert not features["processing"][1] & VERB_LIKE  # a head, not a verb
    assert features["as"][1] & CUE_END and not features["cost"][1] & CUE_END  # "tasks such as"
    small = WordFeatures(rules, {}, frozenset(), limit=2)
    small["a"], small["b"], small["c"]
    assert list(small) == ["c"]  # emptied when full


def test_sentence_starts_from_title_bounds_match_the_token_marks():
    nlp = customize_tokenizer(spacy.blank("en"))
    nlp.add_pipe("kg_title")
    doc = nlp("A Title\n\nFirst sentence here. Second one (really). Third!")
    view = TokenView(doc)  # from doc._.kg_sentences
    marks = [token.is_sent_start for token in doc]
    assert view.sentence_firsts == {i for i, mark in enumerate(marks) if mark} and view.unmarked == set()
    assert TokenView(doc, []).sentence_firsts == view.sentence_firsts  # no bounds: read from the marks
    bare = customize_tokenizer(spacy.blank("en"))("No marks at all here.")
    unmarked = TokenView(bare)
    assert not unmarked.inside_sentence(2) and not unmarked.starts_sentence(2)  # unknown: neither


def test_token_view_lower_cases_each_token_alone():
    nlp = customize_tokenizer(spacy.blank("en"))
    view = TokenView(nlp.make_doc("ΟΔΟΣ Σ İstanbul"))
    assert [view.lower(i) for i in range(view.size)] == [t.lower_ for t in nlp.make_doc("ΟΔΟΣ Σ İstanbul")]


def test_head_words_share_the_lexicon_scan(lexicon_dir):
    nlp = customize_tokenizer(spacy.blank("en"))
    nlp.add_pipe("kg_title")
    nlp.add_pipe("kg_lexicon", config={"lexicon_dir": str(lexicon_dir)})
    nlp.add_pipe("kg_phrases", config={"lexicon_dir": str(lexicon_dir)})
    shared = nlp.get_pipe("kg_phrases").find
    assert shared.hits_key == "kg_phrases heads"
    rules = load_phrase_rules()
    alone = PhraseFinder(nlp, load_heads(rules, lexicon_dir), rules)  # its own matcher
    text = "A Title\n\nWe apply post-training quantization to improve top-1 accuracy and inference latency."
    doc = nlp.get_pipe("kg_lexicon")(nlp.get_pipe("kg_title")(nlp.make_doc(text)))
    hits = list(doc.user_data["kg_phrases heads"])
    assert [(start, end) for _, start, end in hits] == [(start, end) for _, start, end in alone.matcher(doc)]
    assert shared(doc) == alone(doc) and "kg_phrases heads" not in doc.user_data  # read once
    assert [c.text for c in shared(doc)] == ["post-training quantization", "top-1 accuracy", "inference latency"]


@pytest.fixture(scope="module")
def paper_entities(nlp):
    from kg.extract import extract_papers
    from kg.records import Paper

    def run(title, abstract):
        [item] = extract_papers([Paper(id="p1", title=title, abstract=abstract)], nlp=nlp)
        return {e.name: e.type for e in item.entities}

    return run


def test_a_task_only_the_title_names_is_kept_in_lower_case(paper_entities):
    found = paper_entities("Deep Networks for Field Boundary Segmentation", "We map farms from satellite images.")
    assert found.get("field boundary segmentation") == "Task"
    # a plural title phrase takes the singular name
    assert paper_entities("Mitigating Road Topology Estimations", "We study roads.").get("road topology estimation") == "Task"
    # at most three modifier words; "A to B" is one modifier
    assert "speech to text translation" in paper_entities("Fast Speech to Text Translation", "We study speech.")


@pytest.mark.parametrize("title", [
    "Future and Historical Reasoning for Driving",  # the second conjunct of a shared head
    "Efficient LLM Reasoning at Scale",            # the model doing the task: the task is the bare head
])
def test_title_task_phrases_that_name_no_task_of_their_own(paper_entities, title):
    assert not any(kind == "Task" and name.endswith("reasoning") for name, kind in paper_entities(title, "We drive.").items())


def test_a_technique_before_based_leaves_a_task_phrase_but_a_modality_stays(phrases):
    assert phrases("We study diffusion-based boundary detection here.") == [("boundary detection", "Task")]
    assert phrases("We study skeleton-based action recognition here.") == [("skeleton-based action recognition", "Task")]


@pytest.mark.parametrize("actor, other", [("human", "code"), ("model", "weather"), ("LLM", "spatial")])
def test_a_task_head_whose_only_modifier_is_its_actor_names_no_task(phrases, actor, other):
    for head in ("verification", "prediction", "reasoning"):
        assert phrases(f"We study {actor} {head} here.") == []
        assert phrases(f"We study {other} {head} here.") == [(f"{other} {head}", "Task")]  # another modifier names one


def test_an_actor_word_that_is_processed_stays(phrases):
    assert phrases("We improve human tracking here.") == [("human tracking", "Task")]


def test_plural_method_nouns_after_a_task_phrase_keep_it_a_task(phrases):
    assert phrases("Existing age estimation methods fail.") == [("age estimation", "Task")]
    assert phrases("Our age estimation framework works.") == [("age estimation", "Method")]
    assert phrases("Unlike iterative age estimation methods, it is fast.") == [("iterative age estimation", "Method")]


def test_a_number_glued_to_its_unit_is_a_value_not_a_modifier(phrases):
    assert phrases("It shows a 200ms inference latency here.") == [("inference latency", "Metric")]
    assert phrases("It needs 5GB inference latency and 23K image generation.") == [
        ("inference latency", "Metric"), ("image generation", "Task")]
    assert phrases("It handles 4K video generation.") == [("4K video generation", "Task")]


def test_a_phrase_never_starts_inside_a_known_name(paper_entities):
    found = paper_entities("A study", "We use large language model labeling for data.")
    assert "large language model" in found and not any(name.startswith("language model") for name in found)


def test_a_noun_verb_after_to_is_a_verb(phrases):
    assert phrases("We learn to model intricate image generation.") == [("image generation", "Task")]
    assert phrases("It applies to image generation.") == [("image generation", "Task")]


@pytest.mark.parametrize("text", ["It avoids redundant quantization.", "It needs human quantization.",
                                  "We thereby quantization models."])
def test_evaluative_adjectives_adverbs_and_actors_never_start_a_method(phrases, text):
    assert all(len(name.split()) == 1 for name, _ in phrases(text))


def test_field_heads_nothing(phrases):
    assert phrases("It is popular in the medical field and estimates a displacement field.") == []


@pytest.mark.parametrize("text, expected", [
    ("Cycling Safety Prediction from Street Images", "Cycling Safety Prediction"),
    ("We study phishing email detection here.", "phishing email detection"),
    ("Improving Safety Prediction with Graphs", "Safety Prediction"),  # a title's verb stays out
])
def test_noun_gerund_is_a_modifier(text, expected):
    nlp = customize_tokenizer(spacy.blank("en"))
    finder = PhraseFinder(nlp, {"prediction": Head("Task", True), "detection": Head("Task", True)}, load_phrase_rules())
    assert [c.text for c in finder(nlp(text))] == [expected]


def test_a_name_joining_two_names_votes_for_no_head(tmp_path, make_lexicon):
    # "term frequency-inverse document frequency" names a weighting, not a kind of "frequency"
    make_lexicon(tmp_path, {"methods.jsonl": [
        {"name": "TF-IDF", "type": "Method", "aliases": ["term frequency-inverse document frequency",
                                                         "term frequency\u2013inverse document frequency"]},
        {"name": "simulated annealing", "type": "Method"}, {"name": "quantum annealing", "type": "Method"}]})
    heads = load_heads(load_phrase_rules(), tmp_path)
    assert "frequency" not in heads and "radio frequency" not in heads
    assert heads["annealing"].type == "Method"


def test_phrase_never_starts_inside_a_hyphenated_word(default_nlp):
    # "thought" reads as a verb and "probing" is a known name: what is left of the compound is no modifier
    doc = default_nlp("Title\n\nWe show that thought-based learning helps and that probing-based rerankers work.")
    names = [entity.name for entity in doc._.kg_entities]
    assert "probing" in names
    assert not [name for name in names if name.startswith("-")]


def test_a_task_cue_never_makes_training_or_learning_a_task(default_nlp):
    # "for X" makes an action noun a Task ("for LLM inference"); training and learning stay procedures (Method)
    doc = default_nlp("Title\n\nWe release data for reward model training. A new loss for policy learning is proposed.")
    types = {entity.name.lower(): entity.type for entity in doc._.kg_entities}
    assert types.get("reward model training") == "Method" and types.get("policy learning") == "Method"


def test_an_evaluative_hyphenated_modifier_never_starts_a_task(default_nlp):
    # "-reliant", "-consistent", "-robust" judge how the task is done: the task is what follows
    doc = default_nlp("Title\n\nWe study scale-robust object recognition and view-consistent editing.")
    names = {entity.name.lower() for entity in doc._.kg_entities}
    assert "object recognition" in names and "scale-robust object recognition" not in names
    assert "view-consistent editing" not in names


def test_a_technique_first_in_a_task_phrase_is_dropped(default_nlp):
    # "deep learning X": the technique used, not part of the task; "deep learning-based X" is left to the compound rule
    doc = default_nlp("Title\n\nWe compare deep learning reasoning with symbolic solvers.")
    assert "deep learning reasoning" not in {entity.name.lower() for entity in doc._.kg_entities}


def test_a_capability_is_no_task(default_nlp):
    # capability adjective + understanding/comprehension/perception: what a model has, not a task; visual understanding stays
    doc = default_nlp("Title\n\nModels lack geometric understanding but excel at visual understanding and video comprehension.")
    names = {entity.name.lower() for entity in doc._.kg_entities}
    assert "geometric understanding" not in names
    assert "visual understanding" in names and "video comprehension" in names
