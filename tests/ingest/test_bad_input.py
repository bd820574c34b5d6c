"""Bad input: each problem is one warning naming the file and line/record; the good neighbours survive."""
from __future__ import annotations

import gzip
import logging
from pathlib import Path

import pytest

from kg.ingest import IngestReport, read_papers
from kg.records import Paper

GOOD_A = '{"id": "2401.00001", "title": "Good Paper A", "abstract": "First good abstract."}'
GOOD_B = '{"id": "2401.00002", "title": "Good Paper B", "abstract": "Second good abstract."}'


def _read(path: Path, **options: str) -> tuple[list[Paper], IngestReport]:
    report = IngestReport()
    return list(read_papers(path, report=report, **options)), report


def _messages(report: IngestReport) -> list[str]:
    return [str(issue) for issue in report.skipped + report.warnings]


def test_malformed_json_line(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "papers.jsonl"
    path.write_text(f'{GOOD_A}\n{{"title": "Broken", "abstract": \n\n{GOOD_B}\n[1, 2]\n', encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="kg.ingest"):
        papers, report = _read(path)
    assert [paper.id for paper in papers] == ["2401.00001", "2401.00002"]
    assert [paper.position for paper in papers] == [1, 4]
    assert _messages(report) == [
        f"{path}, line 2: invalid JSON (Expecting value, column 33); record skipped",
        f"{path}, line 5: expected an object, got list; record skipped",
    ]
    assert [record.getMessage() for record in caplog.records] == _messages(report)


def test_missing_title_and_abstract(tmp_path: Path) -> None:
    path = tmp_path / "papers.jsonl"
    path.write_text(f'{GOOD_A}\n{{"abstract": "No title here."}}\n{{"title": "No Abstract"}}\n{GOOD_B}\n', encoding="utf-8")
    papers, report = _read(path)
    assert len(papers) == 2
    assert _messages(report) == [
        f"{path}, line 2: no title; record skipped",
        f"{path}, line 3: no abstract (title 'No Abstract'); record skipped",
    ]


def test_empty_and_binary_files(tmp_path: Path, fixtures: Path) -> None:
    (tmp_path / "a_empty.jsonl").write_bytes(b"")
    (tmp_path / "b_blank.txt").write_bytes(b"\n  \n")
    (tmp_path / "c_image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (tmp_path / "d_good.jsonl").write_bytes((fixtures / "papers.jsonl").read_bytes())
    papers, report = _read(tmp_path)
    assert len(papers) == 4
    assert report.files == [str(tmp_path / "d_good.jsonl")]
    assert [str(issue) for issue in report.warnings] == [
        f"{tmp_path / 'a_empty.jsonl'}: empty file; nothing read",
        f"{tmp_path / 'b_blank.txt'}: empty file; nothing read",
        f"{tmp_path / 'c_image.png'}: binary content, not a paper source; file skipped",
    ]


def test_text_that_is_not_utf8_keeps_every_record(tmp_path: Path) -> None:
    path = tmp_path / "papers.jsonl"
    latin1 = '{"title": "Café Networks", "abstract": "Résumé in Latin-1."}'.encode("latin-1")
    path.write_bytes(GOOD_A.encode() + b"\n" + latin1 + b"\n" + GOOD_B.encode() + b"\n")
    papers, report = _read(path)
    assert [paper.title for paper in papers] == ["Good Paper A", "Caf\ufffd Networks", "Good Paper B"]
    assert _messages(report) == [f"{path}, line 2: not valid UTF-8 (byte 0xe9 at column 15); bad bytes replaced by U+FFFD"]


def test_page_with_bad_bytes(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_bytes(
        b"First Title Here\n\nAn abstract that is fine. It has two sentences.\n\n"
        b"Second \xff Title\n\nAnother abstract, also fine. Really.\n"
    )
    papers, report = _read(path)
    assert [paper.title for paper in papers] == ["First Title Here", "Second \ufffd Title"]
    assert [issue.where for issue in report.warnings] == ["line 5"]


def test_truncated_gzip_keeps_what_was_read(tmp_path: Path) -> None:
    lines = "".join(f'{{"title": "Paper {n}", "abstract": "Abstract number {n}."}}\n' for n in range(2000))
    packed = gzip.compress(lines.encode())
    path = tmp_path / "big.jsonl.gz"
    path.write_bytes(packed[: len(packed) // 2])
    papers, report = _read(path)
    assert 100 < len(papers) < 2000
    assert [paper.title for paper in papers] == [f"Paper {n}" for n in range(len(papers))]
    (issue,) = report.warnings
    assert issue.source == str(path) and issue.where.startswith("after line ")
    assert "input ends early (EOFError" in issue.message


def test_gzip_truncated_inside_the_first_block(tmp_path: Path) -> None:
    path = tmp_path / "small.gz"
    path.write_bytes(gzip.compress(f"{GOOD_A}\n{GOOD_B}\n".encode())[:-8])  # all data, no CRC/size trailer
    papers, report = _read(path)
    assert [paper.id for paper in papers] == ["2401.00001", "2401.00002"]
    assert [issue.where for issue in report.warnings] == ["after line 2"]


def test_bad_csv_rows(tmp_path: Path) -> None:
    path = tmp_path / "papers.csv"
    path.write_text(
        "title,abstract,authors\n"
        "Good One,First abstract.,A\n"
        '"Unclosed quote,Its abstract.,B\n'
        "Too,Many,Fields,Here\n"
        'Good Two,"Second abstract,\nover two lines.",C\n'
        "Good Three,Third abstract.,D\n"
        'Open at the end,"never closed,E\n',
        encoding="utf-8",
    )
    papers, report = _read(path)
    assert [(paper.title, paper.position) for paper in papers] == [("Good One", 2), ("Good Two", 5), ("Good Three", 7)]
    assert papers[1].abstract == "Second abstract, over two lines."
    assert _messages(report) == [
        f"{path}, line 3: bad CSV (quoted field not closed properly (',' expected after '\"')); record skipped",
        f"{path}, line 4: bad CSV (4 fields, the header has 3); record skipped",
        f"{path}, line 8: bad CSV (quoted field never closed); record skipped",
    ]


def test_xml_parse_error_keeps_earlier_entries(fixtures: Path, tmp_path: Path) -> None:
    text = (fixtures / "arxiv_atom.xml").read_text(encoding="utf-8")
    cut = text.index("<entry>", text.index("hep-th/9711200"))
    path = tmp_path / "feed.xml"
    path.write_text(text[:cut] + "<entry><id>oops</i></entry>" + text[cut:], encoding="utf-8")
    papers, report = _read(path)
    assert [paper.id for paper in papers] == ["1706.03762", "hep-th/9711200"]
    (issue,) = report.warnings
    assert issue.source == str(path) and issue.where.startswith("line ") and "XML parse error (mismatched tag)" in issue.message


def test_arxiv_api_error_entry(tmp_path: Path) -> None:
    path = tmp_path / "error.xml"
    path.write_text(
        '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><entry>'
        "<id>http://arxiv.org/api/errors#incorrect_id_format_for_1234</id><title>Error</title>"
        "<summary>incorrect id format for 1234</summary></entry></feed>",
        encoding="utf-8",
    )
    papers, report = _read(path)
    assert papers == []
    assert _messages(report) == [f"{path}, entry 1: arXiv API error entry (incorrect id format for 1234); record skipped"]


def test_hf_api_broken_item_is_skipped_and_reading_resumes(tmp_path: Path) -> None:
    path = tmp_path / "daily.json"
    path.write_text(
        "[\n"
        '  {"paper": {"id": "2401.00001", "title": "One", "summary": "First."}},\n'
        '  {"paper": {"id": "2401.00002", "title": "Two" "summary": "Broken."}},\n'
        '  {"paper": {"id": "2401.00003", "title": "Three", "summary": "Third."}}\n'
        "]\n",
        encoding="utf-8",
    )
    papers, report = _read(path)
    assert [paper.id for paper in papers] == ["2401.00001", "2401.00003"]
    assert _messages(report) == [f"{path}, record 2: invalid JSON at line 3 (Expecting ',' delimiter); record skipped"]


def test_hf_api_broken_at_the_end(tmp_path: Path) -> None:
    path = tmp_path / "daily.json"
    path.write_text('[{"paper": {"id": "2401.00001", "title": "One", "summary": "First."}}, {"paper": ', encoding="utf-8")
    papers, report = _read(path)
    assert [paper.id for paper in papers] == ["2401.00001"]
    assert _messages(report) == [f"{path}, record 2: invalid JSON at line 1 (Expecting value); rest of document skipped"]


def test_summary_is_readable(fixtures: Path) -> None:
    report = IngestReport()
    list(read_papers([fixtures / "papers.jsonl", fixtures / "papers.csv"], report=report))
    summary = report.summary()
    assert summary.splitlines()[0] == "read 7 records from 2 file(s) (csv 3, jsonl 4)"
    assert "skipped 2 record(s), 0 other warning(s)" in summary
    assert "papers.csv, line 5: no abstract" in summary


def test_truncated_gzip_feed_gives_one_warning(fixtures: Path, tmp_path: Path) -> None:
    text = (fixtures / "arxiv_atom.xml").read_text(encoding="utf-8")
    entry = text[text.index("<entry>") : text.index("</entry>") + len("</entry>")]
    many = "".join(entry.replace("1706.03762", f"2401.{n:05d}") for n in range(400))
    data = gzip.compress(text.replace("</feed>", many + "</feed>").encode())
    path = tmp_path / "feed.xml.gz"
    path.write_bytes(data[: len(data) // 2])
    papers, report = _read(path)
    assert 10 < len(papers) < 400
    assert [paper.id for paper in papers[3:6]] == ["2401.00000", "2401.00001", "2401.00002"]
    (issue,) = report.warnings
    assert issue.source == str(path) and "input ends early (EOFError" in issue.message


def test_deeply_nested_json_is_a_bad_record_not_a_crash(tmp_path: Path) -> None:
    lines = tmp_path / "deep.jsonl"
    lines.write_text(f"{GOOD_A}\n{'[' * 100_000}\n{GOOD_B}\n", encoding="utf-8")
    papers, report = _read(lines)
    assert len(papers) == 2
    assert _messages(report) == [f"{lines}, line 2: invalid JSON (nested too deeply); record skipped"]
    document = tmp_path / "deep.json"
    document.write_text("[" * 100_000, encoding="utf-8")
    assert _read(document)[0] == []
