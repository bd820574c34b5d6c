"""Merging the same paper seen more than once (within or across inputs) into one record.

Two records are the same paper when they share an id, or when their normalised titles
(:func:`kg.records.title_key`) are equal, unless both carry different arXiv ids (two
papers can share a title). The merged record keeps the richest value field by field:
the arXiv id, a full date over a year-less one, the longest abstract (pages truncate
some), the longest author list (its length then is the author count), the highest
upvote count, the first URL, the union of categories, and the first record's title,
source and position. Output is in first-seen order; the result depends only on the
input order, never on hashing.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from kg.records import Paper, is_arxiv_id, title_key

from .report import IngestReport


def _better_date(old: str | None, new: str | None) -> str | None:
    if old is None or (new is not None and not old[:1].isdigit() and new[:1].isdigit()):
        return new
    return old


def merge_pair(first: Paper, second: Paper) -> Paper:
    """The richer combination of two records of one paper; ``first`` wins ties (pure)."""
    paper_id = first.id if is_arxiv_id(first.id) or not is_arxiv_id(second.id) else second.id
    authors = second.authors if len(second.authors) > len(first.authors) else first.authors
    counts = [count for count in (first.author_count, second.author_count) if count is not None]
    upvotes = [count for count in (first.upvotes, second.upvotes) if count is not None]
    return replace(
        first,
        id=paper_id,
        abstract=second.abstract if len(second.abstract) > len(first.abstract) else first.abstract,
        date=_better_date(first.date, second.date),
        authors=authors,
        author_count=len(authors) if authors else (counts[0] if counts else None),
        upvotes=max(upvotes) if upvotes else None,
        url=first.url or second.url,
        categories=tuple(dict.fromkeys(first.categories + second.categories)),
    )


def merge_duplicates(papers: Iterable[Paper], *, report: IngestReport | None = None) -> list[Paper]:
    """One record per distinct paper, in first-seen order (see the module docstring for the rules).

    ``report.merged`` is increased by the number of records folded into an earlier one.
    """
    merged: list[Paper] = []
    by_id: dict[str, int] = {}
    by_title: dict[str, int] = {}
    seen = 0
    for paper in papers:
        seen += 1
        key = title_key(paper.title)
        index = by_id.get(paper.id)
        if index is None and key in by_title:
            index = by_title[key]
            other = merged[index].id
            if is_arxiv_id(paper.id) and is_arxiv_id(other) and paper.id != other:
                index = None
        if index is None:
            index = len(merged)
            merged.append(paper)
        else:
            merged[index] = merge_pair(merged[index], paper)
        by_id.setdefault(merged[index].id, index)
        by_id.setdefault(paper.id, index)
        if key:
            by_title.setdefault(key, index)
    if report is not None:
        report.merged += seen - len(merged)
    return merged
