"""Hand-made graphs for the view tests: every node type, relation, alias and hostile string is known by hand."""
from __future__ import annotations

import pytest

from kg.graph import KnowledgeGraph
from kg.records import Entity, ExtractedPaper, Mention, Paper, Relation

XSS_TITLE = "<img src=x onerror=\"window.__xss=1\">"
SCRIPT_NAME = "</script><script>window.__xss=2</script>"


def entity(name: str, type_: str, sentence: str, *, aliases: tuple[str, ...] = (), proposed: bool = False) -> Entity:
    return Entity(
        name=name, type=type_, aliases=aliases, proposed=proposed,
        mentions=(Mention(text=name, field="abstract", start=0, end=len(name), sentence=sentence),),
        rule="test", confidence=0.9,
    )


def paper(pid: str, title: str, **extra) -> Paper:
    return Paper(id=pid, title=title, abstract=title + ".", **extra)


def toy_records() -> list[ExtractedPaper]:
    gpt4 = lambda s: entity("GPT-4", "Model", s, aliases=("GPT4", "gpt-4 model"))  # noqa: E731
    llama = lambda s: entity("LLaMA-2", "Model", s, aliases=("Llama 2",))  # noqa: E731
    mmlu = lambda s: entity("MMLU", "Benchmark", s, aliases=("Massive Multitask Language Understanding",))  # noqa: E731
    acc = lambda s: entity("accuracy", "Metric", s)  # noqa: E731
    qa = lambda s: entity("question answering", "Task", s, aliases=("QA",))  # noqa: E731
    lora = lambda s: entity("LoRA", "Method", s, aliases=("low-rank adaptation",))  # noqa: E731
    return [
        ExtractedPaper(
            paper("2401.00001", "Scaling LoRA for GPT-4", date="2024-01-02", authors=("Ada Lovelace", "Alan Turing"),
                  author_count=2, url="https://arxiv.org/abs/2401.00001", upvotes=12),
            entities=(gpt4("We fine-tune GPT-4 with LoRA."), lora("We fine-tune GPT-4 with LoRA."),
                      mmlu("GPT-4 reaches 90% accuracy on MMLU."), acc("GPT-4 reaches 90% accuracy on MMLU.")),
            relations=(Relation("GPT-4", "Model", "outperforms", "LLaMA-2", "Model", "GPT-4 beats LLaMA-2."),),
        ),
        ExtractedPaper(
            paper("2401.00002", "LLaMA-2 on MMLU", date="--03-04", author_count=7),
            entities=(llama("LLaMA-2 is evaluated on MMLU."), mmlu("LLaMA-2 is evaluated on MMLU."),
                      gpt4("LLaMA-2 is compared with GPT-4."), qa("We study question answering.")),
            relations=(Relation("LLaMA-2", "Model", "comparedWith", "GPT-4", "Model", "LLaMA-2 is compared with GPT-4."),),
        ),
        ExtractedPaper(
            paper("2401.00003", "QLoRA: efficient finetuning", date="2024-02-10", authors=("Tim D",),
                  url="javascript:alert(1)"),
            entities=(entity("QLoRA", "Method", "We propose QLoRA, a variant of LoRA.", proposed=True),
                      lora("We propose QLoRA, a variant of LoRA."), gpt4("Compared with GPT-4."),
                      acc("accuracy improves"), qa("question answering results")),
            relations=(Relation("QLoRA", "Method", "variantOf", "LoRA", "Method", "QLoRA is a variant of LoRA."),),
        ),
        ExtractedPaper(
            paper("2401.00004", XSS_TITLE, date="2024-05-06", authors=("Mallory <b>Evil</b>",)),
            entities=(entity(SCRIPT_NAME, "Task", "a </script><!-- sentence \u2028 with separators \u2029"),
                      gpt4("GPT-4 again.")),
        ),
        ExtractedPaper(paper("2401.00005", "A paper with no entities at all")),
    ]


@pytest.fixture
def toy_graph() -> KnowledgeGraph:
    """Five hand-made papers: every node type, aliases, entity relations, hostile strings, a paper with no entity."""
    return KnowledgeGraph.from_extracted(toy_records())


def chain_records(papers: int) -> list[ExtractedPaper]:
    """``papers`` papers, each mentioning its own two entities and one shared with the next paper: a long, known graph."""
    def ent(name: str, type_: str) -> Entity:
        return entity(name, type_, f"We use {name}.")
    return [
        ExtractedPaper(
            paper(f"2501.{i:05d}", f"Paper {i}"),
            entities=(ent(f"model-{i}", "Model"), ent(f"metric-{i}", "Metric"),
                      ent(f"shared-{i // 2}", "Method"), ent("Transformer", "Method")),
        )
        for i in range(papers)
    ]


@pytest.fixture(scope="session")
def large_graph() -> KnowledgeGraph:
    """Above the size where the page gets a precomputed layout (LARGE_GRAPH): 400 papers, 1,201 entities."""
    return KnowledgeGraph.from_extracted(chain_records(400))
