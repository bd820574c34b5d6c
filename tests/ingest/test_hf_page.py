"""The Hugging Face Papers page reader on the five bundled seed pages (all three layouts) and a hand-made page."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from kg.ingest import IngestReport, merge_duplicates, read_papers
from kg.ingest.hf_page import looks_like_abstract, looks_like_title
from kg.records import Paper, title_key

CHROME = {"new", "Subscribe", "Daily Papers", "byAK and the research community", "Get trending papers in your email inbox!",
          "Get trending papers in your email inbox once a day!"}
METADATA = re.compile(r"^(  • \d+ authors|·|[A-Z][a-z]{2} \d{1,2}(, \d{4})?( \d+)?)$")


def _read(path: Path) -> tuple[list[Paper], IngestReport]:
    report = IngestReport()
    return list(read_papers(path, report=report)), report


def _independent_split(path: Path) -> tuple[list[str], list[str]]:
    """Titles and abstracts of a seed page by a different rule than the reader's: length only.

    In the seeds every title is under 150 characters and every abstract over 400, and the
    chrome/metadata lines are a closed set, so this count is easy to defend by eye.
    """
    titles, abstracts = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        text = line.removeprefix("Subscribe") if line.startswith("Subscribe") and line != "Subscribe" else line
        if not text.strip() or text in CHROME or METADATA.match(text):
            continue
        (abstracts if len(text) >= 200 else titles).append(text)
    return titles, abstracts


def test_seed_counts_entries_and_distinct_titles(seeds: Path) -> None:
    papers, report = _read(seeds)
    assert len(papers) == 525
    assert not report.skipped and not report.warnings
    assert len(report.files) == 5
    assert len({title_key(paper.title) for paper in papers}) == 447
    # Exact strings differ once more: "M^3ViT: ..." and "M$^3$ViT: ..." are one title.
    assert len({paper.title for paper in papers}) == 448
    merged = merge_duplicates(papers, report=report)
    assert len(merged) == 447
    assert report.merged == 525 - 447


def test_seed_records_match_an_independent_count(seeds: Path) -> None:
    for path in sorted(seeds.glob("*.txt")):
        titles, abstracts = _independent_split(path)
        papers, _ = _read(path)
        assert [paper.title for paper in papers] == titles, path.name
        assert [paper.abstract for paper in papers] == [" ".join(text.split()) for text in abstracts], path.name
    per_file = [len(_read(path)[0]) for path in sorted(seeds.glob("*.txt"))]
    assert per_file == [34, 80, 69, 197, 145]


def test_layout_a_metadata(seeds: Path) -> None:
    papers, _ = _read(seeds / "000_84dd5d9ff5e8dbef.txt")
    first = papers[0]
    assert first.title == "Foundation Inference Models for Markov Jump Processes"
    assert (first.author_count, first.date, first.upvotes, first.position) == (5, "2024-06-10", None, 13)
    by_title = {paper.title: paper for paper in papers}
    cheaply = by_title["Cheaply Evaluating Inference Efficiency Metrics for Autoregressive Transformer APIs"]
    assert (cheaply.author_count, cheaply.date) == (6, "2023-05-03")
    assert sum(paper.date is not None for paper in papers) == 33  # one record of this page has no metadata
    year_less = [paper for paper in papers if paper.date and paper.date.startswith("--")]
    assert {(paper.date, paper.upvotes) for paper in year_less} >= {("--03-25", 4), ("--08-11", 4), ("--03-19", 3), ("--02-06", None)}
    assert all(not paper.date_has_year for paper in year_less)


def test_layout_b_and_c(seeds: Path) -> None:
    layout_b, _ = _read(seeds / "001_5e913c3770b57bbc.txt")
    assert layout_b[0].title == "Foundation Inference Models for Markov Jump Processes"
    assert all(paper.date is None and paper.author_count is None for paper in layout_b)
    layout_c, _ = _read(seeds / "003_6566f38b44dddbf8.txt")
    assert layout_c[0].title == "Full-Cycle Energy Consumption Benchmark for Low-Carbon Computer Vision"
    assert layout_c[0].abstract.startswith("The energy consumption of deep learning models")
    assert layout_c[-1].title == "Uncertain Evidence in Probabilistic Models and Stochastic Simulators"
    assert "Distill or Annotate? Cost-Efficient Fine-Tuning of Compact Models" in {paper.title for paper in layout_c}


def test_chrome_is_never_a_paper(seeds: Path) -> None:
    papers, _ = _read(seeds)
    titles = {paper.title for paper in papers}
    assert not titles & CHROME
    assert not any(title.startswith("Subscribe") or re.fullmatch(r"[A-Z][a-z]{2} \d{1,2}", title) for title in titles)


def test_ids_are_title_ids_without_arxiv_ids(seeds: Path) -> None:
    papers, _ = _read(seeds / "002_10a3b70c019a2621.txt")
    assert all(re.fullmatch(r"[0-9a-f]{10}", paper.id) for paper in papers)


def test_title_heuristic_on_every_seed_line(seeds: Path) -> None:
    titles, abstracts = [], []
    for path in sorted(seeds.glob("*.txt")):
        page_titles, page_abstracts = _independent_split(path)
        titles += page_titles
        abstracts += page_abstracts
    assert (len(titles), len(abstracts)) == (525, 525)
    assert not any(looks_like_abstract(title) for title in titles)
    assert all(looks_like_abstract(abstract) for abstract in abstracts)
    assert not any(looks_like_title(abstract) for abstract in abstracts)
    # Sentence-case titles over 12 words without a colon are not "clearly" titles; they are still
    # read right because a title is what is expected after an abstract.
    unclear = [title for title in titles if not looks_like_title(title)]
    assert len(unclear) == 4 and all(title[0].isupper() and ": " not in title for title in unclear)


@pytest.mark.parametrize(
    ("line", "title", "abstract"),
    [
        ("KLUE: Korean Language Understanding Evaluation", True, False),
        ("What type of inference is planning?", True, False),
        ("Is That Your Final Answer? Test-Time Scaling Improves Selective Question Answering", True, False),
        ("1-bit AI Infra: Part 1.1, Fast and Lossless BitNet b1.58 Inference on CPUs", True, False),
        ("We propose a method. It works well on three benchmarks.", False, True),
        ("An abstract of one short sentence.", False, True),
        ("we study the problem of learning under noise and show that our approach improves robustness in many realistic settings", False, False),
        ("", False, False),
    ],
)
def test_title_heuristic_cases(line: str, title: bool, abstract: bool) -> None:
    assert looks_like_title(line) is title
    assert looks_like_abstract(line) is abstract


def test_truncated_page_skips_what_has_no_title_or_abstract(fixtures: Path) -> None:
    path = fixtures / "page_truncated.txt"
    papers, report = _read(path)
    assert [(paper.title, paper.date, paper.upvotes, paper.author_count) for paper in papers] == [
        ("Scaling Laws for Precision", "--03-25", 4, 9),
        ("Recurrent Relational Networks", None, None, None),
    ]
    messages = [str(issue) for issue in report.skipped]
    assert messages == [
        f"{path}, line 21: abstract without a title ('We present a method whose title was lost when the page was c'...); record skipped",
        f"{path}, line 27: no abstract (title 'Efficient Localized Inference for Large Graphical Models'); record skipped",
    ]


def test_pages_saved_one_after_another(seeds: Path, tmp_path: Path) -> None:
    page_a = (seeds / "000_84dd5d9ff5e8dbef.txt").read_text(encoding="utf-8")
    page_b = (seeds / "002_10a3b70c019a2621.txt").read_text(encoding="utf-8")
    both = tmp_path / "both.txt"
    both.write_text(page_a + "\n" + page_b, encoding="utf-8")
    papers, report = _read(both)
    assert len(papers) == 34 + 69 and not report.skipped
    last_of_a = papers[33]
    assert last_of_a.date == "2023-09-10"  # the second page's date "Mar 13" is chrome, not this paper's date


def test_subscribe_is_only_cut_when_glued_to_a_title(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_text(
        "Get trending papers in your email inbox!\nSubscribed Attention Heads for Retrieval\n"
        "We study heads. They retrieve.\n",
        encoding="utf-8",
    )
    papers, _ = _read(path)
    assert [paper.title for paper in papers] == ["Subscribed Attention Heads for Retrieval"]
