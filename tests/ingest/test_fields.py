"""The shared field normalisers (pure functions)."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.ingest.fields import RecordError, arxiv_id, authors_from_parsed, clean_text, make_paper, split_authors, split_categories
from kg.records import is_arxiv_id, title_id


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2401.12345", "2401.12345"),
        ("2401.12345v2", "2401.12345"),
        ("arXiv:2305.14314v2", "2305.14314"),
        ("0704.0001", "0704.0001"),
        ("hep-th/9901001v1", "hep-th/9901001"),
        ("math.GT/0309136", "math.GT/0309136"),
        ("http://arxiv.org/abs/1706.03762v7", "1706.03762"),
        ("https://arxiv.org/pdf/2401.12345v3.pdf", "2401.12345"),
        ("https://huggingface.co/papers/2401.04088", "2401.04088"),
        ("b80dd63b92", None),
        ("P-7", None),
        ("https://example.org/paper/1", None),
        (None, None),
        (2401.12345, None),
    ],
)
def test_arxiv_id(value: object, expected: str | None) -> None:
    assert arxiv_id(value) == expected
    assert expected is None or is_arxiv_id(expected)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Mahdi Abavisani, Hamid Reza Vaezi Joze, Vishal M. Patel", ("Mahdi Abavisani", "Hamid Reza Vaezi Joze", "Vishal M. Patel")),
        ("A. Smith and B. Jones", ("A. Smith", "B. Jones")),
        ("Kaiming He; Xiangyu Zhang", ("Kaiming He", "Xiangyu Zhang")),
        ("Peter D. Turney (National Research Council of Canada)", ("Peter D. Turney",)),
        ("A. One (1), B. Two (2) ((1) MIT, (2) CMU)", ("A. One", "B. Two")),
        ("Alexander Anderson", ("Alexander Anderson",)),  # "and" inside a word is not a separator
        ([{"name": "Ada"}, {"name": " Grace  Hopper "}, {"nom": "x"}], ("Ada", "Grace Hopper")),
        (["Zoë", "", "李雷"], ("Zoë", "李雷")),
        (None, ()),
        (42, ()),
    ],
)
def test_split_authors(value: object, expected: tuple[str, ...]) -> None:
    assert split_authors(value) == expected


def test_authors_from_parsed() -> None:
    parsed = [["Yuan", "C. -P.", ""], ["Smith", "", ""], ["Doe", "John", "Jr."], [" Lee ", "Ann\n", ""], [1, "x"], "junk"]
    assert authors_from_parsed(parsed) == ("C. -P. Yuan", "Smith", "John Doe Jr.", "Ann Lee")
    assert authors_from_parsed("Smith") == ()


def test_split_categories() -> None:
    assert split_categories("cs.CV cs.AI cs.HC cs.LG stat.ML 68T45, 62H30 I.5.3; I.2.10") == ("cs.CV", "cs.AI", "cs.HC", "cs.LG", "stat.ML")
    assert split_categories(["hep-th", "cond-mat.stat-mech", "hep-th", 3]) == ("hep-th", "cond-mat.stat-mech")


def test_make_paper_identity_rule() -> None:
    paper = make_paper(title=" A  Title\n", abstract="Text.", source="f", position=3)
    assert (paper.id, paper.title, paper.url) == (title_id("A Title"), "A Title", None)
    from_url = make_paper(title="T", abstract="A.", source="f", position=1, url="https://arxiv.org/abs/2401.00001v2")
    assert (from_url.id, from_url.url) == ("2401.00001", "https://arxiv.org/abs/2401.00001v2")
    given_id = make_paper(title="T", abstract="A.", source="f", position=1, given_id="2401.00001v3")
    assert (given_id.id, given_id.url) == ("2401.00001", "https://arxiv.org/abs/2401.00001")
    with pytest.raises(RecordError, match="no title"):
        make_paper(title="  ", abstract="A.", source="f", position=1)
    with pytest.raises(RecordError, match="no abstract"):
        make_paper(title="T", abstract=None, source="f", position=1)


@given(st.text())
def test_clean_text_is_idempotent_and_has_no_runs(text: str) -> None:
    cleaned = clean_text(text)
    assert clean_text(cleaned) == cleaned
    assert "  " not in cleaned and "\n" not in cleaned and cleaned == cleaned.strip()
