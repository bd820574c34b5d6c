"""The evidence side store: one compact, compressed record per paper, kept out of the graph's hot path.

Evidence (sentences, offsets, rules) is most of the bytes of an extraction but is read only by
exports and by people inspecting one link. So the graph keeps edges attribute-free and stores,
per paper, one zlib-compressed JSON record keyed by entity *name keys* (``(type, name_key)``),
which never change when entity nodes merge or are renamed. Sentences are stored once per paper
and referenced by index from each mention.

Record layout (JSON, lists only, so that it is also the on-disk form in saved graphs)::

    {"entities": [[type, key, relation, rule, confidence, [[field, start, end, sentence_index, text], ...]], ...],
     "sentences": [sentence, ...],
     "relations": [[subject_type, subject_key, predicate, object_type, object_key, sentence, rule], ...]}
"""
from __future__ import annotations

import json
import zlib
from typing import Iterator

from kg.records import ExtractedPaper

EntityLink = tuple[str, str, str]  # (type, name key, relation)
Statement = tuple[str, str, str, str, str]  # (subject type, subject key, predicate, object type, object key)


def evidence_record(item: ExtractedPaper, links: list[EntityLink], statements: list[tuple[Statement, str, str]]) -> dict:
    """The evidence record of one paper: ``links[i]`` belongs to ``item.entities[i]``; statements carry (sentence, rule).

    >>> from kg.records import Entity, ExtractedPaper, Mention, Paper
    >>> m = Mention("BERT", "abstract", 4, 8, "Use BERT.")
    >>> item = ExtractedPaper(Paper("p1", "T", "Use BERT."), (Entity("BERT", "Model", mentions=(m,), rule="lexicon"),))
    >>> evidence_record(item, [("Model", "bert", "uses")], [])
    {'entities': [['Model', 'bert', 'uses', 'lexicon', 1.0, [['abstract', 4, 8, 0, 'BERT']]]], 'sentences': ['Use BERT.'], 'relations': []}
    """
    sentences: dict[str, int] = {}
    entities = []
    for entity, (type_, key, relation) in zip(item.entities, links):
        mentions = [
            [m.field, m.start, m.end, sentences.setdefault(m.sentence, len(sentences)), m.text] for m in entity.mentions
        ]
        entities.append([type_, key, relation, entity.rule, entity.confidence, mentions])
    relations = [[*statement, sentence, rule] for statement, sentence, rule in statements]
    return {"entities": entities, "sentences": list(sentences), "relations": relations}


def pack(record: dict) -> bytes:
    """Compress a record for the in-memory store (level 1: twice as fast as the default for a few % more bytes)."""
    return pack_text(json.dumps(record, ensure_ascii=False, separators=(",", ":")))


def pack_text(text: str) -> bytes:
    """Compress a record already serialised as compact JSON."""
    return zlib.compress(text.encode("utf-8"), 1)


def unpack_text(blob: bytes) -> str:
    """The compact JSON text of a packed record."""
    return zlib.decompress(blob).decode("utf-8")


def unpack(blob: bytes) -> dict:
    """The record stored by ``pack``."""
    return json.loads(zlib.decompress(blob))


def record_links(record: dict) -> Iterator[EntityLink]:
    """The (type, name key, relation) of each entity link in a record."""
    for type_, key, relation, *_ in record["entities"]:
        yield type_, key, relation


def mention_evidence(record: dict, keys: set[tuple[str, str]], relation: str) -> list[dict]:
    """Evidence dicts of the links to any of ``keys`` (one merged entity) under ``relation``, in extraction order."""
    sentences = record["sentences"]
    return [
        {"field": field, "start": start, "end": end, "sentence": sentences[index], "text": text, "rule": rule, "confidence": confidence}
        for type_, key, link_relation, rule, confidence, mentions in record["entities"]
        if link_relation == relation and (type_, key) in keys
        for field, start, end, index, text in mentions
    ]


def statement_evidence(record: dict, paper_id: str, pairs: set[tuple[tuple[str, str], tuple[str, str]]], predicate: str) -> list[dict]:
    """Evidence dicts of the statements of one paper whose (subject key, object key) is in ``pairs``."""
    return [
        {"paper": paper_id, "sentence": sentence, "rule": rule}
        for s_type, s_key, pred, o_type, o_key, sentence, rule in record["relations"]
        if pred == predicate and ((s_type, s_key), (o_type, o_key)) in pairs
    ]
