"""arXiv API Atom feeds (``http://export.arxiv.org/api/query?...``), parsed incrementally.

``xml.etree.ElementTree.iterparse`` yields each ``<entry>`` when it closes; the tree is
cleared after each one, so memory holds one entry. The arXiv id comes from the entry
``<id>http://arxiv.org/abs/2401.12345v2</id>`` (version dropped); the URL is the
``alternate`` link; the date is ``<published>`` (first version). API error entries (id
under ``/api/errors``) are skipped with their message. An XML syntax error ends the file
with a warning giving its line and column; the entries before it are kept.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator

from kg.records import Paper

from .dates import parse_date
from .fields import RecordError, clean_text, make_paper, split_categories
from .report import IngestReport
from .sources import Guarded

ATOM = "{http://www.w3.org/2005/Atom}"
ARXIV = "{http://arxiv.org/schemas/atom}"


def _entry_paper(entry: ET.Element, label: str, record: int) -> Paper:
    id_text = clean_text(entry.findtext(ATOM + "id"))
    if "/api/errors" in id_text:
        raise RecordError(f"arXiv API error entry ({clean_text(entry.findtext(ATOM + 'summary'))})")
    links = entry.findall(ATOM + "link")
    alternate = next((link.get("href") for link in links if link.get("rel", "alternate") == "alternate"), None)
    primary = entry.find(ARXIV + "primary_category")
    terms = [primary.get("term")] if primary is not None else []
    terms += [category.get("term") for category in entry.findall(ATOM + "category")]
    return make_paper(
        title=entry.findtext(ATOM + "title"),
        abstract=entry.findtext(ATOM + "summary"),
        source=label,
        position=record,
        given_id=id_text or None,
        url=alternate or id_text or None,
        date=parse_date(entry.findtext(ATOM + "published")),
        authors=tuple(name for name in (clean_text(a.findtext(ATOM + "name")) for a in entry.findall(ATOM + "author")) if name),
        categories=split_categories([term for term in terms if term]),
    )


def read_arxiv_atom(stream: Guarded, label: str, report: IngestReport) -> Iterator[Paper]:
    """Papers from an arXiv Atom feed, one per ``<entry>``; ``position`` is the entry number."""
    record = 0
    root: ET.Element | None = None
    try:
        for event, element in ET.iterparse(stream, events=("start", "end")):  # type: ignore[arg-type]
            if root is None:
                root = element
            if event != "end" or element.tag != ATOM + "entry":
                continue
            record += 1
            try:
                paper = _entry_paper(element, label, record)
            except RecordError as exc:
                report.skip(label, f"entry {record}", str(exc))
            else:
                yield paper
            root.clear()
    except ET.ParseError as exc:
        if stream.failed:  # the input broke off (truncated gzip): already reported, the parse error follows from it
            return
        line, column = exc.position
        report.warn(label, f"line {line}, column {column + 1}", f"XML parse error ({str(exc).split(':')[0]}); rest of file skipped")
