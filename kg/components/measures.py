"""Property words typed ``Metric`` count only in a sentence that evaluates something.

``diversity``, ``sensitivity``, ``faithfulness`` name a measure in "a sensitivity of 92.1%" or "in terms of
fluency", and an ordinary property in "datasets often lack diversity" or "sensitivity to noise" (guidelines
rule 4: metrics are measures, not claims). The ``kg_measures`` component drops such candidates from
``doc._.kg_candidates`` when their sentence holds no digit and no evaluation word; the words and the cue
are data (``kg/patterns/measures.json``). Candidates of the other types, and other metrics, pass untouched.

Two more classes of doubtful Metric candidates, also data:

- a phrase (rule ``phrase``) headed by a relation or quantity word (``evidence_heads``: similarity, distance,
  entropy, distortion, correlation, consumption, precision) names a measure only in a sentence that evaluates
  or compares (``evaluation_cue`` or ``comparison_cue``: "lower CIEDE2000 color distortion"); "pairwise
  similarity between frames", "an upwind entropy scheme", "spurious correlations" are no metrics;
- ``precision`` (``format_heads``) after a number-format word (``format_words``: ``16-bit``, ``fp16``, ``mixed``,
  ``half``, ``numerical``) is the precision of numbers, not the metric, wherever it is;
- a metric word that is the first half of a compound noun (``compound_nexts``: ``precision agriculture``,
  ``likelihood trap``) names no measure.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from kg.components import PATTERNS_DIR
from kg.components.candidates import CANDIDATES_KEY
from kg.components.lexicon import plural
from kg.components.title import SENTENCES_KEY, TEXT_KEY, cached_text, sentence_at


# What a Metric candidate's text needs checking for (MeasureFilter.kind_of).
PROPERTY, COMPOUND_HEAD, FORMAT_HEAD, EVIDENCE_HEAD = 1, 2, 4, 8
_NEXT_WORD = re.compile(r"[ \t]+([A-Za-z]+)")


class MeasureFilter:
    """Drops property-word Metric candidates whose sentence does not evaluate (see the module docstring)."""

    def __init__(self, property_words: frozenset[str], evaluation_cue: re.Pattern, evidence_heads: frozenset[str] = frozenset(),
                 comparison_cue: re.Pattern | None = None, format_heads: frozenset[str] = frozenset(),
                 format_words: re.Pattern | None = None, compound_nexts: dict[str, frozenset[str]] | None = None) -> None:
        self.property_words = property_words
        self.evaluation_cue = evaluation_cue
        self.evidence_heads = evidence_heads
        self.comparison_cue = comparison_cue
        self.format_heads = format_heads
        self.format_words = format_words
        self.compound_nexts = compound_nexts or {}
        self.kinds: dict[str, int] = {}  # candidate text -> what kind of doubtful metric it is (kind_of)

    def kind_of(self, text: str) -> int:
        """Bits of what ``text`` as a Metric candidate needs checking for (0: nothing), memoised (emptied at 2**16)."""
        lower = text.lower()
        head = lower.rsplit(" ", 1)[-1]
        kind = PROPERTY if lower in self.property_words else (
            (COMPOUND_HEAD if head in self.compound_nexts else 0)
            | (FORMAT_HEAD if head in self.format_heads and self.format_words is not None else 0)
            | (EVIDENCE_HEAD if head in self.evidence_heads and " " in lower else 0))
        if len(self.kinds) >= 1 << 16:
            self.kinds.clear()
        self.kinds[text] = kind
        return kind

    def __call__(self, doc: Doc) -> Doc:
        user_data = doc.user_data
        candidates = user_data.get(CANDIDATES_KEY)
        if not candidates:
            return doc
        doubtful, dropped, text = [], set(), None
        kinds = self.kinds
        # Metric candidates whose text needs a check, or was never seen (get's default: 1).
        for c in [c for c in candidates if c.type == "Metric" and kinds.get(c.text, 1)]:
            kind = kinds.get(c.text)
            if kind is None:
                kind = self.kind_of(c.text)
            if not kind:
                continue
            if kind == PROPERTY:
                doubtful.append((c, False))
                continue
            lower = c.text.lower()
            if kind & COMPOUND_HEAD:
                text = text or user_data.get(TEXT_KEY) or cached_text(doc)
                following = _NEXT_WORD.match(text, c.end)
                if following and following.group(1).lower() in self.compound_nexts[lower.rsplit(" ", 1)[-1]]:
                    dropped.add(c)  # "precision agriculture", "likelihood trap": the first half of a compound noun
                    continue
            if kind & FORMAT_HEAD:
                text = text or user_data.get(TEXT_KEY) or cached_text(doc)
                if self.number_format(lower, text, c.start):
                    dropped.add(c)
                    continue
            if kind & EVIDENCE_HEAD and c.rule == "phrase":
                doubtful.append((c, True))
        if doubtful:
            text = text or user_data.get(TEXT_KEY) or cached_text(doc)
            sentences = user_data.get(SENTENCES_KEY) or [[0, len(text)]]
            spans = []
            for c, compares in doubtful:
                if not self.evaluates(text, sentence_at(sentences, c.start), compares):
                    dropped.add(c)
                    if compares:
                        spans.append((c.start, c.end))
            if spans:  # and the metrics inside such a phrase ("precision" of "lexical precision")
                dropped.update(c for c in candidates if c.type == "Metric" and any(s <= c.start and c.end <= e for s, e in spans))
        if dropped:
            user_data[CANDIDATES_KEY] = [c for c in candidates if c not in dropped]
        return doc

    def evaluates(self, text: str, sentence: tuple[int, int], compares: bool = False) -> bool:
        """Whether the sentence ``text[start:end]`` holds a digit or an evaluation word (or, with ``compares``, a
        comparison word: "higher", "reduces", "outperforms")."""
        if self.evaluation_cue.search(text, sentence[0], sentence[1]) is not None:
            return True
        return compares and self.comparison_cue is not None and self.comparison_cue.search(text, sentence[0], sentence[1]) is not None

    def number_format(self, lower: str, text: str, start: int) -> bool:
        """Whether the ``precision`` candidate ``lower`` at ``start`` follows a number-format word, inside it
        (``fp16 precision``) or right before it (``16-bit precision`` when the phrase is bare ``precision``)."""
        words = lower.split()
        if len(words) > 1:
            return any(self.format_words.fullmatch(word) for word in words[:-1])
        before = text[max(0, start - 24) : start].split()
        return bool(before) and self.format_words.fullmatch(before[-1].lower()) is not None


def load_measure_filter(path: str | Path | None = None) -> MeasureFilter:
    """The filter described by ``kg/patterns/measures.json`` (or the file at ``path``)."""
    data = json.loads(Path(path or PATTERNS_DIR / "measures.json").read_text(encoding="utf-8"))
    words = frozenset(word.lower() for word in data["property_words"])
    plurals = frozenset(word + "s" for word in words if not word.endswith("s"))
    heads = frozenset(word.lower() for word in data.get("evidence_heads", ()))
    heads |= frozenset(plural(word) for word in heads)
    comparison = re.compile(data["comparison_cue"], re.IGNORECASE) if data.get("comparison_cue") else None
    formats = frozenset(word.lower() for word in data.get("format_heads", ()))
    format_words = re.compile(data["format_words"], re.IGNORECASE) if data.get("format_words") else None
    nexts = {head.lower(): frozenset(w.lower() for w in following) for head, following in data.get("compound_nexts", {}).items()}
    return MeasureFilter(words | plurals, re.compile(data["evaluation_cue"], re.IGNORECASE), heads, comparison, formats,
                         format_words, nexts)


@Language.factory("kg_measures", assigns=["doc._.kg_candidates"], default_config={"patterns_path": None})
def make_measure_filter(nlp: Language, name: str, patterns_path: str | None) -> MeasureFilter:
    """Component: :class:`MeasureFilter` with the words and cue of ``patterns_path`` (default ``kg/patterns/measures.json``)."""
    return load_measure_filter(patterns_path)
