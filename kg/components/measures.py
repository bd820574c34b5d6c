"""Property words typed ``Metric`` count only in a sentence that evaluates something.

``diversity``, ``sensitivity``, ``faithfulness`` name a measure in "a sensitivity of 92.1%" or "in terms of
fluency", and an ordinary property in "datasets often lack diversity" or "sensitivity to noise" (guidelines
rule 4: metrics are measures, not claims). The ``kg_measures`` component drops such candidates from
``doc._.kg_candidates`` when their sentence holds no digit and no evaluation word; the words and the cue
are data (``kg/patterns/measures.json``). Candidates of the other types, and other metrics, pass untouched.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from kg.components import PATTERNS_DIR
from kg.components.candidates import CANDIDATES_KEY
from kg.components.title import SENTENCES_KEY, TEXT_KEY, cached_text, sentence_at


class MeasureFilter:
    """Drops property-word Metric candidates whose sentence does not evaluate (see the module docstring)."""

    def __init__(self, property_words: frozenset[str], evaluation_cue: re.Pattern) -> None:
        self.property_words = property_words
        self.evaluation_cue = evaluation_cue

    def __call__(self, doc: Doc) -> Doc:
        user_data = doc.user_data
        candidates = user_data.get(CANDIDATES_KEY)
        if not candidates:
            return doc
        doubtful = [c for c in candidates if c.type == "Metric" and c.text.lower() in self.property_words]
        if doubtful:
            text = user_data.get(TEXT_KEY) or cached_text(doc)
            sentences = user_data.get(SENTENCES_KEY) or [[0, len(text)]]
            dropped = {c for c in doubtful if not self.evaluates(text, sentence_at(sentences, c.start))}
            if dropped:
                user_data[CANDIDATES_KEY] = [c for c in candidates if c not in dropped]
        return doc

    def evaluates(self, text: str, sentence: tuple[int, int]) -> bool:
        """Whether the sentence ``text[start:end]`` holds a digit or an evaluation word."""
        return self.evaluation_cue.search(text, sentence[0], sentence[1]) is not None


def load_measure_filter(path: str | Path | None = None) -> MeasureFilter:
    """The filter described by ``kg/patterns/measures.json`` (or the file at ``path``)."""
    data = json.loads(Path(path or PATTERNS_DIR / "measures.json").read_text(encoding="utf-8"))
    words = frozenset(word.lower() for word in data["property_words"])
    plurals = frozenset(word + "s" for word in words if not word.endswith("s"))
    return MeasureFilter(words | plurals, re.compile(data["evaluation_cue"], re.IGNORECASE))


@Language.factory("kg_measures", assigns=["doc._.kg_candidates"], default_config={"patterns_path": None})
def make_measure_filter(nlp: Language, name: str, patterns_path: str | None) -> MeasureFilter:
    """Component: :class:`MeasureFilter` with the words and cue of ``patterns_path`` (default ``kg/patterns/measures.json``)."""
    return load_measure_filter(patterns_path)
