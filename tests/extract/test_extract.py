"""The extraction API: streaming, JSON records, determinism, and real multi-processing."""
from __future__ import annotations

import json
import os

from spacy.language import Language

from kg.components.abbreviations import AcronymTable
from kg.extract import extract_papers, paper_text, resolve_acronym, to_json
from kg.pipeline import make_pipeline
from kg.records import Entity, Paper

PAPERS = [
    Paper(id=f"p{i}", title=f"Paper {i}: GPT-4 quantization", abstract="We evaluate LLaMA-2 on MMLU with LoRA and report accuracy.")
    for i in range(12)
]


@Language.component("test_record_pid")
def record_pid(doc):
    """Test-only: leave the worker's process id as an extra entity, to see which process ran the doc."""
    doc._.kg_entities = [*doc._.kg_entities, Entity(str(os.getpid()), "Model", rule="pid")]
    return doc


def test_to_json_has_exactly_the_record_fields(nlp):
    [record] = [to_json(x) for x in extract_papers(PAPERS[:1], nlp=nlp)]
    assert list(record) == ["id", "title", "entities"] and record["id"] == "p0"
    entity = record["entities"][0]
    assert list(entity) == ["name", "type", "aliases", "proposed", "mentions", "rule"]
    assert list(entity["mentions"][0]) == ["text", "field", "start", "end", "sentence"]
    assert {e["name"] for e in record["entities"]} >= {"GPT-4", "quantization", "LLaMA-2", "MMLU", "low-rank adaptation", "accuracy"}
    json.dumps(record)


def test_output_is_deterministic_and_in_input_order(nlp):
    first = [to_json(x) for x in extract_papers(PAPERS, nlp=nlp)]
    second = [to_json(x) for x in extract_papers(iter(PAPERS), nlp=nlp, batch_size=5)]
    assert first == second and [r["id"] for r in first] == [p.id for p in PAPERS]


def test_jobs_uses_that_many_processes_and_gives_the_same_records(lexicon_dir):
    nlp = make_pipeline(lexicon_dir=lexicon_dir)
    serial = [to_json(x) for x in extract_papers(PAPERS, nlp=nlp)]
    nlp.add_pipe("test_record_pid")
    items = list(extract_papers(PAPERS, nlp=nlp, jobs=2, batch_size=2))
    pids = {e.name for item in items for e in item.entities if e.rule == "pid"}
    assert len(pids) == 2 and str(os.getpid()) not in pids
    parallel = [to_json(x) for x in items]
    for record in parallel:
        record["entities"] = [e for e in record["entities"] if e["rule"] != "pid"]
    assert parallel == serial
    assert all(item.relations is not None for item in items)


def test_paper_text_keeps_title_offsets():
    paper = Paper(id="x", title="Line one\nline two", abstract="Body.")
    assert paper_text(paper) == "Line one line two\n\nBody."


def test_bare_acronym_takes_the_long_form_other_papers_define(nlp):
    defining = [Paper(id=f"d{i}", title=f"Paper {i}", abstract="Sparse Mixture Routers (SMRs) are fast. SMRs scale.")
                for i in range(2)]
    bare = Paper(id="b", title="On SMRs", abstract="We study SMRs at scale.")
    *_, last = extract_papers([*defining, bare], nlp=nlp)
    names = {e.name: e for e in last.entities}
    assert "Sparse Mixture Routers" in names and "SMRs" in names["Sparse Mixture Routers"].aliases
    [alone] = extract_papers([bare], nlp=nlp)
    assert "SMRs" in {e.name for e in alone.entities}


def test_bare_model_acronym_keeps_its_name_and_gains_the_long_form_as_alias():
    table = AcronymTable(min_count=1)
    table.add_pairs([("CLIP", "contrastive language-image pre-training"), ("SMRs", "sparse mixture router")])
    clip = resolve_acronym(Entity("CLIP", "Model"), table)
    assert (clip.name, clip.aliases) == ("CLIP", ("contrastive language-image pre-training",))
    method = resolve_acronym(Entity("SMRs", "Method"), table)
    assert (method.name, method.aliases) == ("sparse mixture router", ("SMRs",))


def test_docs_leave_the_pipeline_as_serialisable_records(nlp):
    import pickle

    from spacy.tokens import Doc

    doc = nlp(paper_text(PAPERS[0]))
    assert all(isinstance(e, Entity) for e in doc._.kg_entities) and doc._.kg_entities
    copy = Doc(nlp.vocab).from_bytes(doc.to_bytes())  # msgpack, as nlp.pipe(n_process=N) ships Docs
    assert copy._.kg_entities == doc._.kg_entities and copy._.kg_relations == doc._.kg_relations
    assert pickle.loads(pickle.dumps(doc._.kg_entities)) == doc._.kg_entities
    assert "kg_text" not in copy.user_data and copy._.kg_candidates is None


def test_entity_names_lose_latex_markup():
    from kg.components.entities import clean_names

    assert clean_names("Claude Sonnet~4.5", ("\\emph{CS}",)) == ("Claude Sonnet 4.5", ("CS",))
    assert clean_names("\\textbf{X}", ("X",)) == ("X", ())
    assert clean_names("GPT-4", ("GPT4",)) == ("GPT-4", ("GPT4",))


def test_records_built_fast_are_still_frozen_dataclasses():
    import dataclasses
    import pickle

    from kg.records import Mention

    mention = Mention("GPT-4", "title", 0, 5, sentence="GPT-4 wins.")
    entity = Entity("GPT-4", "Model", mentions=(mention,))
    assert (entity.aliases, entity.proposed, entity.rule, entity.confidence) == ((), False, "", 1.0)
    assert dataclasses.replace(entity, name="GPT4").name == "GPT4" and pickle.loads(pickle.dumps(entity)) == entity
    try:
        entity.name = "x"
    except dataclasses.FrozenInstanceError:
        pass
    else:
        raise AssertionError("records must stay frozen")
