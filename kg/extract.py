"""Entry point of extraction: papers in, :class:`~kg.records.ExtractedPaper` out, streaming.

Each paper becomes one Doc whose text is ``title + "\\n\\n" + abstract`` (newlines inside the
title become spaces, so offsets are kept); the pipeline (:mod:`kg.pipeline`) leaves the paper's
:class:`~kg.records.Entity` and :class:`~kg.records.Relation` records on the Doc, and acronyms the
paper leaves undefined are resolved here, across papers.
"""
from __future__ import annotations

import itertools
import json
import multiprocessing
import os
import sys
from collections import deque
from dataclasses import replace
from concurrent.futures import ProcessPoolExecutor
from typing import TYPE_CHECKING, Iterable, Iterator, Sequence, TextIO

from spacy.language import Language

from kg.atomic import atomic_write
from kg.components.abbreviations import AcronymTable
from kg.components.entities import is_short_form
from kg.components.lexicon import PROPER_TYPES
from kg.components.title import TITLE_SEPARATOR
from kg.records import Entity, ExtractedPaper, Paper, Relation

if TYPE_CHECKING:
    from kg.ingest import IngestReport

DEFAULT_BATCH_SIZE = 64
# A bare acronym takes the long form that at least this many earlier papers defined for it.
ACRONYM_MIN_PAPERS = 2


def paper_text(paper: Paper) -> str:
    """The Doc text of a paper: one-line title, blank line, abstract."""
    title = paper.title.replace("\r", " ").replace("\n", " ")
    return title + TITLE_SEPARATOR + (paper.abstract or "")


def extract_papers(
    papers: Iterable[Paper],
    *,
    nlp: Language | None = None,
    jobs: int = 1,
    batch_size: int = DEFAULT_BATCH_SIZE,
) -> Iterator[ExtractedPaper]:
    """Extract the entities of each paper, in input order, streaming.

    Acronyms a paper uses without defining them are resolved across the corpus: the long form
    earlier papers of the same run defined (:class:`~kg.components.abbreviations.AcronymTable`).

    ``jobs`` > 1 runs the pipeline in that many worker processes (forked, so the pipeline is
    shared, not rebuilt). Each worker sends back only the entity and relation records of a
    batch rather than whole Docs (spaCy's ``n_process`` ships every Doc back, which made two
    processes slower than one), and at most ``2 * jobs`` batches are in flight, so memory stays
    bounded whatever the input size. ``nlp`` defaults to :func:`kg.pipeline.make_pipeline` ().
    """
    if nlp is None:
        from kg.pipeline import make_pipeline

        nlp = make_pipeline()
    batches = batched(papers, batch_size)
    acronyms = AcronymTable(min_count=ACRONYM_MIN_PAPERS)
    if jobs <= 1:
        for batch in batches:
            yield from records(batch, extract_texts(nlp, list(map(paper_text, batch))), acronyms)
        return
    with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork"),
                             initializer=_set_worker_pipeline, initargs=(nlp,)) as pool:
        pending: deque = deque()
        for batch in batches:
            pending.append((batch, pool.submit(_worker_texts, list(map(paper_text, batch)))))
            if len(pending) > 2 * jobs:
                done, future = pending.popleft()
                yield from records(done, future.result(), acronyms)
        while pending:
            done, future = pending.popleft()
            yield from records(done, future.result(), acronyms)


def batched(papers: Iterable[Paper], size: int) -> Iterator[list[Paper]]:
    """Consecutive lists of at most ``size`` papers."""
    iterator = iter(papers)
    while batch := list(itertools.islice(iterator, max(1, size))):
        yield batch


def extract_texts(nlp: Language, texts: list[str]) -> list[tuple[list[Entity], list[Relation]]]:
    """The ``(entities, relations)`` records of each :func:`paper_text` of ``texts``, by running ``nlp``.
    Workers get the texts alone: a paper's other fields (authors, ids, categories) need not cross processes."""
    return [(doc._.kg_entities or [], doc._.kg_relations or []) for doc in nlp.pipe(texts)]


def records(
    batch: list[Paper], found: list[tuple[list[Entity], list[Relation]]], acronyms: AcronymTable
) -> Iterator[ExtractedPaper]:
    """:class:`ExtractedPaper` records from :func:`extract_texts` results, bare acronyms resolved
    with (and definitions added to) the corpus-level ``acronyms`` table, in input order."""
    for paper, (entities, relations) in zip(batch, found):
        # (A name with a space is never a bare acronym: most entities skip the call.)
        resolved = tuple([e if " " in e.name else resolve_acronym(e, acronyms) for e in entities])
        learn_acronyms(entities, acronyms)
        yield ExtractedPaper(paper, resolved, tuple(relations))


def learn_acronyms(entities: Iterable[Entity], acronyms: AcronymTable) -> None:
    """Add each ``long form (SF)`` a paper defined (an entity with a multi-word name and a short-form alias)."""
    for entity in entities:
        if " " in entity.name:
            for alias in entity.aliases:
                if is_short_form(alias):
                    acronyms.add(alias, entity.name)


def resolve_acronym(entity: Entity, acronyms: AcronymTable) -> Entity:
    """An entity known only by an acronym (``LLMs``) renamed to the long form other papers define for it.

    A model or benchmark keeps its own name (guidelines rules 1 and 7: ``CLIP``, ``YOLO``), the long form
    becoming an alias, so that it still links to the papers that spell it out.
    """
    if " " in entity.name or not is_short_form(entity.name) or any(" " in a for a in entity.aliases):
        return entity
    long_form = acronyms.resolve(entity.name)
    if long_form is None:
        return entity
    if entity.type in PROPER_TYPES:
        return replace(entity, aliases=tuple(sorted({*entity.aliases, long_form})))
    return replace(entity, name=long_form, aliases=tuple(sorted({*entity.aliases, entity.name} - {long_form})))


_WORKER_PIPELINE: list[Language] = []


def _set_worker_pipeline(nlp: Language) -> None:
    """Worker initializer: keep the (forked) pipeline for :func:`_worker_texts`."""
    _WORKER_PIPELINE[:] = [nlp]


def _worker_texts(texts: list[str]) -> list[tuple[list[Entity], list[Relation]]]:
    return extract_texts(_WORKER_PIPELINE[0], texts)


def to_json(extracted: ExtractedPaper) -> dict:
    """The ``kg extract`` record of one paper: id, title and entities with their mentions and rule."""
    return {
        "id": extracted.paper.id,
        "title": extracted.paper.title,
        "entities": [
            {
                "name": e.name,
                "type": e.type,
                "aliases": list(e.aliases),
                "proposed": e.proposed,
                "mentions": [
                    {"text": m.text, "field": m.field, "start": m.start, "end": m.end, "sentence": m.sentence}
                    for m in e.mentions
                ],
                "rule": e.rule,
            }
            for e in extracted.entities
        ],
    }


def to_json_line(extracted: ExtractedPaper) -> str:
    """One line of ``kg extract`` output: the :func:`to_json` record, UTF-8 kept, newline-terminated."""
    return json.dumps(to_json(extracted), ensure_ascii=False) + "\n"


def extract_to_jsonl(
    inputs: Sequence[str | os.PathLike],
    out: str | os.PathLike | TextIO | None = None,
    *,
    input_format: str | None = None,
    jobs: int = 1,
    spacy_model: str | None = None,
    report: IngestReport | None = None,
) -> int:
    """Read papers from ``inputs`` (see :func:`kg.ingest.read_papers`), extract them and write one
    :func:`to_json` record a line to ``out`` (a path, written atomically; an open text stream; or
    None for standard output). Returns the number of papers written.
    """
    from kg.ingest import read_papers
    from kg.pipeline import freeze_memory, make_pipeline

    nlp = make_pipeline(spacy_model=spacy_model)
    freeze_memory()
    papers = read_papers(inputs, format=input_format, report=report)
    records = (to_json_line(item) for item in extract_papers(papers, nlp=nlp, jobs=jobs))
    if out is None or hasattr(out, "write"):
        stream = out or sys.stdout
        return sum(1 for line in records if stream.write(line) is not None)
    with atomic_write(out) as handle:
        return sum(1 for line in records if handle.write(line) is not None)
