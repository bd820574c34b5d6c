"""Parts of a contribution: the named modules a paper's own method is made of are proposed too.

"TAPM-Net comprises two components: the Perturbation-guided Path Module (PGM) and the Trajectory-Aware
State Block (TASB)", "SwiftKV combines SingleInputKV and AcrossKV": the guidelines mark such named parts as
contributions (rule 3). The ``kg_parts`` component, after ``kg_contributions``, reads the abstract sentences
that have a part cue (``consists of``, ``comprises``, ``two modules:``) after a subject about the paper's
own work (a contribution's name, or ``our`` / ``which`` / ``the proposed``), and adds the names after the
cue to ``doc._.kg_contributions`` with the rule ``part``: acronym definitions whose long form is written
in capitals, and names found by shape (CamelCase, acronyms) that no lexicon knows. Cues are data
(``kg/patterns/parts.json``). Papers that propose nothing named get no parts.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from kg.components import PATTERNS_DIR
from kg.components.abbreviations import doc_definitions
from kg.components.candidates import CANDIDATES_KEY
from kg.components.contributions import Contribution
from kg.components.title import SENTENCES_KEY, TEXT_KEY, TITLE_LEN_KEY, cached_text, extension_key, sentence_at

_CONTRIBUTIONS_KEY = extension_key("kg_contributions")
_NAME_TYPES = ("Model", "Method")


def is_capitalised_name(text: str) -> bool:
    """Whether every word of ``text`` (two or more) starts with a capital or a digit: ``Trajectory-Aware
    State Block``, not ``path module``."""
    words = text.split()
    return len(words) > 1 and all(word[0].isupper() or word[0].isdigit() for word in words)


class PartFinder:
    """Adds the named parts of a paper's contributions to ``doc._.kg_contributions`` (see the module docstring)."""

    def __init__(self, part_cue: re.Pattern, subject_cue: re.Pattern, other_work_cue: re.Pattern | None = None) -> None:
        self.part_cue = part_cue
        self.part_cue_any_case = re.compile(part_cue.pattern, re.IGNORECASE)
        self.subject_cue = subject_cue
        self.other_work_cue = other_work_cue

    def __call__(self, doc: Doc) -> Doc:
        user_data = doc.user_data
        contributions = user_data.get(_CONTRIBUTIONS_KEY)
        if not contributions:
            return doc
        candidates = user_data.get(CANDIDATES_KEY) or ()
        possible = self.possible_parts(doc, candidates)
        if not possible:  # no name could be a part: the cues need not be looked for
            return doc
        text = user_data.get(TEXT_KEY) or cached_text(doc)
        names = {form for c in contributions for form in (c.text, c.long_form, c.short_form) if form}
        taken = [(c.start_char, c.end_char) for c in contributions]
        parts = []
        last_start = max(name[0] for name in possible)
        for start, end in self.part_regions(text, user_data, names, last_start):
            for part_start, part_end, short_form in self.names_in(possible, candidates, start, end):
                if not any(s < part_end and part_start < e for s, e in taken):
                    taken.append((part_start, part_end))
                    parts.append(Contribution(part_start, part_end, text[part_start:part_end], None, "part",
                                              short_form=short_form))
        if parts:
            user_data[_CONTRIBUTIONS_KEY] = sorted([*contributions, *parts], key=lambda c: c.start_char)
        return doc

    def part_regions(self, text: str, user_data: dict, names: set[str], before: int | None = None) -> list[tuple[int, int]]:
        """``(start, end)`` of the text after a part cue, in abstract sentences about the paper's own work; only
        the cues starting before ``before`` (None: all), as a region after a later cue would hold no name starting there."""
        sentences = user_data.get(SENTENCES_KEY) or [[0, len(text)]]
        regions: dict[int, tuple[int, int]] = {}  # sentence start -> region after its first cue
        lowered = text.lower()
        if len(lowered) == len(text):  # the cue regex is fastest on lower-case text without IGNORECASE
            cues = self.part_cue.finditer(lowered, user_data.get(TITLE_LEN_KEY) or 0)
        else:  # a character whose lower case is longer ("İ"): offsets would shift
            cues = self.part_cue_any_case.finditer(text, user_data.get(TITLE_LEN_KEY) or 0)
        for cue in cues:
            if before is not None and cue.start() >= before:
                break
            start, end = sentence_at(sentences, cue.start())
            if start in regions:
                continue
            subject = text[start : cue.start()]
            if self.other_work_cue is not None and self.other_work_cue.search(subject):
                continue  # "outperforms seven baselines, including HippoRAG 2, LightRAG": other work, not parts
            if any(name in subject for name in names) or self.subject_cue.search(subject):
                regions[start] = (cue.end(), end)
        return list(regions.values())

    @staticmethod
    def possible_parts(doc: Doc, candidates) -> list[tuple[int, int, str | None, int]]:
        """Every name that could be a part, as ``(start, end, short form, end of the definition)``: capitalised long
        forms of acronym definitions (with their acronym), and names found by shape that hold a lower-case letter
        (``SingleInputKV``; a bare ``GPU`` or ``AR`` is too often a common acronym)."""
        found = [(d.long_start, d.long_end, d.short, d.short_end) for d in doc_definitions(doc) if is_capitalised_name(d.long)]
        found += [(c.start, c.end, None, c.end) for c in candidates
                  if c.rule == "shape" and c.type in _NAME_TYPES and not c.text.isupper()]
        return found

    @staticmethod
    def names_in(possible: list[tuple[int, int, str | None, int]], candidates, start: int, end: int) -> list[tuple[int, int, str | None]]:
        """The ``possible`` names (:meth:`possible_parts`) in ``text[start:end]`` that no lexicon knows (a known name
        exists already)."""
        known = [(c.start, c.end) for c in candidates if c.rule == "lexicon" and start <= c.start and c.end <= end]
        return [(s, e, short) for s, e, short, last in possible
                if start <= s and last <= end and not any(ks < e and s < ke for ks, ke in known)]


def load_part_finder(path: str | Path | None = None) -> PartFinder:
    """The finder described by ``kg/patterns/parts.json`` (or the file at ``path``)."""
    data = json.loads(Path(path or PATTERNS_DIR / "parts.json").read_text(encoding="utf-8"))
    other_work = data.get("other_work_cue")
    return PartFinder(re.compile(data["part_cue"]), re.compile(data["subject_cue"], re.IGNORECASE),
                      re.compile(other_work, re.IGNORECASE) if other_work else None)


@Language.factory("kg_parts", assigns=["doc._.kg_contributions"], requires=["doc._.kg_contributions"],
                  default_config={"patterns_path": None})
def make_part_finder(nlp: Language, name: str, patterns_path: str | None) -> PartFinder:
    """Component: :class:`PartFinder` with the cues of ``patterns_path`` (default ``kg/patterns/parts.json``)."""
    return load_part_finder(patterns_path)
