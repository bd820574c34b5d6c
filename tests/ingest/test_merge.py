"""merge_duplicates: one record per paper, the richest metadata field by field, first-seen order."""
from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from kg.ingest import IngestReport, merge_duplicates, read_papers
from kg.records import Paper, title_id


def _paper(title: str, **fields: object) -> Paper:
    values: dict = {"id": title_id(title), "title": title, "abstract": "An abstract.", "source": "s", "position": 1}
    values.update(fields)
    return Paper(**values)


def test_richest_metadata_wins_field_by_field() -> None:
    page = _paper("Mixtral of Experts", date="--01-08", author_count=3, upvotes=5, source="page.txt", position=9)
    truncated = _paper("Mixtral  of experts", abstract="An abstract. Longer, untruncated text.", upvotes=2)
    api = _paper(
        "Mixtral of Experts", id="2401.04088", date="2024-01-08", authors=("A", "B", "C", "D"), author_count=4,
        upvotes=156, url="https://arxiv.org/abs/2401.04088", categories=("cs.LG",),
    )
    atom = _paper("Mixtral of Experts", id="2401.04088", categories=("cs.CL", "cs.LG"), date="2024-01-09")
    (merged,) = merge_duplicates([page, truncated, api, atom])
    assert merged == Paper(
        id="2401.04088", title="Mixtral of Experts", abstract="An abstract. Longer, untruncated text.",
        date="2024-01-08", authors=("A", "B", "C", "D"), author_count=4, upvotes=156,
        url="https://arxiv.org/abs/2401.04088", categories=("cs.LG", "cs.CL"), source="page.txt", position=9,
    )


def test_year_less_date_kept_when_nothing_better() -> None:
    (merged,) = merge_duplicates([_paper("T", date=None), _paper("T", date="--03-25", author_count=2)])
    assert (merged.date, merged.author_count) == ("--03-25", 2)


def test_different_arxiv_ids_with_one_title_stay_apart() -> None:
    first, second = _paper("A Survey", id="2301.00001"), _paper("A Survey", id="2302.00002")
    assert merge_duplicates([first, second]) == [first, second]


def test_title_match_joins_an_arxiv_record_seen_second() -> None:
    report = IngestReport()
    merged = merge_duplicates([_paper("One"), _paper("Two"), _paper("one", id="2401.00001"), _paper("ONE")], report=report)
    assert [(paper.id, paper.title) for paper in merged] == [("2401.00001", "One"), (title_id("Two"), "Two")]
    assert report.merged == 2


def test_seed_merge_keeps_first_seen_order_and_metadata(seeds: Path) -> None:
    papers = list(read_papers(seeds))
    merged = merge_duplicates(papers)
    first_seen: dict[str, int] = {}
    for paper in papers:
        first_seen.setdefault(paper.id, len(first_seen))
    assert [paper.id for paper in merged] == list(first_seen)
    foundation = merged[0]
    assert foundation.title == "Foundation Inference Models for Markov Jump Processes"
    assert (foundation.date, foundation.author_count, foundation.source.endswith("000_84dd5d9ff5e8dbef.txt")) == ("2024-06-10", 5, True)


titles = st.sampled_from(["Alpha Model", "alpha model", "Beta: A Method", "Gamma", "beta a method"])
papers = st.builds(
    lambda title, arxiv, date, upvotes: _paper(title, id=arxiv or title_id(title), date=date, upvotes=upvotes),
    titles,
    st.sampled_from([None, "2401.00001", "2401.00002"]),
    st.sampled_from([None, "--01-02", "2024-01-02"]),
    st.one_of(st.none(), st.integers(0, 100)),
)


@given(st.lists(papers, max_size=12))
def test_merge_is_deterministic_and_idempotent(items: list[Paper]) -> None:
    once = merge_duplicates(items)
    assert merge_duplicates(items) == once
    assert merge_duplicates(once) == once
    assert len({paper.id for paper in once}) == len(once)
    known = [paper.upvotes for paper in items if paper.upvotes is not None]
    if known:
        assert max(known) == max(paper.upvotes for paper in once if paper.upvotes is not None)
