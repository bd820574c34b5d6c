"""Look-ups: entities by any name, papers of an entity, entities of a paper, entities by type, top-N."""
from __future__ import annotations

import pytest

from kg.graph import UnknownEntityError, UnknownPaperError


@pytest.mark.parametrize("query", ["LoRA", "lora", "LORAs", "Low-Rank Adaptation", "low rank adaptations", "entity:method/lora"])
def test_entity_by_any_alias_case_and_plural(graph, query):
    assert graph.entity(query).node == "entity:method/lora"


def test_unknown_entity_suggests_closest_names(graph):
    with pytest.raises(UnknownEntityError) as caught:
        graph.entity("LoRAA")
    assert caught.value.suggestions[0] == "LoRA"
    assert "did you mean: LoRA" in str(caught.value)
    with pytest.raises(UnknownEntityError) as caught:
        graph.entity("GPT-4")
    assert caught.value.suggestions == ["GPT-3"]
    with pytest.raises(UnknownEntityError) as caught:
        graph.entity("zzzzzz")
    assert caught.value.suggestions == [] and str(caught.value) == "unknown entity 'zzzzzz'"


def test_entity_restricted_to_a_type(graph):
    with pytest.raises(UnknownEntityError):
        graph.entity("LoRA", type="Model")
    with pytest.raises(ValueError, match="unknown entity type 'Gadget'"):
        graph.entity("LoRA", type="Gadget")


def test_papers_of(graph):
    assert graph.papers_of("GPT-3") == ["paper:2305.00003", "paper:2401.00001", "paper:2402.00002"]
    assert graph.papers_of("LoRA", "proposes") == ["paper:2401.00001"]
    assert graph.papers_of("LoRA", "uses") == ["paper:2402.00002"]


def test_entities_of(graph):
    assert graph.entities_of("2401.00001") == ["entity:benchmark/glue", "entity:method/lora", "entity:metric/accuracy", "entity:model/gpt-3"]
    assert graph.entities_of("paper:2401.00001", "proposes") == ["entity:method/lora"]
    with pytest.raises(UnknownPaperError):
        graph.entities_of("9999.99999")


def test_entities_by_type_and_top(graph):
    assert graph.entities_by_type("Model") == [
        ("entity:model/gpt-3", 3), ("entity:model/bert", 1), ("entity:model/mamba", 1), ("entity:model/transformer", 1),
    ]
    assert graph.top("benchmark", 1) == [("entity:benchmark/glue", 3)]
    assert graph.top("Task") == []


def test_paper_attributes(graph):
    assert graph.paper("p4")["date"] == "--06-10"
    with pytest.raises(UnknownPaperError):
        graph.paper("nope")
