"""Each non-page reader on a small hand-written fixture of its format."""
from __future__ import annotations

from pathlib import Path

from kg.ingest import IngestReport, read_papers
from kg.records import Paper, title_id


def _read(path: Path, **options: str) -> tuple[list[Paper], IngestReport]:
    report = IngestReport()
    return list(read_papers(path, report=report, **options)), report


def test_hf_api(fixtures: Path) -> None:
    papers, report = _read(fixtures / "hf_api.json")
    assert [paper.id for paper in papers] == ["2401.04088", "2402.17764", "2404.19756"]
    mixtral = papers[0]
    assert mixtral.title == "Mixtral of Experts"
    assert mixtral.abstract.startswith("We introduce Mixtral 8x7B") and "\n" not in mixtral.abstract
    assert mixtral.abstract.endswith("(i.e. experts).")  # the inner (full) summary wins over the outer one
    assert mixtral.authors == ("Albert Q. Jiang", "Alexandre Sablayrolles", "Antoine Roux")
    assert (mixtral.author_count, mixtral.upvotes, mixtral.date) == (3, 156, "2024-01-08")
    assert mixtral.url == "https://arxiv.org/abs/2401.04088"
    assert papers[2].title == "KAN: Kolmogorov–Arnold Networks"  # no "paper" wrapper
    assert report.records == {"hf-api": 3}
    assert [str(issue) for issue in report.skipped] == [
        f"{fixtures / 'hf_api.json'}, record 3: no abstract (title 'A Paper Whose Summary Is Missing'); record skipped"
    ]


def test_hf_api_single_object_and_json_lines(tmp_path: Path) -> None:
    single = tmp_path / "one.json"
    single.write_text('{\n  "paper": {"id": "2401.00001v2", "title": "One", "summary": "Only one."}\n}\n', encoding="utf-8")
    assert [paper.id for paper in _read(single)[0]] == ["2401.00001"]
    lines = tmp_path / "items.jsonl"
    lines.write_text(
        '{"paper": {"id": "2401.00001", "title": "One", "summary": "A."}}\n{"paper": {"id": "2401.00002", "title": "Two", "summary": "B."}}\n',
        encoding="utf-8",
    )
    papers, report = _read(lines)
    assert [paper.id for paper in papers] == ["2401.00001", "2401.00002"] and report.records == {"hf-api": 2}


def test_arxiv_atom(fixtures: Path) -> None:
    papers, report = _read(fixtures / "arxiv_atom.xml")
    assert [paper.id for paper in papers] == ["1706.03762", "hep-th/9711200", "1810.04805"]
    attention = papers[0]
    assert attention.title == "Attention Is All You Need"
    assert attention.abstract.startswith("The dominant sequence transduction models") and "\n" not in attention.abstract
    assert attention.authors == ("Ashish Vaswani", "Noam Shazeer", "Łukasz Kaiser")
    assert (attention.date, attention.categories, attention.position) == ("2017-06-12", ("cs.CL", "cs.LG"), 1)
    assert attention.url == "http://arxiv.org/abs/1706.03762v7"
    assert papers[1].categories == ("hep-th",)
    assert papers[2].title == "BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding"
    assert [issue.where for issue in report.skipped] == ["entry 3"]


def test_arxiv_snapshot(fixtures: Path) -> None:
    papers, report = _read(fixtures / "arxiv_snapshot.jsonl")
    assert [paper.id for paper in papers] == ["0704.0001", "cs/0112017", "2501.00002"]
    first = papers[0]
    assert first.title == "Calculation of prompt diphoton production cross sections at Tevatron and LHC energies"
    assert first.abstract == (
        "A fully differential calculation in perturbative quantum chromodynamics is presented for the production"
        " of massive photon pairs at hadron colliders."
    )
    assert first.authors == ("C. Balázs", "E. L. Berger", "P. M. Nadolsky", "C. -P. Yuan")  # from authors_parsed
    assert first.date == "2007-04-02"  # first version, not update_date
    assert papers[1].authors == ("Peter D. Turney",)
    assert papers[1].categories == ("cs.LG", "cs.IR")  # ACM classes dropped
    unicode = papers[2]
    assert unicode.title == "Réseaux de neurones pour la traduction: une étude 🚀"
    assert unicode.authors == ("Zoë Müller", "José Ñúñez", "李雷")
    assert unicode.date == "2025-01-03"  # update_date when there are no versions
    assert report.records == {"arxiv-snapshot": 3} and [issue.where for issue in report.skipped] == ["line 4"]


def test_plain_jsonl(fixtures: Path) -> None:
    papers, report = _read(fixtures / "papers.jsonl")
    ids = [paper.id for paper in papers]
    assert ids[0] == "b80dd63b92"  # a given id is kept (the gold file's ids)
    assert ids[1] == "1512.03385"  # arXiv id found in the url
    assert ids[2] == title_id(papers[2].title)
    assert ids[3] == "2305.14314"  # "arXiv:2305.14314v2" normalised
    assert papers[1].authors == ("Kaiming He", "Xiangyu Zhang", "Shaoqing Ren", "Jian Sun")
    assert papers[1].date == "2015-12-10"
    assert papers[2].abstract.startswith("Un résumé")  # summary accepted as abstract
    assert papers[3].authors == ("Tim Dettmers", "Artidoro Pagnoni", "Ari Holtzman", "Luke Zettlemoyer")
    assert papers[3].upvotes == 12
    assert [str(issue) for issue in report.skipped] == [
        f"{fixtures / 'papers.jsonl'}, line 5: no abstract (title 'A Record Without Abstract'); record skipped"
    ]


def test_csv(fixtures: Path) -> None:
    papers, report = _read(fixtures / "papers.csv")
    assert [paper.id for paper in papers] == ["1406.2661", "P-7", "hep-th/9901001"]
    gan = papers[0]
    assert gan.abstract == "We propose a new framework for estimating generative models via an adversarial process. We simultaneously train two models."
    assert gan.authors == ("Ian Goodfellow", "Jean Pouget-Abadie", "Mehdi Mirza")
    assert (gan.date, gan.position) == ("2014-06-10", 2)
    second = papers[1]
    assert second.title == "Ünïcödé Title: Ça marche, «vraiment»"
    assert second.abstract == 'Résumé: un modèle "quoted" avec virgules, et accents.'
    assert (second.authors, second.date, second.position) == (("Zoë", "Ærø"), "--08-11", 4)
    assert [issue.where for issue in report.skipped] == ["line 5"]


def test_tab_separated(tmp_path: Path) -> None:
    path = tmp_path / "papers.tsv"
    path.write_text("title\tabstract\nA Tab Title\tAn abstract, with a comma.\n", encoding="utf-8")
    papers, _ = _read(path)
    assert [(paper.title, paper.abstract) for paper in papers] == [("A Tab Title", "An abstract, with a comma.")]


def test_folder_reads_everything_sorted_and_skips_hidden(fixtures: Path, tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / ".hidden").mkdir()
    (tmp_path / "b" / "z.jsonl").write_bytes((fixtures / "papers.jsonl").read_bytes())
    (tmp_path / "a.csv").write_bytes((fixtures / "papers.csv").read_bytes())
    (tmp_path / ".secret.jsonl").write_bytes((fixtures / "papers.jsonl").read_bytes())
    (tmp_path / ".hidden" / "x.jsonl").write_bytes((fixtures / "papers.jsonl").read_bytes())
    papers, report = _read(tmp_path)
    assert report.files == [str(tmp_path / "a.csv"), str(tmp_path / "b" / "z.jsonl")]
    assert len(papers) == 3 + 4


def test_forced_format(fixtures: Path) -> None:
    papers, report = _read(fixtures / "arxiv_snapshot.jsonl", format="jsonl")
    assert len(papers) == 3 and report.records == {"jsonl": 3}
