"""Fixtures for the extraction tests: a small hand-written lexicon and pipelines built on it."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.pipeline import make_pipeline

LEXICON = {
    "models.jsonl": [
        {"name": "GPT-4", "type": "Model", "aliases": ["GPT4"]},
        {"name": "Whisper", "type": "Model", "aliases": []},
        {"name": "LLaMA-2", "type": "Model", "aliases": ["Llama 2"]},
    ],
    "benchmarks.jsonl": [
        {"name": "MMLU", "type": "Benchmark", "aliases": []},
        {"name": "ImageNet", "type": "Benchmark", "aliases": []},
    ],
    "methods.jsonl": [
        {"name": "large language model", "type": "Method", "aliases": ["LLM", "LLMs"]},
        {"name": "quantization", "type": "Method", "aliases": []},
        {"name": "vector quantization", "type": "Method", "aliases": []},
        {"name": "product quantization", "type": "Method", "aliases": []},
        {"name": "low-rank adaptation", "type": "Method", "aliases": ["LoRA"]},
        {"name": "speculative decoding", "type": "Method", "aliases": []},
        {"name": "knowledge distillation", "type": "Method", "aliases": []},
        {"name": "beam search", "type": "Method", "aliases": []},
        {"name": "diffusion model", "type": "Method", "aliases": []},
    ],
    "metrics.jsonl": [
        {"name": "accuracy", "type": "Metric", "aliases": []},
        {"name": "latency", "type": "Metric", "aliases": []},
        {"name": "word error rate", "type": "Metric", "aliases": ["WER"]},
    ],
    "tasks.jsonl": [
        {"name": "question answering", "type": "Task", "aliases": ["QA"]},
        {"name": "image classification", "type": "Task", "aliases": []},
    ],
}


def write_lexicon(folder: Path, files: dict[str, list[dict]]) -> Path:
    """Write ``files`` (name -> records) as JSON Lines into ``folder``; return it."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, records in files.items():
        (folder / name).write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def make_lexicon():
    """:func:`write_lexicon`, for tests that need their own lexicon folder."""
    return write_lexicon


@pytest.fixture(scope="session")
def lexicon_dir(tmp_path_factory) -> Path:
    """A small hand-written lexicon folder (the packaged one keeps growing; tests pin their own)."""
    return write_lexicon(tmp_path_factory.mktemp("lexicon"), LEXICON)


@pytest.fixture(scope="session")
def nlp(lexicon_dir):
    """The default pipeline on the hand-written lexicon."""
    return make_pipeline(lexicon_dir=lexicon_dir)


@pytest.fixture(scope="session")
def default_nlp():
    """The default pipeline on the packaged lexicons."""
    return make_pipeline()
