"""Named contributions: title ``Name: description``, introducing verbs, appositives, ``called X``."""
from __future__ import annotations

import re

import pytest
import spacy
from hypothesis import example, given, settings
from hypothesis import strategies as st

from kg.components.abbreviations import doc_definitions, sentence_bounds
from kg.components.contributions import (
    TYPE_WORDS,
    Contribution,
    _Cues,
    _cued_sentences,
    _Finder,
    _RULE_STEMS,
    _VERB,
    _written_mid_sentence,
    find_contributions,
    is_strong_name,
    load_grammar,
    type_of,
)

NLP = spacy.blank("en")
NLP.add_pipe("sentencizer")


def paper(title: str, abstract: str) -> list[Contribution]:
    """Contributions of a paper, its Doc built as the pipeline does (title, blank line, abstract)."""
    doc = NLP.make_doc(f"{title}\n\n{abstract}")
    doc._.kg_title_len = len(title)
    return find_contributions(NLP.get_pipe("sentencizer")(doc))


def found(title: str, abstract: str) -> list[tuple[str, str | None, str]]:
    return [(c.name, c.type_hint, c.rule) for c in paper(title, abstract)]


@pytest.mark.parametrize(
    ("title", "name", "type_hint"),
    [
        ("FlexLLM: A System for Co-Serving Large Language Model Inference", "FlexLLM", "Model"),
        ("KLUE: Korean Language Understanding Evaluation", "KLUE", "Benchmark"),
        ("HeteGen: A Framework for Heterogeneous Parallel Inference", "HeteGen", "Method"),
        ("MMBench-Pro: A Dataset and Benchmark for Reasoning", "MMBench-Pro", "Benchmark"),
        ("InfAlign: Inference-aware language model alignment", "InfAlign", None),
        ("Mixtral 8x7B: Sparse Experts at Scale", "Mixtral 8x7B", None),
    ],
)
def test_title_name_colon_description(title: str, name: str, type_hint: str | None) -> None:
    assert found(title, "It works well.") == [(name, type_hint, "title_colon")]


@pytest.mark.parametrize(
    ("title", "abstract", "expected"),
    [
        ("VitaBench: A Framework for Evaluating Agents", "It works.", ("VitaBench", "Benchmark", "title_colon")),
        ("SLR-Bench v2: A Platform for Reasoning", "It works.", ("SLR-Bench v2", "Benchmark", "title_colon")),
        ("Quantum code", "We present QCoder Benchmark, a framework for evaluating LLMs.",
         ("QCoder Benchmark", "Benchmark", "intro_verb")),
    ],
)
def test_a_name_ending_in_a_benchmark_word_is_a_benchmark_whatever_the_description(title, abstract, expected) -> None:
    assert found(title, abstract) == [expected]


def test_title_plain_word_needs_a_capitalised_use_in_the_abstract() -> None:
    assert found("Hydra: Draft Heads for Decoding", "We propose Hydra heads, a sequential design.")[0] == ("Hydra", None, "title_colon")
    assert found("Scaling: What Matters", "We study scaling of models.") == []


@pytest.mark.parametrize(
    "title",
    [
        "Large Language Models: A Survey",
        "Towards Efficient Inference: A Study",
        "LLMs: Friends or Foes",  # a plural acronym is a class of models, not a name
        "Variational Inference with Normalizing Flows",
    ],
)
def test_titles_without_a_name(title: str) -> None:
    assert found(title, "We study things.") == []


@pytest.mark.parametrize(
    ("abstract", "expected"),
    [
        ("We propose BatchLLM to address these problems.", [("BatchLLM", "Model", "intro_verb")]),
        ("In this paper, we present MMD-DDM, a novel method for fast sampling.", [("MMD-DDM", "Method", "intro_verb")]),
        ("We introduce Greenformers, a collection of model efficiency methods.", [("Greenformers", "Method", "intro_verb")]),
        ("We showcase PyDCM, a Python library that enables prototyping.", [("PyDCM", "Model", "intro_verb")]),
        ("This paper introduces PIPELOAD, a novel memory-efficient pipeline execution mechanism.", [("PIPELOAD", "Method", "intro_verb")]),
        ("We present Inferflow, an efficient and highly configurable inference engine.", [("Inferflow", "Model", "intro_verb")]),
        ("We release T5-XXL-v2 for research.", [("T5-XXL-v2", None, "intro_verb")]),
        # A name ending in a model-family word (VAE, ViT, DiT, -Net) names a model even when nothing else types it.
        ("We introduce a SuperVoxelVAE to compress volumes.", [("SuperVoxelVAE", "Model", "intro_verb")]),
        ("We propose Driver-Net to fuse camera views.", [("Driver-Net", "Model", "intro_verb")]),
        # A proposed measure is a Metric; a name ending in a thousands count is a dataset.
        ("We propose PCQ, a metric derived from phase maps.", [("PCQ", "Metric", "intro_verb")]),
        # Modifiers listed with commas before the head noun: the head still types the name.
        ("We present QuickSpot, a fast, accurate algorithm for matching animals.", [("QuickSpot", "Method", "intro_verb")]),
        # "our <modifiers> <type word>, Name," names the contribution; a comma ending an adverbial phrase does not.
        ("When tested, our memory-augmented coding agent, Bolt, achieves higher scores.", [("Bolt", "Model", "our_name")]),
        ("On our large-scale road dataset, RD-MAP outperforms single shot baseline approaches by far.", []),
        # Three or more capitalised words after "we design a" name the component even without a type word.
        ("Next, we design a History Raster Path Memory to store instance maps.", [("History Raster Path Memory", None, "intro_verb")]),
        ("We propose a Bayesian Neural Network that models noise.", []),
        # A bare model size is no name.
        ("Experiments with our 7B and 32B models show gains.", []),
        ("We release HSB-27k, a subset of the atlas.", [("HSB-27k", "Benchmark", "intro_verb")]),
        # Two strong names joined by "and" are not one name.
        ("We propose FOXA and TPQC, two prompting frameworks for bias detection.", [("FOXA", None, "intro_verb")]),
        ("We propose Dual-Space Weighting and Time-Warped Alignment, a distillation method.", [("Dual-Space Weighting and Time-Warped Alignment", "Method", "intro_verb")]),
        ("We present WidgetText-120K, a large-scale, high-quality dataset of captions.", [("WidgetText-120K", "Benchmark", "intro_verb")]),
        ("We present a theorem-and-proof benchmark MUSTARDSAUCE with 5,866 data points.", [("MUSTARDSAUCE", "Benchmark", "intro_typed")]),
        ("We design a framework named EcoOptiGen which leverages pruning.", [("EcoOptiGen", "Method", "called")]),
        ("We propose a new framework called BottleFit, which includes a training strategy.", [("BottleFit", "Method", "called")]),
        ("We propose a recipe, which we call Hydra++, that improves throughput.", [("Hydra++", "Method", "called")]),
        ("We propose a factorization approach for the transformer model called Low-Rank Transformer.", [("Low-Rank Transformer", "Model", "called")]),
        ("A new model dubbed Falcon is trained on web data.", [("Falcon", "Model", "called")]),
        ("We train a detector, termed YOLO-Lite, for drones.", [("YOLO-Lite", "Model", "called")]),
        ("SwiftKV, a novel model transformation procedure, reduces cost.", [("SwiftKV", "Method", "novel_appositive")]),
        ("GSM-Hard, a new benchmark of math problems, is hard.", [("GSM-Hard", "Benchmark", "novel_appositive")]),
        ("FreeNet, which is a fully end-to-end network, is proposed for classification.", [("FreeNet", "Model", "passive")]),
        ("In this paper, a fast patch-free global learning (FPGA) framework is proposed.", [("fast patch-free global learning", "Method", "passive")]),
        ("Results show that our R3-Avatar renders faster.", [("R3-Avatar", None, "our_name")]),
        ("With the proposed MUSTARD, we build data.", [("MUSTARD", None, "our_name")]),
    ],
)
def test_abstract_rules(abstract: str, expected: list[tuple[str, str | None, str]]) -> None:
    assert found("A Study", abstract) == expected


def test_long_form_with_acronym_is_the_name() -> None:
    [contribution] = paper("A Study", "We propose Context Perception Parallel Decoder (CPPD) to predict characters.")
    assert (contribution.name, contribution.aliases, contribution.short_form) == (
        "Context Perception Parallel Decoder",
        ("CPPD",),
        "CPPD",
    )
    assert contribution.text == "Context Perception Parallel Decoder"


def test_namely_long_form_and_list_of_contributions() -> None:
    result = found(
        "A Study",
        "We propose a general framework to boost speculative decoding, namely Parallel spEculative decoding "
        "with Adaptive dRaft Length (PEARL). To break context limits, we propose the Thread Inference Model (TIM), "
        "a family of LLMs trained for recursion, and TIMRUN, an inference runtime enabling reasoning.",
    )
    assert result == [
        ("Parallel spEculative decoding with Adaptive dRaft Length", "Method", "called"),
        ("Thread Inference Model", "Model", "intro_verb"),
        ("TIMRUN", "Model", "intro_appositive"),
    ]


def test_acronym_in_the_middle_keeps_the_head_noun() -> None:
    [contribution] = paper("A Study", "We propose Feynman Kac (FK) steering, an inference-time framework for diffusion.")
    assert contribution.name == "Feynman Kac steering"
    assert contribution.aliases == ("FK steering", "Feynman Kac (FK) steering")
    assert contribution.type_hint == "Method"


def test_type_word_after_the_acronym_is_not_part_of_the_name() -> None:
    [contribution] = paper("A Study", "We propose a Mixed Granularity Implicit Representation (MGIR) framework for scenes.")
    assert (contribution.name, contribution.type_hint) == ("Mixed Granularity Implicit Representation", "Method")


def test_title_acronym_defined_in_abstract_takes_its_long_form() -> None:
    title, abstract = paper("FPGA: Fast Patch-Free Global Learning Framework", "We propose a fast patch-free global learning (FPGA) framework.")
    assert (title.text, title.name, title.aliases, title.rule) == ("FPGA", "fast patch-free global learning", ("FPGA",), "title_colon")
    assert (title.start_char, title.end_char) == (0, 4)
    assert (abstract.name, abstract.aliases, abstract.type_hint) == ("fast patch-free global learning", ("FPGA",), "Method")


@pytest.mark.parametrize(
    "abstract",
    [
        "We propose a novel method for fast sampling.",
        "We introduce a new approach for specifying flexible posteriors.",
        "We introduce Bayesian optimization methods to tune hyperparameters.",
        "We propose LLM-based agents for planning.",
        "We present LLMs with long contexts.",
        "We compare our model with an existing low-rank approach called Linformer.",
        "Large language models (LLMs) are strong. We propose LLM pruning.",  # defined earlier: not new
        "We further explore the design space of heads.",
        "We evaluate on GSM8K, a math benchmark.",  # an appositive without an introducing verb or "novel"
        "An alternative approach, called split computing, reduces bandwidth.",
        "The proposed SLAM pipeline integrates all modules.",
        "Our method outperforms GPT-4.",
    ],
)
def test_no_named_contribution(abstract: str) -> None:
    assert found("A Study", abstract) == []


def test_verb_read_as_noun_is_skipped_but_later_verb_counts() -> None:
    assert found("A Study", "We explore the design space and propose Hydra++, a recipe.") == [("Hydra++", "Method", "intro_verb")]


@pytest.mark.parametrize(("word", "expected"), [("FlexLLM", True), ("CPPD", True), ("T5", True), ("Hydra++", True), ("LLMs", False), ("Falcon", False), ("LLM-based", False), ("model", False)])
def test_is_strong_name(word: str, expected: bool) -> None:
    assert is_strong_name(word) is expected


def test_type_of_description_heads() -> None:
    assert type_of("a family of LLMs trained for recursion") == "Model"
    assert type_of("a novel model transformation and distillation procedure") == "Method"
    assert type_of("a comprehensive suite of tasks") == "Benchmark"
    assert type_of("a new task of grounding") == "Task"
    assert type_of("Memory-Efficient Pipeline Inference for Edge Devices") is None


def test_component_sets_extension() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("kg_contributions")
    doc = nlp("We present NeuZip, a new weight compression scheme.")
    assert [(c.name, c.type_hint) for c in doc._.kg_contributions] == [("NeuZip", "Method")]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200), st.text(max_size=400))
def test_arbitrary_text_never_crashes_and_offsets_hold(title: str, abstract: str) -> None:
    title = title.replace("\n", " ")
    doc = NLP.make_doc(f"{title}\n\n{abstract}")
    doc._.kg_title_len = len(title)
    for contribution in find_contributions(NLP.get_pipe("sentencizer")(doc)):
        assert doc.text[contribution.start_char : contribution.end_char] == contribution.text
        assert contribution.type_hint in (None, "Model", "Method", "Benchmark", "Task")


def test_type_of_skips_a_parenthesised_acronym():
    # the head is "framework", not "Model" inside the name the acronym abbreviates
    assert type_of("a novel instruction-tuned Graph Language Model (InstructGLM) framework that scales") == "Method"
    assert type_of("a large language model (LLM) that answers") == "Model"


def test_our_type_word_comma_name():
    # "our framework, Vesta,": the name between commas, typed by the word before it
    assert found("Title", "Our framework, Vesta, improves recall.") == [("Vesta", "Method", "our_name")]
    assert found("Title", "We test our proposed benchmark, TallyX, on it.") == [("TallyX", "Benchmark", "our_name")]
    assert found("Title", "Our approach, in contrast, is slow.") == []


def test_termed_acronym_takes_the_phrase_before_as_its_long_form():
    abstract = ("We introduce a novel dynamic chunk-wise autoregressive synthesis framework, termed DCAR, "
                "designed to enhance speed.")
    [contribution] = paper("Title", abstract)
    assert (contribution.name, contribution.aliases, contribution.type_hint) == (
        "dynamic chunk-wise autoregressive synthesis", ("DCAR",), "Method")
    # no word of the phrase starts like the acronym: no long form
    assert found("Title", "We introduce chunk-wise synthesis, termed DCAR, here.") == [("DCAR", None, "called")]


@pytest.mark.parametrize("abstract", [
    "Our framework has two novel components: (i) Adaptive Token Pruning and (ii) Hierarchical Cache Merging.",
    "We add two mechanisms: i) SingleInputKV, ii) AcrossKV, which cut memory.",
])
def test_numbered_list_of_own_components_marks_each_item(abstract):
    names = [(name, type_hint) for name, type_hint, rule in found("Title", abstract) if rule == "numbered_list"]
    assert len(names) == 2 and all(type_hint == "Method" for _, type_hint in names)


@pytest.mark.parametrize("abstract", [
    "Existing studies face two challenges: (i) the gap between Foo and (ii) the Bar gap.",  # not a parts list
    "Prior work relies on two techniques: (i) LoRA and (ii) QLoRA.",                   # not the paper's own
])
def test_other_numbered_lists_propose_nothing(abstract):
    assert found("Title", abstract) == []


def test_word_lists_come_from_the_patterns_file():
    grammar = load_grammar()
    assert TYPE_WORDS["benchmark"] == "Benchmark" and TYPE_WORDS["library"] == "Model"
    assert set(TYPE_WORDS) == {word for words in grammar["type_words"].values() for word in words}
    assert "introduced" in grammar["rule_stems"] and "propose" in grammar["intro_verbs"]


@pytest.mark.parametrize(("abstract", "rule"), [
    ("Two systems exist, namely BarNet.", "called"),
    ("A tool which we  call FooNet is shown.", None),              # two spaces: a cue, but no ``we call`` stem
    ("A tool which we call FooNet is shown.", "called"),
    ("It works. The proposed\nZedNet works.", None),               # a newline: a cue, but no ``proposed `` stem
    ("The proposed ZedNet works.", "our_name"),
    ("ZapNet, a novel tool, works.", "novel_appositive"),
    ("QuxNet is proposed here.", "passive"),
    ("We add two components: (i) Adaptive Token Pruning and (ii) Cache Merging.", "numbered_list"),
    ("Thıs paper introduces BarNet, a dataset.", "intro_verb"),        # dotless i: IGNORECASE reads it as i
    ("In thiS Paper we Propose QuxNet.", "intro_verb"),
])
def test_anchors_pick_the_sentences_the_stems_pick(abstract, rule):
    # A rule reads the sentences holding one of its anchors and stems; reading every sentence holding a stem
    # (what scanning for every stem gives, _cued_sentences) finds the same contributions.
    doc = NLP.make_doc(f"Title\n\n{abstract}")
    doc._.kg_title_len = len("Title")
    doc = NLP.get_pipe("sentencizer")(doc)
    text, bounds = doc.text, sentence_bounds(doc)

    def contributions(sentences_of) -> list[Contribution]:
        cues = _Cues(text, bounds)
        finder = _Finder(text, len("Title"), doc_definitions(doc), cues)
        for name in _RULE_STEMS:
            for start, end in sentences_of(cues, name):
                getattr(finder, name)(start, end)
        return list(finder.found.values())

    by_anchors = contributions(lambda cues, name: cues.sentences(name))
    by_stems = contributions(lambda cues, name: _cued_sentences(text.lower(), _RULE_STEMS[name], bounds))
    assert by_anchors == by_stems
    assert rule in {c.rule for c in by_anchors} if rule else not by_anchors


@pytest.mark.parametrize(("text", "word", "start"), [
    ("Title\n\nWe use Falcon here.", "Falcon", 5),
    ("Title\n\nFalcon is used.", "Falcon", 5),      # sentence start: not after a small letter
    ("Title\n\nthe Falconry set", "Falcon", 5),    # no word boundary after it
    ("Title\n\nthe Hydra++ heads", "Hydra++", 5),   # a word ending in ++: the boundary is before the next word
    ("Title\n\nthe Hydra++heads", "Hydra++", 5),
    ("a Falcon\n\nx", "Falcon", 8),                # only the abstract counts
])
def test_written_mid_sentence_matches_the_regex_it_replaces(text, word, start):
    expected = re.search(rf"(?<=[a-z,] ){re.escape(word)}\b", text[start:]) is not None
    assert _written_mid_sentence(text, word, start) is expected


def test_appositive_names_after_the_verb():
    assert found("Title", "We propose TIM, a family of LLMs, and TIMRUN, an inference runtime.") == [
        ("TIM", "Model", "intro_verb"), ("TIMRUN", "Model", "intro_appositive")]
    # the name right before the comma only, whatever comes before it
    assert found("Title", "We propose, for speed (and memory), FooNet, a system.") == [("FooNet", "Model", "intro_appositive")]


VERB_PIECES = st.sampled_from(
    ["we ", "propose", "presents", "represent", "designed", "offer", " to", "-", "(", "\n", " ", ",", "a", "_", "é",
     "\u201c", "Build", "s", "d", "x"]
)


@settings(max_examples=500, deadline=None)
@given(st.lists(VERB_PIECES, max_size=10).map("".join), st.integers(0, 12))
@example("we propose X", 3)  # a verb right at the start of the range
@example("we-propose X", 3)
@example("propose X", 0)
def test_verbs_are_those_of_the_verb_regex(text: str, start: int) -> None:
    # ASCII texts are scanned with the character before each verb matched instead of looked behind at.
    cues = _Cues(text, [(0, len(text))])
    expected = [(m.start(), m.end()) for m in _VERB.finditer(text, start, len(text))]
    assert [(m.start("verb"), m.end()) for m in cues.verbs(text, start, len(text))] == expected


@pytest.mark.parametrize(
    ("abstract", "expected"),
    [
        ("We introduce SENSE-VAD, the first synthetic anomaly detection benchmark for driving.",
         [("SENSE-VAD", "Benchmark", "intro_verb")]),
        ("To avoid leakage, we introduce a new dataset, CalTab151, designed for table reasoning.",
         [("CalTab151", "Benchmark", "intro_typed")]),
        ("We propose a novel Thread Inference Model (TIM) for long reasoning.",
         [("Thread Inference Model", "Model", "intro_verb")]),
        ("This study presents a lightweight dual-domain super-resolution network (DDSRNet) that combines two branches.",
         [("dual-domain super-resolution network", None, "intro_verb")]),
        ("We develop a Question-Aware Captioning mechanism that writes prompts.",
         [("Question-Aware Captioning", "Method", "intro_verb")]),
        ("We propose a Hybrid Tree structure that keeps the shot order.", [("Hybrid Tree", "Method", "intro_verb")]),
        # a modifier definition, a lower-case long form with an all-capitals acronym: not a name of the paper's own
        ("We propose two novel Out-Of-Distribution (OOD) detection approaches.", []),
        ("Our method constructs a unified knowledge graph (KG) from papers.", []),
    ],
)
def test_contribution_cues_after_an_article_and_the_first(abstract: str, expected: list[tuple[str, str | None, str]]) -> None:
    assert found("A Study", abstract) == expected


def test_a_hyphenated_modifier_ending_in_a_type_word_is_not_the_head() -> None:
    assert type_of("a novel Cross-task Activation Steering Transfer framework that transfers") == "Method"
    assert type_of("a hierarchical multi-agent framework that coordinates agents") == "Method"


@pytest.mark.parametrize(
    ("abstract", "expected"),
    [
        ("Conditioned on the layout, we introduce a SuperVoxelVAE and fine-tune a pretrained model.",
         [("SuperVoxelVAE", "Model", "intro_verb")]),
        ("We curate a multimodal image-text dataset: GutText. This dataset is large.", [("GutText", "Benchmark", "intro_typed")]),
        ("We propose a CNN architecture for images.", []),
    ],
)
def test_a_strong_name_after_an_article(abstract: str, expected: list[tuple[str, str | None, str]]) -> None:
    assert found("A Study", abstract) == expected


def test_capitalised_words_ending_in_a_method_type_word_after_an_article() -> None:
    assert found("A Study", "Then we design a Shape Extractor Module that encodes contours.") == [
        ("Shape Extractor Module", "Method", "intro_verb")]
    # a Model's type word other than ``model`` is as often a part of the method: not taken
    assert found("A Study", "First, we propose a Semantic Query Generator that initializes queries.") == []


def test_a_capitalised_run_ending_in_a_modifier_is_no_name() -> None:
    assert found("A Study", "To fix this, we propose an Optimal Transport-based framework to rebuild pairs.") == []


def test_a_list_of_modifiers_is_read_past_unless_it_lists_types() -> None:
    assert type_of("simple, efficient, and general noise-level optimization approach that") == "Method"
    assert type_of("large-scale, high-quality dataset from") == "Benchmark"
    assert type_of("benchmark, a metric, and a model") == "Benchmark"
