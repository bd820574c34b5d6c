"""Hand-made extracted papers whose graph answers are worked out by hand in the tests.

Six papers (N = 6):

======  ==========  ==================================================================
paper   date        entities (relation)
======  ==========  ==================================================================
P1      2024-01-15  LoRA (proposes, alias "Low-Rank Adaptation"), GPT-3, GLUE, Accuracy
P2      2024-02-20  Low-Rank Adaptation (Method), GPT-3, SQuAD
P3      2023-05-01  GPT-3, GLUE, Accuracy, Transformer (Model)
P4      --06-10     Transformer (Method), GLUE
P5      None        BERT, SQuAD
P6      2023-11-02  Mamba
======  ==========  ==================================================================

Papers per entity: LoRA 2 (P1, P2: merged by alias), GPT-3 3, GLUE 3, Accuracy 2, SQuAD 2,
Transformer/Model 1, Transformer/Method 1, BERT 1, Mamba 1.
Relations: LoRA outperforms GPT-3 (P1, and P2 as "Low-Rank Adaptation"), GPT-3 variantOf
Transformer/Model (P3), BERT variantOf Transformer (P5: ignored, Transformer is not in P5).
"""
from __future__ import annotations

import pytest

from kg.graph import KnowledgeGraph
from kg.records import Entity, ExtractedPaper, Mention, Paper, Relation

P1_TITLE = "LoRA: Low-Rank Adaptation of Large Language Models"
P1_SENTENCE = "LoRA outperforms GPT-3 fine-tuning on GLUE in accuracy."


def _m(text: str, sentence: str, field: str = "abstract") -> tuple[Mention, ...]:
    start = sentence.index(text)
    return (Mention(text, field, start, start + len(text), sentence),)


def fixture_papers() -> list[ExtractedPaper]:
    """The six papers of the module docstring, in id-unrelated order."""
    p1 = ExtractedPaper(
        Paper("2401.00001", P1_TITLE, "...", "2024-01-15", ("Edward Hu",), 1, 12, "https://arxiv.org/abs/2401.00001"),
        (
            Entity("LoRA", "Method", ("Low-Rank Adaptation",), True, _m("LoRA", P1_TITLE, "title") + _m("LoRA", P1_SENTENCE), "proposal", 0.9),
            Entity("GPT-3", "Model", (), False, _m("GPT-3", P1_SENTENCE), "lexicon", 1.0),
            Entity("GLUE", "Benchmark", (), False, _m("GLUE", P1_SENTENCE), "lexicon", 1.0),
            Entity("Accuracy", "Metric", (), False, _m("accuracy", P1_SENTENCE), "lexicon", 1.0),
        ),
        (Relation("LoRA", "Method", "outperforms", "GPT-3", "Model", P1_SENTENCE, "outperform-pattern"),),
    )
    p2_sentence = "Low-Rank Adaptation beats full GPT-3 tuning on SQuAD."
    p2 = ExtractedPaper(
        Paper("2402.00002", "Adapters revisited", "...", "2024-02-20"),
        (
            Entity("Low-Rank Adaptation", "Method", (), False, _m("Low-Rank Adaptation", p2_sentence), "lexicon", 1.0),
            Entity("GPT-3", "Model", (), False, _m("GPT-3", p2_sentence), "lexicon", 1.0),
            Entity("SQuAD", "Benchmark", (), False, _m("SQuAD", p2_sentence), "lexicon", 1.0),
        ),
        (Relation("Low-Rank Adaptation", "Method", "outperforms", "GPT-3", "Model", p2_sentence, "outperform-pattern"),),
    )
    p3 = ExtractedPaper(
        Paper("2305.00003", "Scaling GPT-3", "...", "2023-05-01"),
        (
            Entity("GPT-3", "Model"),
            Entity("GLUE", "Benchmark"),
            Entity("Accuracy", "Metric"),
            Entity("Transformer", "Model"),
        ),
        (Relation("GPT-3", "Model", "variantOf", "Transformer", "Model", "GPT-3 is a Transformer.", "variant-pattern"),),
    )
    p4 = ExtractedPaper(Paper("p4", "Transformers on GLUE", "...", "--06-10"), (Entity("Transformer", "Method"), Entity("GLUE", "Benchmark")))
    p5 = ExtractedPaper(
        Paper("p5", "BERT on SQuAD", "..."),
        (Entity("BERT", "Model"), Entity("SQuAD", "Benchmark")),
        (Relation("BERT", "Model", "variantOf", "Transformer", "Model", "BERT is a Transformer.", "variant-pattern"),),
    )
    p6 = ExtractedPaper(Paper("p6", "Mamba", "...", "2023-11-02"), (Entity("Mamba", "Model", proposed=True),))
    return [p3, p1, p5, p2, p6, p4]


@pytest.fixture()
def papers() -> list[ExtractedPaper]:
    return fixture_papers()


@pytest.fixture()
def graph(papers) -> KnowledgeGraph:
    return KnowledgeGraph.from_extracted(papers)


@pytest.fixture()
def saved_graph(graph, tmp_path):
    path = tmp_path / "graph.kg.json.gz"
    graph.save(path)
    return path
