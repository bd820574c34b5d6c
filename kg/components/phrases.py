"""Common-noun phrases built from head nouns extended leftwards over their modifiers.

A head (``quantization``, ``accuracy``, ``generation``) comes from ``heads.jsonl`` in the lexicon
folder or from the last word of a common-noun lexicon entry; it is extended to the left over
modifier tokens (``post-training quantization``, ``top-1 accuracy``, ``text-to-image generation``)
until a closed-class word, a common verb, adverb or evaluative adjective from
``kg/patterns/phrases.json`` stops it (the default pipeline has no POS tagger). Heads flagged
``needs_modifier`` (``model``, ``network``) only count with at least one modifier.
"""
from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Token

from kg.components.tokenizer import pattern_tokenizer
from kg.components.candidates import Candidate, add_candidates, span_candidate
from kg.components.lexicon import LEXICON_DIR, PROPER_TYPES, load_lexicon, plural, read_jsonl_records
from kg.records import ENTITY_TYPES

PATTERNS_DIR = Path(__file__).resolve().parent.parent / "patterns"
_MODIFIER_SHAPE = re.compile(r"^(?:[A-Za-z][A-Za-z0-9]*|[0-9][0-9.]*[A-Za-z]*)(?:[-+/.@][A-Za-z0-9]+)*$")


@dataclass(frozen=True, slots=True)
class Head:
    """A head noun, the type it gives a phrase, and whether it needs a modifier to name anything."""

    type: str
    needs_modifier: bool


@dataclass(frozen=True, slots=True)
class PhraseRules:
    """What may precede a head (at most ``max_modifiers`` tokens, none stop-listed) and which words head phrases."""

    stop_modifiers: frozenset[str]
    stop_regex: re.Pattern
    max_modifiers: int
    non_heads: frozenset[str]
    min_head_votes: int
    head_types: dict[str, str]
    skip_types: frozenset[str]
    verb_cues: frozenset[str]


def load_phrase_rules(path: str | Path | None = None) -> PhraseRules:
    """Read the modifier stop-list, head rules and limits from ``phrases.json``."""
    data = json.loads(Path(path or PATTERNS_DIR / "phrases.json").read_text(encoding="utf-8"))
    return PhraseRules(
        frozenset(w.lower() for w in data["stop_modifiers"]),
        re.compile(data["stop_modifier_regex"]),
        int(data.get("max_modifiers", 4)),
        frozenset(data.get("non_heads", ())),
        int(data.get("min_head_votes", 1)),
        {word: kind for kind, words in data.get("head_types", {}).items() for word in words},
        frozenset(data.get("skip_types", ())),
        frozenset(data.get("verb_cues", ())),
    )


def load_heads(rules: PhraseRules, lexicon_dir: str | Path | None = None) -> dict[str, Head]:
    """Head words (lower case, singular and plural) to :class:`Head`.

    ``heads.jsonl`` entries (``{"head", "type", "needs_modifier"?}``) win; then the fallback ``head_types``
    of the rules; otherwise the last word of common-noun lexicon names votes for its type (at least
    ``min_head_votes``; majority, ties broken by type order). Heads not from ``heads.jsonl`` need a
    modifier; the rules' ``non_heads`` (too generic: ``model``, ``framework``) never head a phrase.
    """
    folder = Path(lexicon_dir) if lexicon_dir is not None else LEXICON_DIR
    votes: dict[str, Counter] = defaultdict(Counter)
    for entry in load_lexicon(folder):
        if entry.type in PROPER_TYPES:
            continue
        for form in (entry.name, *entry.aliases):
            last = form.split()[-1] if form.split() else ""
            if len(form.split()) > 1 and last.islower() and last.isalpha():
                votes[last][entry.type] += 1
    heads = {
        word: Head(min(counts, key=lambda t: (-counts[t], ENTITY_TYPES.index(t))), True)
        for word, counts in votes.items()
        if sum(counts.values()) >= rules.min_head_votes
    }
    heads.update({word: Head(kind, True) for word, kind in rules.head_types.items()})
    path = folder / "heads.jsonl"
    for _, record in read_jsonl_records(path) if path.is_file() else ():
        name, kind = record.get("head", record.get("name")), record.get("type")
        if isinstance(name, str) and name.strip() and kind in ENTITY_TYPES:
            head = Head(kind, bool(record.get("needs_modifier", False)))
            for form in (name, *(record.get("aliases") or ())):
                if isinstance(form, str) and form.strip():
                    heads[form.strip().lower()] = head
    heads = {**{plural(w): h for w, h in heads.items() if not w.endswith("s")}, **heads}
    return {word: head for word, head in heads.items() if word not in rules.non_heads}


def is_modifier(token: Token, rules: PhraseRules) -> bool:
    """Whether ``token`` can stand in front of a head inside a name."""
    lower = token.lower_
    return (
        lower not in rules.stop_modifiers
        and not rules.stop_regex.match(lower)
        and bool(_MODIFIER_SHAPE.match(token.text))
    )


def is_verb_like(word: str) -> bool:
    """A plain ``-ing`` word (``processing``, ``mastering``): at the start of a phrase, a verb, not a modifier."""
    return word.endswith("ing") and word.isalpha()


def head_phrase(doc: Doc, index: int, rules: PhraseRules) -> int:
    """Start token of the phrase whose head starts at ``doc[index]``."""
    start = index
    while (index - start < rules.max_modifiers and start > 0 and not doc[start].is_sent_start
           and is_modifier(doc[start - 1], rules)):
        if doc[start - 1].whitespace_ == "" and not doc[start - 1].is_alpha:
            break
        start -= 1
    if start < index and doc[start].is_sent_start is False and doc[start].is_digit:
        start += 1  # "3 layers" is a count, not a name
    return start


class PhraseFinder:
    """Finds head-noun phrases; head words are matched at C speed, only hits are extended in Python."""

    def __init__(self, nlp: Language, heads: dict[str, Head], rules: PhraseRules) -> None:
        self.heads = heads
        self.rules = rules
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        words = sorted(heads)
        self.matcher.add("HEAD", list(pattern_tokenizer(nlp).pipe(words)))

    def __call__(self, doc: Doc) -> list[Candidate]:
        spans = []
        text = doc._.kg_text
        title_end = doc._.kg_title_len or 0
        for _, head_start, head_end in self.matcher(doc):
            head = self.heads.get(doc[head_start:head_end].text.lower())
            if head is None or head.type in self.rules.skip_types:
                continue  # a multi-word head written with other spacing, or a type names give better
            start = head_phrase(doc, head_start, self.rules)
            while start < head_start and is_verb_like(doc[start].lower_) and doc[start].lower_ not in self.heads:
                start += 1  # "processing prompts", "mastering uniform synthesis": a verb, not a modifier
            if start < head_start and start > 0 and doc[start - 1].lower_ in self.rules.verb_cues:
                start += 1  # "to enforce temporal consistency", "can recognize semantics": the first word is a verb
            if start < head_start and doc[start].idx < title_end:
                start = title_phrase_start(doc, start, head_start, text, title_end)
            if start == head_start and head.needs_modifier:
                continue
            spans.append(span_candidate(doc, start, head_end, head.type, "phrase"))
        return spans


def title_phrase_start(doc: Doc, start: int, head_start: int, text: str, title_end: int) -> int:
    """Start of a title phrase, kept to the longest part the abstract repeats.

    Titles capitalise and pack modifiers (``Cost-Effective Hyperparameter Optimization``); the part
    that also occurs in the abstract (``hyperparameter optimization``) is the name. When no part
    with a modifier recurs, the bare head is returned.
    """
    abstract = text[title_end:].lower()
    end_char = doc[head_start].idx + len(doc[head_start])
    for candidate in range(start, head_start):
        if text[doc[candidate].idx : end_char].lower() in abstract:
            return candidate
    return head_start


@Language.factory("kg_phrases", default_config={"lexicon_dir": None, "rules_path": None}, assigns=["doc._.kg_candidates"])
def make_phrase_finder(nlp: Language, name: str, lexicon_dir: str | None, rules_path: str | None) -> "PhraseComponent":
    rules = load_phrase_rules(rules_path)
    return PhraseComponent(PhraseFinder(nlp, load_heads(rules, lexicon_dir), rules))


class PhraseComponent:
    """Thin pipeline shell around :class:`PhraseFinder`."""

    def __init__(self, finder: PhraseFinder) -> None:
        self.finder = finder

    def __call__(self, doc: Doc) -> Doc:
        add_candidates(doc, self.finder(doc))
        return doc
