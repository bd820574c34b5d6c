"""A small hand-made graph with known answers, and its exports, shared by the rdf tests."""
from __future__ import annotations

from pathlib import Path

import pytest

from kg.export.rdf import write_rdf
from kg.graph import KnowledgeGraph
from kg.records import Entity, ExtractedPaper, Mention, Paper, Relation

TRICKY = 'A "quoted" title\nwith <script>alert(1)</script>, a back\\slash and ünïcödé 模型'
WEIRD_MODEL = '"Quoted" <script> / Net'


def _entity(name: str, type_: str, sentence: str, *, proposed: bool = False, aliases: tuple[str, ...] = ()) -> Entity:
    start = max(sentence.find(name), 0)
    mention = Mention(text=name, field="abstract", start=start, end=start + len(name), sentence=sentence)
    return Entity(name=name, type=type_, aliases=aliases, proposed=proposed, mentions=(mention,), rule="lexicon", confidence=0.9)


def sample_papers() -> list[ExtractedPaper]:
    s1 = "We propose SuperNet, beating GPT-4 on MMLU accuracy for question answering."
    s2 = "FastTune lets Llama 2 outperform GPT-4 on MMLU and GSM8K accuracy in question answering."
    s3 = f"{WEIRD_MODEL} reaches 80 F1 on MMLU for machine translation."
    s4 = "We study GPT-4 with Ωmega Net."
    return [
        ExtractedPaper(
            Paper(id="2401.00001", title=TRICKY, abstract=s1, date="2024-01-10", authors=("Ada Lovelace", "Alan Turing"),
                  author_count=2, upvotes=5, url="https://arxiv.org/abs/2401.00001"),
            (
                _entity("SuperNet", "Method", s1, proposed=True),
                _entity("GPT-4", "Model", s1, aliases=("GPT4",)),
                _entity("MMLU", "Benchmark", s1),
                _entity("accuracy", "Metric", s1),
                _entity("question answering", "Task", s1, aliases=("QA",)),
            ),
        ),
        ExtractedPaper(
            Paper(id="2402.00002", title="FastTune", abstract=s2, date="2024-02-15", author_count=3),
            (
                _entity("FastTune", "Method", s2, proposed=True),
                _entity("Llama 2", "Model", s2),
                _entity("GPT-4", "Model", s2),
                _entity("MMLU", "Benchmark", s2),
                _entity("GSM8K", "Benchmark", s2),
                _entity("accuracy", "Metric", s2),
                _entity("question answering", "Task", s2),
            ),
            (Relation("Llama 2", "Model", "outperforms", "GPT-4", "Model", sentence=s2, rule="outperform-pattern"),),
        ),
        ExtractedPaper(
            Paper(id="cs.CL/0401001", title="Old-style id", abstract=s3, date="--03-05", url="https://example.org/a b?x=<1>"),
            (
                _entity(WEIRD_MODEL, "Model", s3, proposed=True),
                _entity("MMLU", "Benchmark", s3),
                _entity("F1", "Metric", s3),
                _entity("machine translation", "Task", s3),
            ),
        ),
        ExtractedPaper(
            Paper(id="abc123def0", title="No date", abstract=s4),
            (_entity("GPT-4", "Model", s4), _entity("Ωmega Net", "Method", s4)),
        ),
    ]


@pytest.fixture(scope="session")
def sample_graph() -> KnowledgeGraph:
    return KnowledgeGraph.from_extracted(sample_papers())


@pytest.fixture(scope="session")
def exports(sample_graph, tmp_path_factory) -> dict[str, Path]:
    return write_rdf(sample_graph, tmp_path_factory.mktemp("exports"))
