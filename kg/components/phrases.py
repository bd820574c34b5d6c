"""Common-noun phrases built from head nouns extended leftwards over their modifiers.

A head (``quantization``, ``accuracy``, ``generation``) comes from ``heads.jsonl`` in the lexicon
folder or from the last word of a common-noun lexicon entry; it is extended to the left over
modifier tokens (``post-training quantization``, ``top-1 accuracy``, ``text-to-image generation``)
until a closed-class word, a common verb, adverb or evaluative adjective from
``kg/patterns/phrases.json`` stops it (the default pipeline has no POS tagger). Heads flagged
``needs_modifier`` (``model``, ``network``) only count with at least one modifier (a Task head also
right before ``task(s)``: ``reasoning tasks``).

Also from ``phrases.json``: descriptive hyphenated modifiers join the phrase (``cost-based pruning``,
``compound_suffixes``), evaluative ones are left out (``memory-efficient``); a manner adverb or a modal
before the phrase makes its first word a verb (``tightly couple``); a generic noun alone before a Method
head names no technique (``model inference``, ``bare_modifiers``); the first half of a compound noun heads
nothing (``time series``, ``compound_nouns``); context words decide Task vs Method (``X problem``,
``combines A, B and X``, ``for LLM inference``, ``tasks such as X``, ``context_types``); a word or phrase in its
ordinary sense is skipped (``gaining attention``, ``at inference time``, ``patterns/senses.json``). Tokens are
read through :class:`TokenView` (character offsets and sentence bounds), not ``Token`` objects, and what the
rules ask of a word is computed once per distinct word (:class:`WordFeatures`).
"""
from __future__ import annotations

import json
import re
from bisect import bisect_left
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Sequence
from pathlib import Path

import numpy
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.attrs import SENT_START
from spacy.tokens import Doc

from kg.components.tokenizer import HYPHEN_SUFFIXES, pattern_tokenizer
from kg.components.candidates import CANDIDATES_KEY, Candidate, CandidateComponent, make_candidate
from kg.components.title import SENTENCES_KEY, TEXT_KEY, TITLE_LEN_KEY, cached_text, token_bounds
from kg.components import LEXICON_DIR, PATTERNS_DIR
from kg.components.lexicon import (PROPER_TYPES, LexiconMatcher, load_lexicon, load_senses, ordinary_sense, plural,
                                  read_jsonl_records)
from kg.records import ENTITY_TYPES

# Words ending in -ly that are not manner adverbs.
_NOT_ADVERBS = frozenset({"only", "early", "family", "anomaly", "assembly", "supply", "apply", "reply", "poly", "italy"})
HYPHEN_SUFFIX_WORDS = frozenset(HYPHEN_SUFFIXES)
# Head types that context may change (a technique used vs. a problem addressed).
_CONTEXT_TYPED = frozenset({"Task", "Method"})
_LIST_WORDS = frozenset({",", "and", "or", "a", "an", "the"})
_HYPHENS = frozenset({"-", "–"})
# A number token: "3", "0.249", "1,000".
_NUMBER = re.compile(r"[0-9]+(?:[.,][0-9]+)*")
_TASK_WORDS = frozenset({"task", "tasks"})
# Modifier words of a Task phrase kept from a title the abstract does not repeat ("Road Topology Estimation").
_TITLE_TASK_WORDS = 3
_TECHNIQUE_TYPES = frozenset({"Method", "Model"})
_CONJUNCTIONS = frozenset({"and", "or", "&"})
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
    compound_suffixes: frozenset[str] = frozenset()
    bare_modifiers: frozenset[str] = frozenset()
    compound_nouns: frozenset[str] = frozenset()
    next_types: dict[str, str] | None = None
    before_types: dict[str, str] | None = None
    action_noun: re.Pattern | None = None
    units: frozenset[str] = frozenset()
    method_compounds: frozenset[str] = frozenset()
    technique_words: frozenset[str] = frozenset()
    actor_modifiers: frozenset[str] = frozenset()
    paradigm_words: frozenset[str] = frozenset()
    to_verbs: frozenset[str] = frozenset()
    object_heads: frozenset[str] = frozenset()
    evaluative_ends: frozenset[str] = frozenset()
    technique_prefixes: frozenset[str] = frozenset()
    technique_firsts: frozenset[str] = frozenset()
    capability_heads: frozenset[str] = frozenset()
    capability_modifiers: frozenset[str] = frozenset()
    title_actor_words: frozenset[str] = frozenset()  # the model doing a task the title names ("LLM Reasoning")
    noun_gerunds: frozenset[str] = frozenset()  # -ing words that name a domain, hardly ever verbs ("phishing")


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
        frozenset(data.get("compound_suffixes", ())),
        frozenset(data.get("bare_modifiers", ())),
        frozenset(data.get("compound_nouns", ())),
        {w: kind for kind, cues in data.get("context_types", {}).items() for w in cues.get("next", ())},
        {w: kind for kind, cues in data.get("context_types", {}).items() for w in cues.get("before", ())},
        re.compile(data["action_noun_regex"]) if data.get("action_noun_regex") else None,
        frozenset(data.get("units", ())),
        frozenset(data.get("method_compounds", ())),
        frozenset(w.lower() for w in data.get("technique_words", ())),
        frozenset(w.lower() for w in data.get("actor_modifiers", ())),
        frozenset(w.lower() for w in data.get("paradigm_words", ())),
        frozenset(w.lower() for w in data.get("to_verbs", ())),
        frozenset(w.lower() for w in data.get("object_heads", ())),
        frozenset(w.lower() for w in data.get("evaluative_ends", ())),
        frozenset(w.lower() for w in data.get("technique_prefixes", ())),
        frozenset(w.split()[0].lower() for w in data.get("technique_prefixes", ())),
        frozenset(w.lower() for w in data.get("capability_heads", ())),
        frozenset(w.lower() for w in data.get("capability_modifiers", ())),
        frozenset(w.lower() for w in data.get("title_actor_words", ())),
        frozenset(w.lower() for w in data.get("noun_gerunds", ())),
    )


_NAME_WORDS = re.compile(r"[^\s\-\u2013]+")


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
            words = form.split()
            last = words[-1] if words else ""
            if len(words) > 1 and last.islower() and last.isalpha() and last not in _NAME_WORDS.findall(form)[:-1]:
                votes[last][entry.type] += 1  # not a name joining two names ("term frequency-inverse document frequency")
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
    non_heads = rules.non_heads | {plural(w) for w in rules.non_heads if not w.endswith("s")}
    return {word: head for word, head in heads.items() if word not in non_heads and not is_variable(word)}


def is_variable(word: str) -> bool:
    """A single letter (or its plural): a math variable (``choose K``, ``top-k``, ``hyperparameter K``), never a head."""
    return len(word) == 1 or (len(word) == 2 and word.endswith("s") and word[0].isalpha())


class TokenView:
    """Token text, spacing and sentence starts of a Doc from character offsets and the sentence bounds of
    ``kg_title`` (one ``doc.to_array`` call without them): the phrase rules look at a few tokens around
    each head hit, and ``doc[i]`` builds a ``Token`` each time."""

    __slots__ = ("text", "starts", "ends", "size", "sentence_firsts", "unmarked", "abstract")

    def __init__(self, doc: Doc, sentences: list[list[int]] | None = None) -> None:
        self.text = doc.user_data.get(TEXT_KEY) or cached_text(doc)
        self.starts, self.ends = token_bounds(doc)
        self.size = len(doc)
        self.sentence_firsts, self.unmarked = sentence_marks(doc, self.starts, sentences)
        self.abstract: str | None = None  # the abstract in lower case, when a title rule needs it

    def word(self, i: int) -> str:
        return self.text[self.starts[i] : self.ends[i]]

    def lower_abstract(self, title_end: int) -> str:
        """The text after the title in lower case, made once per Doc (title rules look for title words in it)."""
        if self.abstract is None:
            self.abstract = self.text[title_end:].lower()
        return self.abstract

    def lower(self, i: int) -> str:
        return self.text[self.starts[i] : self.ends[i]].lower()

    def spaced(self, i: int) -> bool:
        """Whether whitespace follows token ``i``."""
        return self.ends[i] < (self.starts[i + 1] if i + 1 < self.size else len(self.text))

    def starts_sentence(self, i: int) -> bool:
        return i == 0 or i in self.sentence_firsts

    def inside_sentence(self, i: int) -> bool:
        """Known not to start a sentence (``Token.is_sent_start is False``)."""
        return i > 0 and i not in self.sentence_firsts and i not in self.unmarked


def sentence_marks(doc: Doc, starts: list[int], sentences: list[list[int]] | None = None) -> tuple[set[int], set[int]]:
    """``(first tokens of sentences, tokens without a sentence mark)``.

    From ``sentences`` or ``doc._.kg_sentences`` (character bounds; ``kg_title`` marks every token) when
    there are some, else from the ``SENT_START`` marks of the tokens.
    """
    if sentences is None:
        sentences = doc.user_data.get(SENTENCES_KEY)
    if sentences:
        return {bisect_left(starts, start) for start, _ in sentences}, set()
    if not len(doc):
        return set(), set()
    marks = doc.to_array(SENT_START).view("int64")
    return set(numpy.flatnonzero(marks == 1).tolist()), set(numpy.flatnonzero(marks == 0).tolist())


def is_modifier(word: str, rules: PhraseRules) -> bool:
    """Whether ``word`` can stand in front of a head inside a name."""
    lower = word.lower()
    return lower not in rules.stop_modifiers and not rules.stop_regex.match(lower) and bool(_MODIFIER_SHAPE.match(word))


_VALUE = re.compile(r"[0-9][0-9.,]*([a-z]+)")
# Units that also write sizes or resolutions inside names ("4K video", "8x upscaling" is stop-listed anyway).
_NAME_UNITS = frozenset({"k", "x"})
_RESOLUTIONS = frozenset({"2", "4", "8", "16"})  # "4K": a display resolution, not 4,000


def is_value(lower: str, rules: PhraseRules) -> bool:
    """A number glued to its unit (``200ms``, ``5gb``, ``10km``): a value, never part of a name."""
    match = _VALUE.fullmatch(lower)
    return match is not None and match.group(1) in rules.units and match.group(1) not in _NAME_UNITS


def is_list_item(word: str, rules: PhraseRules) -> bool:
    """Whether the lower-case ``word`` may stand inside a list of names (``A, B, and C``): a list word or a modifier shape."""
    return word in _LIST_WORDS or (word not in rules.stop_modifiers and bool(_MODIFIER_SHAPE.match(word)))


def is_verb_cue(word: str, rules: PhraseRules) -> bool:
    """Whether a word before a phrase makes its first word a verb: a modal, subject pronoun or
    relative (``rules.verb_cues``), or a manner adverb in ``-ly`` (``semantically aligned``, ``tightly couple``)."""
    return word in rules.verb_cues or (word.endswith("ly") and word.isalpha() and word not in _NOT_ADVERBS)


def is_verb_like(word: str) -> bool:
    """A plain ``-ing`` word (``processing``, ``mastering``): at the start of a phrase, a verb, not a modifier."""
    return word.endswith("ing") and word.isalpha()


# What the phrase rules ask of a token text (bits of WordFeatures values).
MODIFIER = 1            # can stand before a head inside a name (is_modifier)
SHAPE = 2               # has a modifier's shape, stop-listed or not (the first part of "cost-based")
COMPOUND_SUFFIX = 4     # descriptive end of a hyphenated modifier (rules.compound_suffixes: "based")
HYPHEN = 8              # "-" or an en dash
EVALUATIVE_SUFFIX = 16  # end of an evaluative hyphenated modifier (HYPHEN_SUFFIXES: "efficient")
VERB_LIKE = 32          # a plain -ing word that is no head (is_verb_like)
VERB_CUE = 64           # makes the next word a verb (is_verb_cue)
SENSE_CUE = 128         # may mark the ordinary sense of the next words (senses.json)
LIST_ITEM = 256         # may stand inside a list of names (is_list_item)
DIGITS = 512
LETTERS = 1024
BARE_MODIFIER = 2048    # a generic noun naming no technique alone before a Method head (rules.bare_modifiers)
CUE_END = 4096          # may end a context cue of rules.before_types (a suffix of one: "as" of "tasks such as")
ACTOR = 8192            # names who does a task, alone before a Task head ("human review": rules.actor_modifiers)
TO_VERB = 16384         # a verb right after "to" ("to model X": rules.to_verbs)


class WordFeatures(dict):
    """Token text -> ``(lower case, feature bits)`` under one rule set, computed on first sight: the
    phrase rules ask the same questions of the same few thousand words in every abstract. Emptied when
    it reaches ``limit`` entries."""

    def __init__(self, rules: PhraseRules, heads: dict[str, Head], sense_cues: frozenset[str], limit: int = 1 << 17) -> None:
        super().__init__()
        self.rules, self.heads, self.sense_cues, self.limit = rules, heads, sense_cues, limit

    def __missing__(self, word: str) -> tuple[str, int]:
        if len(self) >= self.limit:
            self.clear()
        lower, rules = word.lower(), self.rules
        tests = (
            (MODIFIER, is_modifier(word, rules) and not is_value(lower, rules)),
            (SHAPE, _MODIFIER_SHAPE.match(word)),
            (COMPOUND_SUFFIX, lower in rules.compound_suffixes),
            (HYPHEN, word in _HYPHENS),
            (EVALUATIVE_SUFFIX, lower in HYPHEN_SUFFIX_WORDS),
            (VERB_LIKE, is_verb_like(lower) and lower not in self.heads and lower not in rules.noun_gerunds),
            (VERB_CUE, is_verb_cue(lower, rules)),
            (SENSE_CUE, lower in self.sense_cues),
            (LIST_ITEM, is_list_item(lower, rules)),
            (DIGITS, _NUMBER.fullmatch(word)),
            (LETTERS, word.isalpha()),
            (BARE_MODIFIER, lower in rules.bare_modifiers),
            (CUE_END, any(cue.endswith(lower) for cue in rules.before_types or ())),
            (ACTOR, lower in rules.actor_modifiers),
            (TO_VERB, lower in rules.to_verbs),
        )
        self[word] = features = (lower, sum(bit for bit, test in tests if test))
        return features


class PhraseFinder:
    """Finds head-noun phrases; head words are matched at C speed, only hits are extended in Python,
    reading what the rules ask of each word from :class:`WordFeatures`.

    Given the ``lexicon`` matcher of an earlier component, the head words join its scan of the Doc (the
    hits wait in ``doc.user_data[hits_key]``); the finder's own matcher serves Docs the lexicon did not see.
    """

    def __init__(self, nlp: Language, heads: dict[str, Head], rules: PhraseRules,
                 lexicon: LexiconMatcher | None = None, hits_key: str = "kg_phrases heads") -> None:
        self.heads = heads
        self.rules = rules
        self.senses = load_senses()
        sense_cues = frozenset().union(*self.senses.values())  # words before any ordinary sense
        self.features = WordFeatures(rules, heads, sense_cues)
        self.compound_firsts = frozenset(noun.split()[0] for noun in rules.compound_nouns if noun.split())
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        # Heads of a type names give better (rules.skip_types) head nothing: not looked for.
        words = sorted(word for word, head in heads.items() if head.type not in rules.skip_types)
        patterns = list(pattern_tokenizer(nlp).pipe(words))
        self.matcher.add("HEAD", patterns)
        self.hits_key = hits_key if lexicon is not None else None
        if lexicon is not None:
            lexicon.share(hits_key, patterns)

    def __call__(self, doc: Doc) -> list[Candidate]:
        matches = doc.user_data.pop(self.hits_key, None) if self.hits_key else None
        if matches is None:
            matches = self.matcher(doc)
        if not matches:
            return []
        found = []
        tokens = TokenView(doc)
        text, starts, ends = tokens.text, tokens.starts, tokens.ends
        title_end = doc.user_data.get(TITLE_LEN_KEY) or 0
        # Spans a lexicon or shape rule found already: the same span as a phrase would always lose to them.
        candidates = doc.user_data.get(CANDIDATES_KEY) or ()
        known = {(c.start, c.end) for c in candidates}
        spans = None  # the known spans in order, when first needed (known_end_over)
        for _, head_start, head_end in matches:
            head = self.head_at(tokens, head_start, head_end)
            if head is None:
                continue
            start = self.phrase_start(tokens, head, head_start, head_end, title_end)
            if start is None:
                continue
            first, last = starts[start], ends[head_end - 1]
            if (first, last) in known:
                continue
            kind = self.context_type(tokens, start, head_end, head.type) if head.type in _CONTEXT_TYPED else None
            if (kind or head.type) == "Task" and start < head_start - 2:
                start = self.after_method_compound(tokens, start, head_start, candidates)
                if start == head_start and head.needs_modifier:
                    continue  # "graph-based classification": the technique, and no task left
                if first != starts[start]:
                    first = starts[start]
                    if (first, last) in known:
                        continue
            if start < head_start and known:
                if spans is None:
                    spans = sorted(known)
                inside = known_end_over(spans, first)
                if inside:  # the phrase starts inside a known name ("Stable Diffusion enhancements")
                    start = word_start(tokens, bisect_left(starts, inside, start, head_end), head_start)
                    if start >= head_start and head.needs_modifier or start >= head_end:
                        continue  # nothing of its own left: the known name stands
                    first = starts[start]
            canonical = ""
            if first < title_end and head.type == "Task" and start < head_start and not self.in_abstract(tokens, first, last, title_end):
                start = self.title_task_start(tokens, start, head_start, last, known)
                if start is None:
                    continue
                first = starts[start]
                canonical = title_case_lower(text[first:last])  # a task only the title names: rule 7's name
            found.append(make_candidate((first, last, text[first:last], kind or head.type, "phrase", canonical)))
        return found

    def features_of(self, tokens: TokenView, i: int) -> tuple[str, int]:
        """Lower case and feature bits of token ``i`` (:class:`WordFeatures`)."""
        return self.features[tokens.text[tokens.starts[i] : tokens.ends[i]]]

    def head_at(self, tokens: TokenView, head_start: int, head_end: int) -> Head | None:
        """The head matched at tokens ``head_start:head_end``, or None when these words head nothing here."""
        text, starts, ends, features = tokens.text, tokens.starts, tokens.ends, self.features
        last = features[text[starts[head_end - 1] : ends[head_end - 1]]][0]
        if head_end - head_start == 1:
            head = self.heads.get(last)
            if last in self.senses and ordinary_sense(
                    last, features[text[starts[head_start - 1] : ends[head_start - 1]]][0] if head_start else "", self.senses):
                return None  # "are gaining attention", a title's first word "Boosting" ("" stands for the text start)
        else:
            head = self.heads.get(text[starts[head_start] : ends[head_end - 1]].lower())
        if head is None or head.type in self.rules.skip_types:
            return None  # a multi-word head written with other spacing, or a type names give better
        if head_end < tokens.size and last in self.compound_firsts and \
                f"{last} {self.features_of(tokens, head_end)[0]}" in self.rules.compound_nouns:
            return None  # "time series": the head word is the first half of a compound noun
        if head.needs_modifier and head_end < tokens.size - 1 and text[starts[head_end] : ends[head_end]] in _HYPHENS \
                and ends[head_end - 1] >= starts[head_end] and ends[head_end] >= starts[head_end + 1]:
            return None  # "masked time-series modeling": the head word is itself a modifier here
        return head

    def phrase_start(self, tokens: TokenView, head: Head, head_start: int, head_end: int, title_end: int) -> int | None:
        """First token of the phrase of ``head`` at tokens ``head_start:head_end``, or None when it names nothing."""
        text, starts, ends, features = tokens.text, tokens.starts, tokens.ends, self.features
        start = self.modifiers_start(tokens, head_start)
        while start < head_start and features[text[starts[start] : ends[start]]][1] & VERB_LIKE:
            start += 1  # "processing prompts", "mastering uniform synthesis": a verb, not a modifier
        if 0 < start < head_start:
            before = features[text[starts[start - 1] : ends[start - 1]]]
            if before[1] & VERB_CUE:
                start += 1  # "can recognize semantics", "tightly couple comprehension": the first word is a verb
            elif before[0] == "to" and features[text[starts[start] : ends[start]]][1] & TO_VERB:
                start += 1  # "to model intricate light transport", "to train vision encoders": a verb after "to"
        start = word_start(tokens, start, head_start)  # "that thought-based learning": not "-based learning"
        if head.type == "Task" and start < head_start and self.rules.evaluative_ends:
            first_word = features[text[starts[start] : ends[start]]][0]
            if "-" in first_word and first_word.rsplit("-", 1)[1] in self.rules.evaluative_ends:
                start += 1  # "priors-reliant generation", "view-consistent editing": a judgement of how, not a kind of task
            if start + 2 <= head_start and first_word in self.rules.technique_firsts and starts[start + 2] > ends[start + 1] and \
                    f"{first_word} {features[text[starts[start + 1] : ends[start + 1]]][0]}" in self.rules.technique_prefixes:
                start += 2  # "deep learning segmentation": the technique used, not the task
            if self.rules.capability_heads and features[text[starts[head_end - 1] : ends[head_end - 1]]][0] in self.rules.capability_heads \
                    and all(features[text[starts[i] : ends[i]]][0] in self.rules.capability_modifiers for i in range(start, head_start)):
                return None  # "geometric understanding", "deep contextual understanding": a capability, not a task
        if start < head_start and starts[start] < title_end:
            start = title_phrase_start(tokens, start, head_start, title_end, _TITLE_TASK_WORDS if head.type == "Task" else 0)
        if start == head_start:
            if head.needs_modifier and not (head.type == "Task" and head_end < tokens.size
                                            and self.features_of(tokens, head_end)[0] in _TASK_WORDS):
                return None  # a bare head names nothing, except a task before "task(s)" ("reasoning tasks")
        elif head_start - start == 1:
            bits = features[text[starts[start] : ends[start]]][1]
            if bits & BARE_MODIFIER and head.type == "Method":
                return None  # "model inference", "model computation": an activity on the model, not a technique
            if bits & ACTOR and head.type == "Task" and self.features_of(tokens, head_end - 1)[0] not in self.rules.object_heads:
                return None  # "human review", "model prediction", "token selection": who does it, not a task
        if start and head_end - start > 1:
            before, bits = features[text[starts[start - 1] : ends[start - 1]]]
            if bits & SENSE_CUE and ordinary_sense(text[starts[start] : ends[head_end - 1]].lower(), before, self.senses):
                return None  # "at inference time": when, not a measure
        return start

    @staticmethod
    def in_abstract(tokens: TokenView, first: int, last: int, title_end: int) -> bool:
        """Whether the abstract repeats the title words ``text[first:last]`` (case aside)."""
        return tokens.text[first:last].lower() in tokens.lower_abstract(title_end)

    def after_method_compound(self, tokens: TokenView, start: int, head_start: int, candidates: Sequence[Candidate]) -> int:
        """Start of a Task phrase's modifiers ``start:head_start`` past its last ``X-based`` compound whose ``X`` is a
        technique (a Method or Model name found already, or a technique word): the technique used, not the task
        (``LLM-based code generation`` -> ``code generation``, ``diffusion-based boundary detection``). A modality or
        input stays (``skeleton-based action recognition``, ``click-based 3D object localization``)."""
        text, starts, ends, features = tokens.text, tokens.starts, tokens.ends, self.features
        for i in range(head_start - 1, start + 1, -1):
            if features[text[starts[i] : ends[i]]][0] in self.rules.method_compounds \
                    and features[text[starts[i - 1] : ends[i - 1]]][1] & HYPHEN and ends[i - 1] >= starts[i]:
                word_start = i - 2
                while word_start > start and ends[word_start - 1] >= starts[word_start]:
                    word_start -= 1
                word = text[starts[word_start] : ends[i - 2]]
                span = (starts[word_start], ends[i - 2])
                if word.lower() in self.rules.technique_words or any(
                        (c.start, c.end) == span and c.type in _TECHNIQUE_TYPES for c in candidates):
                    return i + 1
        return start

    def title_task_start(self, tokens: TokenView, start: int, head_start: int, last: int,
                         known: set[tuple[int, int]]) -> int | None:
        """Start of a Task phrase of tokens ``start:head_start`` (modifiers) that only the title names, or None when
        it names no task of its own: a known name ends it (``Subcellular Semantic Segmentation``) or crosses its
        end (``Tri-Efficient Transfer Learning``); it is the second conjunct of a shared head (``Future and
        Historical Reasoning``); a modifier is the model doing the task (``LLM Reasoning``, ``Language Model
        Generation``: the task is the bare head). ``A to B`` joins the modifiers (``Speech to Text Translation``)."""
        starts = tokens.starts
        if any(s < last < e for s, e in known) or any((starts[i], last) in known for i in range(start + 1, head_start)):
            return None
        before = self.features_of(tokens, start - 1)[0] if start else ""
        if before == "to" and start >= 2 and self.features_of(tokens, start - 2)[1] & MODIFIER \
                and not tokens.starts_sentence(start - 1) and not tokens.starts_sentence(start):
            start -= 2
            before = self.features_of(tokens, start - 1)[0] if start else ""
        if before in _CONJUNCTIONS or any(self.features_of(tokens, i)[0] in self.rules.title_actor_words for i in range(start, head_start)):
            return None
        return start

    def modifiers_start(self, tokens: TokenView, index: int) -> int:
        """Start token of the modifiers before the head starting at token ``index`` (at most ``max_modifiers``,
        in its sentence). A hyphenated modifier split by the tokenizer (``cost-based pruning``) counts as one."""
        text, starts, ends, firsts, features = tokens.text, tokens.starts, tokens.ends, tokens.sentence_firsts, self.features
        start = index
        modifiers = 0
        while modifiers < self.rules.max_modifiers and start > 0 and start not in firsts:
            bits = features[text[starts[start - 1] : ends[start - 1]]][1]
            if bits & COMPOUND_SUFFIX and self.hyphen_compound_before(tokens, start):
                start, modifiers = start - 3, modifiers + 1
                continue
            if not bits & MODIFIER or bits & DIGITS or (ends[start - 1] >= starts[start] and not bits & LETTERS):
                break  # a number is a count or a value, never part of a name ("3 layers", "0.25 m error")
            start, modifiers = start - 1, modifiers + 1
        if start < index:
            word = text[starts[start] : ends[start]]
            bits = features[word][1]
            number = text[starts[start - 1] : ends[start - 1]] if start > 0 else ""
            if number and features[number][1] & DIGITS and features[word][0] in self.rules.units:
                if features[word][0] == "k" and number in _RESOLUTIONS and ends[start - 1] == starts[start]:
                    start -= 1  # a display resolution ("4K video generation")
                else:
                    start += 1  # the unit of a value ("0.249 m Chamfer distance", "23K training")
            elif bits & EVALUATIVE_SUFFIX and start > 0 and text[starts[start - 1] : ends[start - 1]] in _HYPHENS:
                start += 1  # the rest of an evaluative compound left out ("input-agnostic attacks" -> "attacks")
        return start

    def hyphen_compound_before(self, tokens: TokenView, end: int) -> bool:
        """Whether tokens ``end - 3:end`` are a descriptive hyphenated modifier in one sentence (``cost-based``,
        ``velocity-constrained``, ``time-series``: the tokenizer splits these before the suffix; the suffix
        is in ``rules.compound_suffixes``, checked by the caller). ``memory-efficient`` is left out."""
        starts, ends = tokens.starts, tokens.ends
        return end >= 3 and bool(self.features_of(tokens, end - 2)[1] & HYPHEN) and ends[end - 3] >= starts[end - 2] \
            and ends[end - 2] >= starts[end - 1] and bool(self.features_of(tokens, end - 3)[1] & SHAPE) \
            and not tokens.starts_sentence(end - 2) and not tokens.starts_sentence(end - 1)

    def context_type(self, tokens: TokenView, start: int, end: int, head_type: str | None = None) -> str | None:
        """The type the words around the phrase of tokens ``start:end`` give it: ``X problem``, ``X tasks`` -> Task;
        ``X framework``, ``combines X``, ``via X``, ``combines A, B, and X`` -> Method (a technique used);
        ``for X``, ``tackles X`` -> Task. None when no cue. A Task cue counts only for an action-noun head
        (``rules.action_noun``: ``for LLM inference``, not ``for conversational agents``). A plural Method noun after
        a Task-headed phrase names the methods for the task, not a technique: ``plant phenotyping methods`` stays a
        Task (``head_type``), as ``our phenotyping framework`` does not; a paradigm word makes it a kind of technique
        (``supervised forecasting methods``, ``iterative reconstruction methods``: rules.paradigm_words)."""
        rules = self.rules
        following = self.features_of(tokens, end)[0] if end < tokens.size else ""
        kind = None
        if rules.next_types and following in rules.next_types:
            kind = rules.next_types[following]
            if kind == "Method" and head_type == "Task" and following.endswith("s") and not any(
                    self.features_of(tokens, i)[0] in rules.paradigm_words for i in range(start, end - 1)):
                return None
        elif rules.before_types:
            kind = self.list_cue_type(tokens, start)
        if kind == "Task" and rules.action_noun is not None and not rules.action_noun.match(self.features_of(tokens, end - 1)[0]):
            return None
        return kind

    def list_cue_type(self, tokens: TokenView, start: int) -> str | None:
        """The type a cue before the phrase starting at token ``start`` (or before the list it ends) gives:
        a word (``via``) or, where the walk stops, a few words ending there (``tasks such as``, ``problem of``)."""
        text, starts, ends, firsts = tokens.text, tokens.starts, tokens.ends, tokens.sentence_firsts
        before_types, features = self.rules.before_types, self.features
        index = start - 1
        while index >= 0 and start - index <= 24 and index + 1 not in firsts:
            word, bits = features[text[starts[index] : ends[index]]]
            if word in before_types:
                return before_types[word]
            if not bits & LIST_ITEM:
                # The walk passes only over the items of a list; where it stops, a cue of a few words may end
                # (only on a word that ends one).
                for first in (index - 2, index - 1) if bits & CUE_END else ():
                    if first >= 0 and not tokens.starts_sentence(first + 1):
                        cue = text[starts[first] : ends[index]].lower()
                        if cue in before_types:
                            return before_types[cue]
                return None
            index -= 1
        return None


def known_end_over(spans: list[tuple[int, int]], position: int) -> int:
    """The end of the longest of the sorted ``spans`` that starts before character ``position`` and ends after
    it (0 when none): among the last few spans starting before it (known names nest a few deep at most)."""
    index = bisect_left(spans, (position, -1))
    return max((end for _, end in spans[max(0, index - 4) : index] if end > position), default=0)


def word_start(tokens: TokenView, start: int, head_start: int) -> int:
    """``start``, or the first token after it that begins a word, when ``start`` is the hyphen or the suffix of a
    hyphenated modifier whose first part was left out (``probing-based classifiers`` after the known ``probing``,
    ``thought-based learning`` after the verb-like ``thought``): a phrase never starts inside a word."""
    text, starts, ends = tokens.text, tokens.starts, tokens.ends
    while start < head_start and (text[starts[start] : ends[start]] in _HYPHENS
                                  or start and ends[start - 1] >= starts[start]
                                  and text[starts[start - 1] : ends[start - 1]] in _HYPHENS):
        start += 1
    return start


def title_phrase_start(tokens: TokenView, start: int, head_start: int, title_end: int, keep_words: int = 0) -> int:
    """Start of a title phrase, kept to the longest part the abstract repeats.

    Titles capitalise and pack modifiers (``Cost-Effective Hyperparameter Optimization``); the part
    that also occurs in the abstract (``hyperparameter optimization``) is the name. When no part
    with a modifier recurs, the last ``keep_words`` modifier words are kept (a task the title alone
    names: ``Field Boundary Segmentation``; a hyphenated word is one), else the bare head is returned.
    """
    text, starts, ends = tokens.text, tokens.starts, tokens.ends
    abstract = tokens.lower_abstract(title_end)
    end_char = ends[head_start]
    for candidate in range(start, head_start):
        if text[starts[candidate] : end_char].lower() in abstract:
            return candidate
    index, words = head_start, 0
    while index > start and words < keep_words:
        index -= 1
        while index > start and ends[index - 1] >= starts[index]:
            index -= 1  # a hyphenated word is one ("Vision-Language Navigation")
        words += 1
    return index


def stem(phrase: str) -> str:
    """``phrase`` without a plural ``s`` (``object hallucinations`` -> ``object hallucination``): a title's plural
    phrase recurs as the abstract's singular, and the stem is found in both."""
    if len(phrase) < 4 or not phrase.endswith("s") or phrase.endswith(("ss", "us", "is", "ics")):
        return phrase
    return phrase[:-3] + "y" if phrase.endswith("ies") else phrase[:-1]


def title_case_lower(text: str) -> str:
    """``text`` with its capitalised words in lower case (``Field Boundary Segmentation`` -> ``field boundary
    segmentation``); acronyms and mixed-case names keep their spelling (``LiDAR``, ``3D``, ``RGB-D``)."""
    return " ".join(word.lower() if all(part[:1].isupper() and part[1:].islower() or part.islower() or not part.isalpha()
                                        for part in word.split("-")) and not any(c.isdigit() for c in word) else word
                    for word in stem(text).split(" "))


@Language.factory("kg_phrases", default_config={"lexicon_dir": None, "rules_path": None}, assigns=["doc._.kg_candidates"])
def make_phrase_finder(nlp: Language, name: str, lexicon_dir: str | None, rules_path: str | None) -> CandidateComponent:
    """Component adding :class:`PhraseFinder` candidates; head words join the scan of a lexicon component before it."""
    rules = load_phrase_rules(rules_path)
    lexicon = next((proc.find for _, proc in nlp.pipeline if isinstance(getattr(proc, "find", None), LexiconMatcher)), None)
    return CandidateComponent(PhraseFinder(nlp, load_heads(rules, lexicon_dir), rules, lexicon, f"{name} heads"))
