"""What a paper proposes, by name: ``FlexLLM: A System for ...``, ``we propose X``, ``X, a novel ...``, ``called X``.

A contribution without a name (``we propose a novel method``) is not one: every rule ends on a
*name*, a word written like a proper name (``FlexLLM``, ``CPPD``, ``T5``, ``Hydra++``, or a capitalised
word where the grammar expects a name, as in ``we introduce Falcon, a ...``), or the long form of an
acronym defined right there (``we propose Context Perception Parallel Decoder (CPPD)``).  Its type
comes from the words that say what it is (``a benchmark``, ``a Python library``, ``framework``).

Rules work on the doc's text with compiled regexes, sentence by sentence (:func:`sentence_bounds`), so
they do not depend on the tokenizer; each rule reads only the sentences holding one of its cue words
(found from a few anchors, see :data:`_RULE_ANCHORS`).  The small vocabulary of type words and cue words
(``kg/patterns/contributions.json``) is grammar of abstracts (``a benchmark``, ``a framework``), not a
lexicon of names: names are never listed anywhere.
"""
from __future__ import annotations

import json
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from kg.components import PATTERNS_DIR
from kg.components.title import TITLE_LEN_KEY, ExtensionComponent
from kg.components.abbreviations import (
    Abbreviation,
    doc_definitions,
    doc_text,
    is_short_form,
    match_long_form,
    sentence_bounds,
    sentence_of,
    short_form_key,
)

_EXTENSION = "kg_contributions"
if not Doc.has_extension(_EXTENSION):
    Doc.set_extension(_EXTENSION, default=None)


def load_grammar(path: str | Path | None = None) -> dict:
    """The word lists of the rules (default ``kg/patterns/contributions.json``; its ``_about`` says what each is)."""
    return json.loads(Path(path or PATTERNS_DIR / "contributions.json").read_text(encoding="utf-8"))


def _either(words: Iterable[str]) -> str:
    """A regex alternation of ``words``, each matched literally."""
    return "|".join(map(re.escape, words))


_GRAMMAR = load_grammar()
# Head nouns saying what a contribution is.  Closed-class grammar of abstracts, not a lexicon of names.
TYPE_WORDS: dict[str, str] = {word: kind for kind, words in _GRAMMAR["type_words"].items() for word in words}
# Heads that defer to what follows ``of``: ``a family of LLMs``, ``a collection of ... methods``.
_OF_HEADS = frozenset(_GRAMMAR["of_heads"])
# Name endings that give the type themselves: "VitaBench" is a benchmark even when called "a framework".
_NAME_TYPES = [(kind, re.compile(pattern)) for kind, pattern in _GRAMMAR["name_types"].items()]
_HEAD_STOP = frozenset(_GRAMMAR["head_stop"])

# A name word: starts with a letter or digit, may carry hyphens, dots, slashes and a ``++``.
_WORD = r"[A-Za-z0-9](?:[\w.\-/]*\w)?(?:\+\+)?"
_VERSION = r"(?:v?\d[\w.]*|[a-z]\d[\w.]*|\d+x\d+[A-Za-z]*)"
# A name: one word and optional version or proper-name words after it (``Mixtral 8x7B``, ``BitNet b1.58``).
_NAME = re.compile(rf"(?<![\w\-.])(?=[A-Z0-9]|[a-z]+[A-Z0-9])(?P<name>{_WORD}(?:[ ](?:{_VERSION}|[A-Z][\w.\-]*[A-Z0-9][\w.\-]*)(?![\w\-]))*)(?![\w\-])")
_GENERIC = re.compile(rf"^(?:{_either(_GRAMMAR['generic_words'])})$", re.IGNORECASE)
_MODIFIER_SUFFIX = re.compile(rf"-(?:{_either(_GRAMMAR['modifier_suffixes'])})$", re.IGNORECASE)
# What may follow a plain capitalised word for it to be a name: punctuation, a clause word or a verb.
_NAME_END = re.compile(r"\s*(?:[,:;(.]|$|(?:to|that|which|for|with|as|and|is|are|was|were|has|have|can|achieves?)\b)")
_NAME_BEFORE = re.compile(rf"(?<![\w\-.])(?P<name>{_WORD}(?:[ ]{_VERSION})*)\s*$")
_PLURAL_ACRONYM = re.compile(r"^[A-Z][A-Z0-9\-]*[A-Z]s$")
# An acronym in parentheses inside a description: ``Graph Language Model (InstructGLM) framework``.
_ACRONYM_PARENS = re.compile(r"\s*\([A-Za-z][\w\-]*[A-Z][\w\-]*\)")
_CLAUSE_PUNCT = re.compile(r"[,;:.]")
# A hyphenated compound of capitalised words (``Dual-Space``, ``Time-Warped``): strong by shape, yet a word of a long name.
_TITLE_COMPOUND = re.compile(r"[A-Z][a-z]+(?:-[A-Z][a-z]+)+$")
# A model size alone (``our 7B and 32B models``) is no name.
_BARE_SIZE = re.compile(r"\d+(?:\.\d+)?[BMK]$")
# Modifiers separated by commas at the start of a description: ``simple, efficient, and ``.
_MODIFIER_LIST = re.compile(r"(?:[\w\-]+,[ ]+)+(?:and[ ]+|or[ ]+)?")
_HEAD_TOKEN = re.compile(r"[\w\-]+|[,;:.()]")
_HYPHENATED_WORD = re.compile(r"[\w\-]+")
_FOLLOWING_SMALL_WORD = re.compile(r"\s+([a-z]+)")
_FOLLOWING_WORD = re.compile(r"\s+([a-z][\w\-]*)")

_SUBJECT_NOUNS = _either(_GRAMMAR["subject_nouns"])
_SUBJECT = re.compile(rf"\bwe\b|\b(?:this|the present|our)\s+(?:{_SUBJECT_NOUNS})\b", re.IGNORECASE)
_VERB = re.compile(rf"(?<![\w\-])(?P<verb>{_either(_GRAMMAR['intro_verbs'])})(?:s|d)?\b(?!\s+to\b)", re.IGNORECASE)
# For a lower-cased ASCII text: the character before the verb is matched (an ASCII one that is neither a word
# character nor a hyphen) instead of looked behind at, so that the scan skips at C speed to where a verb may start.
_VERB_ASCII = re.compile(
    "[" + re.escape("".join(char for char in map(chr, range(128)) if not re.match(r"[\w\-]", char))) + "]"
    + _VERB.pattern.removeprefix(r"(?<![\w\-])")
)
# A verb form read as a noun: ``the design space``, ``our release``.
_NOT_VERB_BEFORE = re.compile(r"\b(?:the|a|an|of|this|our|its|their|whose|for)\s+$", re.IGNORECASE)
_CALLED = re.compile(
    rf"\b(?:{_either(_GRAMMAR['naming_words'])}|which\s+we\s+(?:{_either(_GRAMMAR['naming_verbs'])}))\b[\s,]*", re.IGNORECASE
)
_ARTICLE = re.compile(r"\s*(?:the\s+)?", re.IGNORECASE)
_INDEFINITE = re.compile(r"(?:an?|two|three)\s+", re.IGNORECASE)
# ``a theorem-and-proof benchmark MUSTARDSAUCE``: an article, a few modifiers, a type word, the name.
_TYPED_START = re.compile(r"\s*(?:a|an|the|two|three)\s", re.IGNORECASE)
_TYPED_NAME = re.compile(
    r"\s*(?:a|an|the|two|three)\s+(?:[\w\-]+,?\s+){0,5}?(?P<type>" + _either(sorted(TYPE_WORDS, key=len, reverse=True)) + r")\b"
    r"(?P<link>\s+(?:for|of)\s+(?:the\s+)?|[,:]\s+(?!(?:a|an|the)\s)|\s+)",
    re.IGNORECASE,
)
# ``X, the first ...``: ``the`` with a word saying the thing is new describes a name as ``a`` does.
_FIRST = r"the\s+(?:first|largest|only|biggest|largest-scale|most\s+comprehensive|first-ever)\s"
_APPOSITIVE_COMMA = re.compile(rf",\s*(?:which\s+is\s+)?(?:a\s|an\s|{_FIRST})", re.IGNORECASE)
# Where a description of the name starts: ``X, a Python library``, ``X, which is a ...``, ``X a dataset``.
_DESCRIPTION = re.compile(
    r"\s*(?:\([^()]*\)\s*)?(?:,?\s*(?:which\s+is\s+|that\s+is\s+)?(?:a|an)|,\s*(?:which\s+is\s+)?the)\s+", re.IGNORECASE)
_PASSIVE = re.compile(
    rf"\s(?:is|are)\s+(?:newly\s+|further\s+|then\s+)?(?:{_either(_GRAMMAR['passive_verbs'])})\b", re.IGNORECASE
)
_PASSIVE_NAME = re.compile(rf"(?<![\w\-.])(?P<name>{_WORD})(?:\s*,\s*which\b[^.;]*?,)?\s*$")
_DEFINITION_TAIL = re.compile(r"\s*\)\s*(?:([a-z]+)\s*)?$")
_NOVEL = re.compile(r",\s*(?:which\s+is\s+)?an?\s+(?:novel|new)\b", re.IGNORECASE)
# ``our framework, Vesta,``: a type word (after up to three modifiers: ``our LCM-augmented coding agent, Volt,``)
# and a comma may come between the cue and a name closed by punctuation (not ``On our dataset, XD-MAP outperforms``).
_PROPOSED = re.compile(
    r"\b(?:our\s+(?P<proposed>proposed\s+)?|the\s+proposed\s+)"
    rf"(?P<typed>(?:[\w\-]+\s+){{0,3}}?(?:{_either(_GRAMMAR['proposed_types'])}),\s+(?=[^\s,;(]+(?:\s[^\s,;(]+){{0,4}}?\s*(?:[,;(]|\.(?:\s|$))))?",
    re.IGNORECASE,
)
# ``our SLAM system``: a bare capital-letter acronym after ``our`` is too often a field or a task.
_BARE_ACRONYM = re.compile(r"^[A-Z]+$")
# Each rule reads only the sentences holding one of its (lower-cased) stems.  Looking for every stem costs some
# 45 scans of the text, more than the rules; instead a rule looks where its *anchors* are, on the lower-cased
# text, and checks its stems only in those few sentences.  Every match of a rule's cue regex holds one of its
# anchors.  An anchor is a literal, found with ``str.find`` (the fastest scan), except those that :data:`_SCANS`
# finds with a regex: ``we`` and ``our`` (as words, the only places their cues match: far fewer places), the ``-ed``
# cue words (all in one scan, from their ending) and ``we call`` (``which we call X``, tried at the places of ``we``).
_RULE_STEMS: dict[str, tuple[str, ...]] = {rule: tuple(stems) for rule, stems in _GRAMMAR["rule_stems"].items()}
_RULE_ANCHORS: dict[str, tuple[str, ...]] = {
    "introduced": ("we", "our", "this", "the present"),  # the verb comes after a subject
    "called": (*_GRAMMAR["naming_words"], "we call"),
    "ours": ("our", "proposed"),  # ``our``, ``the proposed``
    "novel": ("novel", "new"),
    "passive": tuple(_GRAMMAR["passive_verbs"]),
    "listed": (":",),  # the list head ends in a colon
}
_SUBJECT_ANCHORS = _RULE_ANCHORS["introduced"]
_ED_WORDS = tuple(word for word in (*_GRAMMAR["naming_words"], *_GRAMMAR["passive_verbs"]) if word.endswith("ed"))
_WORD_SCANS = {"we": re.compile(r"we(?<!\wwe)(?!\w)"), "our": re.compile(r"our(?<!\wour)")}
_SCANS = {
    **_WORD_SCANS,
    "we call": re.compile(rf"we\s+(?:{_either(_GRAMMAR['naming_verbs'])})"),
    # the letter before ``ed`` first: most ``-ed`` words of a text end otherwise
    "-ed": re.compile(
        "ed(?<=[" + "".join(sorted({word[-3] for word in _ED_WORDS})) + "]ed)(?:"
        + "|".join(f"(?<={word})" for word in _ED_WORDS) + ")"
    ),
}
_LITERAL_ANCHORS = tuple(dict.fromkeys(
    anchor for anchors in _RULE_ANCHORS.values() for anchor in anchors if anchor not in _SCANS and anchor not in _ED_WORDS
))
# A sentence with an ``introduced`` verb holds its stem (the verbs start with their stems): no stem check there.
_STEMS_CHECKED = frozenset(_RULE_STEMS) - {"introduced"}
# The rules each anchor serves (``our`` serves ``introduced`` and ``ours``).
_ANCHOR_RULES: dict[str, tuple[str, ...]] = {
    anchor: tuple(rule for rule, anchors in _RULE_ANCHORS.items() if anchor in anchors)
    for anchor in dict.fromkeys(anchor for anchors in _RULE_ANCHORS.values() for anchor in anchors)
}
# The characters (besides A-Z) that an IGNORECASE regex matches to a lower-case ASCII letter although their own
# lower case differs (``İ`` also lengthens the lower-cased text): where they occur, anchors on the lower-cased
# text could miss a cue, so every sentence holding a stem is read, as the stems alone would pick them.
_CASE_FOLDS = ("\u0131", "\u017f")
_SMALL_OR_COMMA = frozenset("abcdefghijklmnopqrstuvwxyz,")  # ``[a-z,]``
# ``two novel components: (i) X and (ii) Y``, ``mechanisms: i) A, ii) B``: a numbered list of the paper's parts.
_LIST_HEAD = re.compile(
    rf"\b(?P<head>{_either(_GRAMMAR['list_heads'])})"
    r"(?:\s*,?\s*(?:namely|including))?\s*:\s*",
    re.IGNORECASE,
)
_LIST_ITEM = re.compile(r"(?:^|(?<=[\s,;:]))\(?(?:[ivx]{1,4}|[1-9])\)\s*")
# The list must be the paper's own: a subject or novelty word before the head.
_OWN_LIST = re.compile(r"\b(?:we|our|novel|new|propose[sd]?|introduce[sd]?)\b", re.IGNORECASE)
_LIST_TYPES = {head: kind for head, kind in _GRAMMAR["list_heads"].items() if kind}
# ``a dynamic chunk-wise autoregressive synthesis framework, termed DCAR``: the phrase an acronym names.
_PHRASE_BEFORE = re.compile(r"(?:^|(?<=[\s(]))(?P<phrase>(?:[A-Za-z][\w\-]*\s+){0,6}[A-Za-z][\w\-]*)\s*,\s*$")
_PHRASE_STOP = frozenset(_GRAMMAR["phrase_stop"])
# Capitalised words in a row, ended by punctuation or a clause word: ``Low-Rank Transformer``.
_TITLE_RUN = re.compile(
    r"(?P<name>[A-Z][\w\-]*(?:\+\+)?(?:(?:[ ](?:and|of|for|with|via|in|on|to))?[ ](?:[A-Z][\w\-]*|\d[\w.]*\w)(?:\+\+)?){1,5})"
    r"(?=\s*(?:[,:;(]|\.(?:\s|$)|$|\s(?:to|that|which|for|as|is|and)\b))"
)
# Capitalised words in a row before a lower-case type word: ``Hybrid Tree structure``, ``Question-Aware Captioning mechanism``.
_TITLE_RUN_HEAD = re.compile(
    r"(?P<name>[A-Z][\w\-]*(?:(?:[ ](?:and|of|for|with|via|in|on|to))?[ ](?:[A-Z][\w\-]*|\d[\w.]*\w)){1,5})"
    rf"(?=[ ](?:{_either(sorted(TYPE_WORDS, key=len, reverse=True))})\b)"
)
# A name and one lowercase head noun before an appositive: ``Hydra heads, a ...``.
_NAME_AND_HEAD = re.compile(r"(?P<name>[A-Za-z0-9][\w\-]*(?:\+\+)?[ ][a-z][a-z\-]+)(?=\s*,\s*(?:a|an)\s)")
# Words before ``called X`` saying X already exists: then X is not the paper's.
_NOT_NEW = re.compile(rf"\b(?:{_either(_GRAMMAR['not_new'])})\b[^,.;]*$", re.IGNORECASE)
_PAREN_ACRONYM = re.compile(r"\s*\(\s*([^()\s,;]+)\s*\)")
# How far (characters) a name or its description may lie from its cue: bounds the work per cue, so a
# 100,000-character abstract without sentence breaks stays linear.
_REACH = 300
# What follows a definition's short form: a hyphen (``(FAS)-enabled``) or a lower-case word.
_AFTER_DEFINITION = re.compile(r"\s*\)?(?:(?P<hyphen>-|\s*[A-Z])|\s*(?P<word>[a-z][a-z\-]*))")
_CLAUSE_WORDS = frozenset(("that", "which", "to", "is", "are", "and", "or", "as", "can", "achieves", "consists", "combines",
                           "leverages", "uses", "integrates", "enables", "improves", "outperforms", "where", "whose"))
# One lower-case modifier and the space after it, in a row after an article (see :meth:`_Finder.name_at`).
_MODIFIER_WORD = re.compile(r"([a-z][a-z\-]*)[ ]+")
_TITLE_NAME = re.compile(rf"^\s*(?P<name>{_WORD}(?:\s+{_VERSION})?)\s*:\s*(?P<description>\S.*)$")
_TRAILING_HEAD = re.compile(r"\s+(?P<word>[a-z][a-z\-]+)(?=\s*(?:,|\.|;|$|\s+(?:which|that|to|for|is|as)\b))")


@dataclass(frozen=True, slots=True)
class Contribution:
    """A named thing the paper proposes, at ``doc.text[start_char:end_char]`` (= ``text``).

    ``type_hint`` is one of Model, Method, Benchmark when the text says what it is, else None; ``rule``
    names the pattern that found it.  When the name is one half of an acronym definition, the other half
    is kept: ``short_form`` when ``text`` is the long form (``Context Perception Parallel Decoder`` /
    ``CPPD``), ``long_form`` when ``text`` is the acronym (a title ``FPGA: ...`` whose abstract defines it).
    """

    start_char: int
    end_char: int
    text: str
    type_hint: str | None
    rule: str
    long_form: str | None = None
    short_form: str | None = None

    @property
    def name(self) -> str:
        """The full name: the long form when there is one (guidelines: canonical name = full form)."""
        return self.long_form or self.text

    @property
    def aliases(self) -> tuple[str, ...]:
        """The other surface forms of the name: the acronym, and the text when the long form is the name."""
        return tuple(dict.fromkeys(form for form in (self.short_form, self.text) if form and form != self.name))


@lru_cache(maxsize=8192)
def is_strong_name(word: str) -> bool:
    """True for words that are names by their shape alone: an inner capital (``FlexLLM``, ``CPPD``, ``T-IB``),
    letters with digits (``T5``, ``GPT-4``) or a ``++`` (``Hydra++``), but not plural acronyms (``LLMs``)."""
    if _PLURAL_ACRONYM.match(word) or _MODIFIER_SUFFIX.search(word) or _BARE_SIZE.match(word):
        return False
    return any(map(str.isalpha, word)) and (
        any(map(str.isupper, word[1:])) or any(map(str.isdigit, word)) or word.endswith("++")
    )


def _is_name(word: str, *, after: str) -> bool:
    """Whether ``word`` can be a contribution's name; a capitalised plain word only when punctuation or a
    clause word follows it (``we introduce Falcon, a ...`` but not ``we introduce Bayesian optimization``)."""
    shaped = _name_by_shape(word)
    return shaped if shaped is not None else _NAME_END.match(after) is not None


@lru_cache(maxsize=8192)
def _name_by_shape(word: str) -> bool | None:
    """What the shape of ``word`` says of it as a name (words recur: cached): True for a strong name, False for a
    generic word, a ``-based``-like modifier, a plural acronym or a small word, None for a capitalised plain word."""
    if _GENERIC.match(word) or _MODIFIER_SUFFIX.search(word):
        return False
    if is_strong_name(word):
        return True
    return None if word[0].isupper() and not _PLURAL_ACRONYM.match(word) else False


def type_of(words: str) -> str | None:
    """Type named by the head of a short description (``a Python library that ...`` -> Model), or None.

    The description is read up to a preposition, a clause word or punctuation; its head is the last
    type word that is not a modifier of a following noun (``language model alignment`` has no type
    word as head); after a head, a participle or adverb ends it (``a framework optimized for``);
    ``family/collection/suite of`` defer to what follows ``of``.

    A parenthesised acronym is skipped (``a Graph Language Model (GLM) framework`` -> Method).

    >>> type_of("A System for Co-Serving"), type_of("a family of LLMs trained for"), type_of("language model alignment")
    ('Model', 'Model', None)
    """
    found = None
    previous = ""
    # A list of modifiers before the head is read past (``a simple, efficient, and general ... approach``,
    # ``a large-scale, high-quality dataset``), unless a listed word is itself a type word (``a model, a dataset``).
    listed = _MODIFIER_LIST.match(words)
    if listed and not any(word.casefold() in TYPE_WORDS for word in _HYPHENATED_WORD.findall(listed.group())):
        words = words[listed.end() :]
    # Punctuation other than brackets always ends the head: the words after it are never read.
    cut = _CLAUSE_PUNCT.search(words)
    if cut:
        words = words[: cut.start()]
    # (tokens one at a time: the head is read from the first few, and the loop stops long before the end)
    for token in map(itemgetter(0), _HEAD_TOKEN.finditer(_ACRONYM_PARENS.sub("", words).casefold())):
        if token == "of" and previous in _OF_HEADS:
            previous = token
            continue
        if not token[0].isalnum() or token in _HEAD_STOP:
            break
        head = TYPE_WORDS.get(token) or TYPE_WORDS.get(token.rsplit("-", 1)[-1])
        if head:
            found = head
        elif found and "-" not in token and token.endswith(("ed", "ing", "ly")):
            break
        elif token == "suite":
            found = "Benchmark"
        elif (previous in TYPE_WORDS or previous.rsplit("-", 1)[-1] in TYPE_WORDS) and token not in ("and", "or"):
            found = None  # the type word modified what follows (``language model alignment``, ``Cross-task Activation``)
        previous = token
    return found


def _type_before(text: str, start: int, end: int) -> str | None:
    """Type from the last type word in ``text[start:end]`` (``a framework named``, ``the transformer model called``)."""
    found = None
    for word in _HYPHENATED_WORD.findall(text[start:end].casefold())[-8:]:
        head = word.rsplit("-", 1)[-1]
        found = TYPE_WORDS.get(word) or TYPE_WORDS.get(head) or found
    return found


@dataclass(frozen=True, slots=True)
class _Name:
    """A name found where a rule expects one, with the text after it (where its description is)."""

    start: int
    end: int
    long_form: str | None
    short_form: str | None
    after: str


class _Finder:
    """Holds one text's definitions and collects contributions; the rules are its methods."""

    def __init__(self, text: str, title_len: int, definitions: list[Abbreviation], cues: _Cues) -> None:
        self.text = text
        self.cues = cues
        self.title_len = title_len
        self.definitions = definitions
        # Look-ups by position and by short form, so that each cue costs the same however many definitions.
        self.by_long_start = {d.long_start: d for d in reversed(definitions)}
        self.by_short_start = {d.short_start: d for d in reversed(definitions)}
        self.first_definition: dict[str, Abbreviation] = {}
        for definition in definitions:
            self.first_definition.setdefault(short_form_key(definition.short), definition)
        self.found: dict[tuple[int, int], Contribution] = {}

    def add(self, name: _Name, type_hint: str | None, rule: str) -> None:
        text = self.text[name.start : name.end]
        if not text.strip() or self._overlaps(name):
            return
        long_form, short_form = name.long_form, name.short_form
        if short_form is None and long_form is None:
            long_form = self._expansion(text)
        type_hint = next((kind for kind, ending in _NAME_TYPES if ending.search(text)), type_hint)
        self.found[(name.start, name.end)] = Contribution(name.start, name.end, text, type_hint, rule, long_form, short_form)

    def _overlaps(self, name: _Name) -> bool:
        """Whether ``name`` overlaps a contribution found already (then it is not added)."""
        return any(start < name.end and name.start < end for start, end in self.found)

    def _expansion(self, short: str) -> str | None:
        """The long form of ``short`` when the doc defines it as an acronym."""
        if not self.first_definition:
            return None
        definition = self.first_definition.get(short_form_key(short))
        return definition.long if definition and definition.short == short else None

    def _defined_before(self, name: str, position: int) -> bool:
        """Whether ``name`` was defined as an acronym earlier than ``position`` (then it is not new here)."""
        if not self.first_definition:
            return False
        definition = self.first_definition.get(short_form_key(name))
        return definition is not None and definition.short_start < position

    def name_at(self, pos: int, end: int, *, strict: bool) -> _Name | None:
        """The name starting at ``pos`` (before ``end``), or None.

        A long form defined right there wins (``Thread Inference Model (TIM)``); a name followed by its
        own long form in parentheses (``PEARL (Parallel ...)``) is returned as that long form.
        """
        pos = _ARTICLE.match(self.text, pos, end).end()
        indefinite = _INDEFINITE.match(self.text, pos, end)
        # ``we propose the Thread Inference Model (TIM)``, ``a Mixed Granularity Implicit Representation (MGIR) framework``.
        for at in (pos, indefinite.end() if indefinite else None):
            definition = self.by_long_start.get(at)
            if definition and definition.short_end <= end:
                return self._long_form_name(definition, end)
        if indefinite and self.by_long_start:
            # ``a novel Thread Inference Model (TIM)``, ``a lightweight dual-domain super-resolution network (DDSRNet)``:
            # a few lower-case modifiers before a defined long form.
            at = indefinite.end()
            for _ in range(4):
                word = _MODIFIER_WORD.match(self.text, at, end)
                # (``a method for hyperspectral image (HSI) classification``: a preposition or a head noun ends the search)
                if not word or word.group(1) in _HEAD_STOP or word.group(1) in TYPE_WORDS:
                    break
                at = word.end()
                definition = self.by_long_start.get(at)
                if definition and definition.short_end <= end:
                    if self._named_definition(definition, end):
                        return self._long_form_name(definition, end)
                    break
        # (most articles are followed by a small word: the rules below look for a capital or a digit first)
        if indefinite and not strict and not self.text[indefinite.end() : indefinite.end() + 1].islower():
            # ``we propose a Hybrid Tree structure``: capitalised words before a type word name the thing.
            run = _run_name(_TITLE_RUN_HEAD.match(self.text, indefinite.end(), end))
            # (``an Optimal Transport-based framework``: a run ending in a ``-based`` modifier names nothing)
            if run and not _MODIFIER_SUFFIX.search(run.group("name")):
                return _Name(run.start("name"), run.end("name"), None, None, self.text[run.end("name") : end])
            run = _run_name(_TITLE_RUN.match(self.text, indefinite.end(), end))
            if run:
                words = run.group("name").split()
                last = words[-1].lower()
                # ``we propose a Semantic-Aware Query Generator that ...``: capitalised words ending in a type word (not a
                # Model's type word but ``model``: a ``Query Generator``, ``Main Agent`` or ``... Network`` is as often a
                # part of the method as a model); ``we design a History Rasterized Map Memory to ...``: three or more
                # capitalised words, no type word last.
                if (TYPE_WORDS.get(last) in ("Method", "Benchmark") or last in ("model", "models")) or (
                        last not in TYPE_WORDS and sum(word[:1].isupper() for word in words) >= 3):
                    return _Name(run.start("name"), run.end("name"), None, None, self.text[run.end("name") : end])
            # ``we introduce a SuperVoxelVAE and ...``: a strong name ending its phrase (not ``a CNN architecture``).
            strong = _NAME.match(self.text, indefinite.end(), end)
            if strong:
                word = strong.group("name").rstrip(".")
                after = self.text[indefinite.end() + len(word) : end]
                if is_strong_name(word.split()[0]) and _NAME_END.match(after) and not self._defined_before(word, indefinite.end()):
                    return _Name(indefinite.end(), indefinite.end() + len(word), None, None, after)
        definition = self.by_short_start.get(pos)
        if definition and definition.long_start > pos:  # ``PEARL (Parallel ...)``
            return _Name(definition.long_start, definition.long_end, None, definition.short, "")
        match = _NAME.match(self.text, pos, end)
        if not match:
            return None
        word = match.group("name").rstrip(".")
        first = word.split()[0]
        if (strict and not is_strong_name(first)) or self._defined_before(word, pos):
            return None
        if not strict:
            # ``called Low-Rank Transformer.``, ``we propose Hydra heads, a ...``: a longer name where a cue expects one.
            longer = _TITLE_RUN.match(self.text, pos, end) or _NAME_AND_HEAD.match(self.text, pos, end)
            if longer and longer.end("name") > pos + len(word) and _is_name(first, after=",") and not _two_names(longer.group("name")):
                short = self._acronym_after(longer.end("name"), end)
                if short and short[0].casefold() != first[0].casefold():
                    short = None
                return _Name(pos, longer.end("name"), None, short, self.text[longer.end("name") : end])
        after = self.text[pos + len(word) : end]
        if not _is_name(first, after=after):
            return None
        return _Name(pos, pos + len(word), None, None, after)

    def _named_definition(self, definition: Abbreviation, end: int) -> bool:
        """Whether a definition after modifiers names a thing of its own: its long form capitalised or its short form
        not all capitals (``Thread Inference Model (TIM)``, ``... network (DDSRNet)``, not ``a unified knowledge
        graph (KG)``), and no modified noun after it (not ``Out-Of-Distribution (OOD) detection approaches``,
        ``fluid antenna system (FAS)-enabled``, ``Semi-supervised (SS) Deep Contractive Autoencoder``)."""
        if definition.long[:1].islower() and definition.short.isupper():
            return False
        after = _AFTER_DEFINITION.match(self.text, definition.short_end, end)
        if not after:
            return True
        word = after.group("word")
        return not after.group("hyphen") and (word in TYPE_WORDS or word in _HEAD_STOP or word in _CLAUSE_WORDS)

    def _long_form_name(self, definition: Abbreviation, end: int) -> _Name:
        """A defined long form as a name; ``Feynman Kac (FK) steering, an ...`` keeps the head noun after the acronym."""
        paren_end = self.text.find(")", definition.short_end, end)
        if paren_end != -1:
            head = _TRAILING_HEAD.match(self.text, paren_end + 1, end)
            # ``Mixed Granularity Implicit Representation (MGIR) framework``: a type word is not part of the name.
            if head and head.group("word") not in _HEAD_STOP and head.group("word") not in TYPE_WORDS:
                word = head.group("word")
                return _Name(
                    definition.long_start, head.end(), f"{definition.long} {word}", f"{definition.short} {word}",
                    self.text[head.end() : end],
                )
        return _Name(definition.long_start, definition.long_end, None, definition.short, self.text[paren_end + 1 : end] if paren_end != -1 else "")

    def _acronym_after(self, end: int, limit: int) -> str | None:
        """``Dynamic Derivation and Elimination (DDESeg)``: an acronym in parentheses right after a name,
        taken as its short form even when its letters do not all match."""
        match = _PAREN_ACRONYM.match(self.text, end, limit)
        return match.group(1) if match and is_short_form(match.group(1)) else None

    def title(self) -> None:
        """``Name: description`` titles; the description's head gives the type."""
        match = _TITLE_NAME.match(self.text, 0, self.title_len)
        if not match:
            return
        word = match.group("name")
        if _GENERIC.match(word) or _PLURAL_ACRONYM.match(word) or _MODIFIER_SUFFIX.search(word):
            return
        # A plain capitalised word is a name only if the abstract writes it capitalised mid-sentence too.
        if not is_strong_name(word) and not _written_mid_sentence(self.text, word, self.title_len):
            return
        self.add(_Name(match.start("name"), match.end("name"), None, None, ""), type_of(match.group("description")), "title_colon")

    def introduced(self, start: int, end: int) -> None:
        """``we propose X``, ``we present a benchmark X``, ``we propose X, a ..., and Y, an ...``."""
        text = self.text
        subject = self.cues.subject(text, start, end)
        if not subject:
            return
        for verb in self.cues.verbs(text, subject.end(), end):
            if _NOT_VERB_BEFORE.search(text, max(start, verb.start("verb") - 20), verb.start("verb")):
                continue
            stop = min(end, verb.end() + _REACH)
            self._after_cue(verb.end(), stop, "intro_verb", verb.end(), strict=False)
            # (an article first: most verbs have none, and the type-word search after one is the costly part)
            typed = _TYPED_NAME.match(text, verb.end(), stop) if _TYPED_START.match(text, verb.end(), stop) else None
            if typed:
                self._after_cue(typed.end(), stop, "intro_typed", verb.end(), strict=True)
            self._appositives(verb.end(), stop)

    def called(self, start: int, end: int) -> None:
        """``called / named / dubbed / termed / namely X``, unless the words before say X already exists;
        an acronym X after ``<phrase>, termed`` takes the phrase as its long form."""
        for called in _CALLED.finditer(self.text, start, end):
            if _NOT_NEW.search(self.text, max(start, called.start() - 60), called.start()):
                continue
            stop = min(end, called.end() + _REACH)
            found = self.name_at(called.end(), stop, strict=False)
            if found is None:
                continue
            cue = max(start, called.start() - 80)
            name = self.text[found.start : found.end]
            if found.long_form is None and found.short_form is None and is_short_form(name):
                long_form = self._phrase_before(name, max(start, called.start() - 120), called.start())
                if long_form:
                    found = _Name(found.start, found.end, long_form, None, found.after)
            self._add_name(found, "called", cue)

    def _phrase_before(self, short: str, start: int, end: int) -> str | None:
        """The words before ``, termed`` (back to a closed-class word, a trailing type word dropped) that spell the
        acronym as a definition's long form would: ``dynamic chunk-wise autoregressive synthesis`` for DCAR."""
        match = _PHRASE_BEFORE.search(self.text, start, end)
        if not match:
            return None
        words = match.group("phrase").split()
        while words and words[-1].lower() in TYPE_WORDS:
            words.pop()
        for i in range(len(words) - 1, -1, -1):
            if words[i].lower() in _PHRASE_STOP:
                words = words[i + 1 :]
                break
        phrase = " ".join(words)
        at = match_long_form(short, phrase) if len(words) > 1 else None
        return phrase[at:] if at is not None and " " in phrase[at:] else None

    def listed(self, start: int, end: int) -> None:
        """``two novel components: (i) X and (ii) Y``: each named item of the paper's numbered list, typed by its own
        description (``X, a benchmark``) or else by the head (components, mechanisms, techniques: Method)."""
        text = self.text
        for head in _LIST_HEAD.finditer(text, start, end):
            if not _OWN_LIST.search(text, start, head.start()):
                continue
            type_hint = _LIST_TYPES.get(head.group("head").lower())
            for item in _LIST_ITEM.finditer(text, head.end(), min(end, head.end() + 3 * _REACH)):
                found = self.name_at(item.end(), min(end, item.end() + _REACH), strict=False)
                # one plain capitalised word (``(i) Planning``) names a step, not a contribution
                if found and (" " in text[found.start : found.end] or is_strong_name(text[found.start : found.end])):
                    self.add(found, self._type_after(found) or type_hint, "numbered_list")

    @staticmethod
    def _type_after(found: _Name) -> str | None:
        described = _DESCRIPTION.match(found.after)
        return type_of(found.after[described.end() :]) if described else None

    def ours(self, start: int, end: int) -> None:
        """``our X``, ``the proposed X``; a bare acronym only after ``proposed`` and not before a type word."""
        text = self.text
        for proposed in self.cues.proposed(text, start, end):
            stop = min(end, proposed.end() + _REACH)
            word = _NAME.match(text, proposed.end(), stop)
            if not word:
                continue
            following = _FOLLOWING_SMALL_WORD.match(text, word.end(), stop)
            if _BARE_ACRONYM.match(word.group("name")) and (
                (not proposed.group("proposed") and proposed.group().casefold().startswith("our"))
                or (following and following.group(1) in TYPE_WORDS)
            ):
                continue
            # "our framework, Vesta,": the type word is read from the cue on, and the commas delimit the name.
            self._after_cue(proposed.end(), stop, "our_name", proposed.start(), strict=not proposed.group("typed"))

    def novel(self, start: int, end: int) -> None:
        """``X, a novel ...`` / ``X, a new ...`` anywhere, X shaped like a name."""
        for cue in _NOVEL.finditer(self.text, start, end):
            name = _NAME_BEFORE.search(self.text, max(start, cue.start() - 80), cue.start())
            if name and is_strong_name(name.group("name").split()[0]):
                after = self.text[cue.start() : min(end, cue.start() + _REACH)]
                self._add_name(_Name(name.start("name"), name.end("name"), None, None, after), "novel_appositive", name.start())

    def passive(self, start: int, end: int) -> None:
        """``X is proposed``, ``X, which is ..., is proposed``, X shaped like a name."""
        for cue in _PASSIVE.finditer(self.text, start, end):
            reach = max(start, cue.start() - _REACH)
            stop = min(end, cue.end() + _REACH)
            defined = self._definition_before(reach, cue.start())
            if defined:
                paren_end = self.text.find(")", defined.short_end, cue.start())
                self._add_name(_Name(defined.long_start, defined.long_end, None, defined.short, self.text[paren_end + 1 : stop]), "passive", reach)
                continue
            name = _PASSIVE_NAME.search(self.text, reach, cue.start())
            if name and is_strong_name(name.group("name")):
                self._add_name(_Name(name.start("name"), name.end("name"), None, None, self.text[name.end("name") : stop]), "passive", reach)

    def _definition_before(self, start: int, end: int) -> Abbreviation | None:
        """``a fast patch-free global learning (FPGA) framework is proposed``: the definition ending right before ``end``."""
        for definition in self.definitions:
            if start <= definition.long_start and definition.short_end <= end:
                tail = _DEFINITION_TAIL.match(self.text, definition.short_end, end)
                if tail and (not tail.group(1) or tail.group(1) in TYPE_WORDS):
                    return definition
        return None

    def _after_cue(self, pos: int, end: int, rule: str, cue: int, *, strict: bool) -> None:
        found = self.name_at(pos, end, strict=strict)
        if found:
            self._add_name(found, rule, cue)

    def _add_name(self, name: _Name, rule: str, cue: int) -> None:
        """Adds ``name`` with the type its description gives, unless it overlaps one found already (checked first:
        reading the type is the costly part, and most names found again are found by an earlier rule)."""
        if self._overlaps(name):
            return
        after = name.after
        described = _DESCRIPTION.match(after)
        type_hint = type_of(after[described.end() :]) if described else None
        if type_hint is None:
            following = _FOLLOWING_WORD.match(after)
            type_hint = TYPE_WORDS.get(following.group(1)) if following else None
        if type_hint is None:
            type_hint = _type_before(self.text, cue, name.start)
        if type_hint is None:  # ``Thread Inference Model (TIM)``: the name's own head word, capitalised (a name's)
            head = self.text[name.start : name.end].rsplit(None, 1)[-1]
            type_hint = TYPE_WORDS.get(head.lower()) if head[:1].isupper() else None
        self.add(name, type_hint, rule)

    def _appositives(self, pos: int, end: int) -> None:
        """``we propose TIM, a family of LLMs, and TIMRUN, an inference runtime``: every named appositive after the verb.

        The appositive commas come first (a literal: found at C speed); the name before each is the last name
        that the scan of :data:`_NAME` from ``pos`` finds before it.  No name holds a comma (nor looks past one),
        so that scan, read from just after the comma before (or from ``pos``) up to the comma, finds the same
        names there: a few words are scanned per appositive, not the whole reach.
        """
        text = self.text
        for comma in _APPOSITIVE_COMMA.finditer(text, pos, end):
            name = None
            for name in _NAME.finditer(text, text.rfind(",", pos, comma.start()) + 1 or pos, comma.start()):
                pass  # the last name before the comma
            if name is None or text[name.end() : comma.start()].strip():
                continue
            word = name.group("name")
            if _is_name(word.split()[0], after=text[name.end() : end]) and not self._defined_before(word, name.start()):
                self._add_name(_Name(name.start(), name.end(), None, None, text[name.end() : end]), "intro_appositive", pos)


def _run_name(run: re.Match | None) -> re.Match | None:
    """``run`` (a match of capitalised words with a ``name`` group), unless it starts with a generic word."""
    return run if run and not _GENERIC.match(run.group("name").split()[0]) else None


def _two_names(run: str) -> bool:
    """Whether a capitalised run is two names joined by ``and``, each a strong name (``FANTA and TPTC``,
    ``OpenThaiGPT 1.6 and R1``), not one long name (``Semantic Localization and Enhancement Network``,
    ``Dual-Space Weighting and Time-Warped Alignment``: capitalised compounds are words of a long name)."""
    before, found, after = run.partition(" and ")
    return bool(found) and all(is_strong_name(word) and not _TITLE_COMPOUND.match(word)
                               for word in (before.split()[0], after.split()[0]))


def _written_mid_sentence(text: str, word: str, start: int) -> bool:
    """Whether ``text[start:]`` has ``word`` after a small letter or a comma and a space, up to a word boundary:
    ``re.search(rf"(?<=[a-z,] ){re.escape(word)}\\b", text[start:])``, without a regex compiled per word."""
    needle = " " + word
    pos = text.find(needle, start + 1)
    while pos != -1:
        end = pos + len(needle)
        if text[pos - 1] in _SMALL_OR_COMMA and _is_word_char(text, end - 1) != _is_word_char(text, end):
            return True
        pos = text.find(needle, pos + 1)
    return False


def _is_word_char(text: str, index: int) -> bool:
    """Whether ``text[index]`` is a regex ``\\w`` character (False outside the text)."""
    return 0 <= index < len(text) and (text[index].isalnum() or text[index] == "_")


class _Cues:
    """Which sentences of a text each rule reads (see :data:`_RULE_ANCHORS`), and where subjects may start.

    The anchors are found once, when the text is read, and each anchor's sentences are given to the rules that
    anchor serves (:data:`_ANCHOR_RULES`): a rule none of whose anchors occurs reads no sentence, at no cost.
    """

    def __init__(self, text: str, bounds: list[tuple[int, int]]) -> None:
        self.lowered = lowered = text.lower()
        self.bounds = bounds
        aligned = len(lowered) == len(text)  # else lower-casing moved offsets: every sentence is read
        self.ascii = text.isascii()
        # Anchors are exact on the lower-cased text unless offsets moved or a case fold hides a cue.
        self.anchored = aligned and (self.ascii or not any(char in text for char in _CASE_FOLDS))
        self._stem_text = lowered if aligned else None
        self._hits = _anchor_hits(lowered) if self.anchored else {}
        self._rule_sentences: dict[str, set[int]] = {}  # rule -> indexes in ``bounds`` of the sentences it reads
        if self._hits:
            starts = [start for start, _ in bounds]
            for anchor, positions in self._hits.items():
                indexes = {bisect_right(starts, pos) - 1 for pos in positions}
                for rule in _ANCHOR_RULES[anchor]:
                    self._rule_sentences.setdefault(rule, set()).update(indexes)
        self._subjects: list[int] | None = None

    def hits(self, anchor: str) -> list[int]:
        """Offsets of ``anchor`` (see :data:`_RULE_ANCHORS`) in the lower-cased text."""
        return self._hits.get(anchor, [])

    def sentences(self, rule: str) -> list[tuple[int, int]]:
        """The sentences ``rule`` reads, in order: those holding one of its stems (and, read, one of its anchors)."""
        stems = _RULE_STEMS[rule]
        if not self.anchored:
            return _cued_sentences(self._stem_text, stems, self.bounds)
        indexes = self._rule_sentences.get(rule)
        if not indexes:
            return []
        bounds = self.bounds
        if rule not in _STEMS_CHECKED:
            return [bounds[index] for index in sorted(indexes)]
        find = self.lowered.find
        return [
            (start, end)
            for start, end in map(bounds.__getitem__, sorted(indexes))
            if any(find(stem, start, end + len(stem) - 1) != -1 for stem in stems)  # a stem starting in the sentence
        ]

    def verbs(self, text: str, start: int, end: int) -> Iterator[re.Match]:
        """The verbs of ``_VERB.finditer(text, start, end)`` (group ``verb``); for an ASCII text, :data:`_VERB_ASCII`
        on the lower-cased text from the character before ``start`` (twice as fast)."""
        if self.ascii and start:
            return _VERB_ASCII.finditer(self.lowered, start - 1, end)
        return _VERB.finditer(text, start, end)

    def proposed(self, text: str, start: int, end: int) -> Iterator[re.Match]:
        """``_PROPOSED.finditer(text, start, end)``, tried only at ``our`` and at the ``the`` before ``proposed``."""
        if not self.anchored:
            yield from _PROPOSED.finditer(text, start, end)
            return
        lowered = self.lowered
        places = [pos for pos in self.hits("our") if start <= pos < end]
        for pos in self.hits("proposed"):
            if start <= pos < end:
                before = pos
                while before > start and lowered[before - 1].isspace():
                    before -= 1
                if before < pos and before - 3 >= start and lowered[before - 3 : before] == "the":
                    places.append(before - 3)
        last = start
        for pos in sorted(places):
            if pos >= last:
                match = _PROPOSED.match(text, pos, end)
                if match:
                    yield match
                    last = match.end()

    def subject(self, text: str, start: int, end: int) -> re.Match | None:
        """``_SUBJECT.search(text, start, end)``, tried only where a subject anchor is."""
        if not self.anchored:
            return _SUBJECT.search(text, start, end)
        if self._subjects is None:
            self._subjects = sorted(pos for anchor in _SUBJECT_ANCHORS for pos in self.hits(anchor))
        for index in range(bisect_left(self._subjects, start), len(self._subjects)):
            pos = self._subjects[index]
            if pos >= end:
                break
            match = _SUBJECT.match(text, pos, end)
            if match:
                return match
        return None


def _cued_sentences(lowered: str | None, stems: tuple[str, ...], bounds: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The sentences of ``lowered`` (the lower-cased text; None: read them all) holding one of ``stems``, in order."""
    if lowered is None:
        return bounds
    cued = set()
    for stem in stems:
        pos = lowered.find(stem)
        while pos != -1:
            sentence = sentence_of(bounds, pos)
            cued.add(sentence)
            pos = lowered.find(stem, max(sentence[1], pos + 1))
    return sorted(cued)


def _anchor_hits(lowered: str) -> dict[str, list[int]]:
    """The offsets of every anchor that occurs in ``lowered`` (the lower-cased text), by anchor: a ``str.find`` loop
    per literal anchor (most find none: one call), a regex scan for ``we``, ``our`` and the ``-ed`` words, ``we call``
    tried where ``we`` is."""
    hits = {}
    for anchor in _LITERAL_ANCHORS:
        pos = lowered.find(anchor)
        if pos != -1:
            found = hits[anchor] = []
            while pos != -1:
                found.append(pos)
                pos = lowered.find(anchor, pos + 1)
    for match in _SCANS["-ed"].finditer(lowered):
        word = next(word for word in _ED_WORDS if lowered.endswith(word, 0, match.end()))
        hits.setdefault(word, []).append(match.end() - len(word))
    for word, scan in _WORD_SCANS.items():
        found = [match.start() for match in scan.finditer(lowered)]
        if found:
            hits[word] = found
    if "we" in hits:
        call = _SCANS["we call"].match
        found = [pos for pos in hits["we"] if call(lowered, pos)]
        if found:
            hits["we call"] = found
    return hits


def find_contributions(doc: Doc) -> list[Contribution]:
    """Named contributions of the paper in ``doc`` (title + ``"\\n\\n"`` + abstract), in text order.

    Rules (``Contribution.rule``), in order of precedence when two find overlapping names:
    ``title_colon`` (``FlexLLM: A System for ...``), ``intro_verb`` (``we propose / introduce / present /
    develop / design / release X``), ``intro_typed`` (``we present a benchmark X``), ``intro_appositive``
    (``we propose X, a ..., and Y, an ...``), ``called`` (``called / named / dubbed / termed / namely X``),
    ``our_name`` (``our X``, ``the proposed X``, X shaped like a name), ``novel_appositive`` (``X, a novel
    ...`` anywhere), ``passive`` (``X is proposed``).  A name found again elsewhere is returned again, with
    its own offsets: merge by name.
    """
    text = doc_text(doc)
    title_len = doc.user_data.get(TITLE_LEN_KEY) or 0  # doc._.kg_title_len
    bounds = sentence_bounds(doc)
    cues = _Cues(text, bounds)
    finder = _Finder(text, title_len, doc_definitions(doc), cues)
    finder.title()
    for rule in _RULE_STEMS:
        for start, end in cues.sentences(rule):
            getattr(finder, rule)(start, end)
    return sorted(finder.found.values(), key=lambda c: (c.start_char, c.end_char))


@Language.factory(
    "kg_contributions",
    assigns=["doc._.kg_contributions"],
    requires=["token.is_sent_start"],
)
def make_contributions(nlp: Language, name: str) -> ExtensionComponent:
    """Component setting ``doc._.kg_contributions`` to :func:`find_contributions` of the doc."""
    return ExtensionComponent(_EXTENSION, find_contributions)
