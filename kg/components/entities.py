"""Canonical entities: candidates, abbreviations and contributions merged into one record per entity.

Reads the candidates of the matcher components (``doc._.kg_candidates``), the
abbreviation pairs (``doc._.kg_abbreviations``) and contributions (``doc._.kg_contributions``),
and sets ``doc._.kg_entities``: one :class:`kg.records.Entity` per distinct entity, in order of
first mention, its name and aliases free of LaTeX markup (mentions keep the text), and
``doc._.kg_relations`` (:class:`kg.records.Relation`). The records themselves, not dicts to be
turned back into records: they pickle (``kg extract --jobs N`` workers send them back) and
msgpack (:func:`encode_record`), so Docs can still cross processes (``nlp.pipe(n_process=N)``).

Steps, each a pure function: pick non-overlapping mentions (longest first, then by rule
priority; names nested in a common-noun phrase are kept too), drop generic names, group
variants (:func:`kg.names.name_key`; lexicon canonical names for spelling variants and acronyms;
short form = long form; ``AR decoding`` = ``autoregressive decoding`` after ``Autoregressive (AR)``;
an undefined acronym = the mention whose initials it spells), choose the canonical name
(guidelines rule 7) and the type, mark what the paper proposes (the type the text gives it wins).
What depends on a surface form alone (its name key, initials, name when alone) is memoised: the
same forms recur within and across papers.
"""
from __future__ import annotations

import json
import re
from bisect import bisect_right
from dataclasses import fields, replace
from functools import lru_cache, partial
from operator import itemgetter
from pathlib import Path
from typing import Iterable, NamedTuple, Sequence

import srsly
from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.components.abbreviations import BOUNDS_KEY as SENTENCE_BOUNDS_KEY
from kg.components.candidates import BOUNDS_KEY, Candidate, make_candidate, name_key, token_bounds
from kg.components import LEXICON_DIR, PATTERNS_DIR
from kg.components.lexicon import PROPER_TYPES
from kg.components.phrases import load_heads, load_phrase_rules
from kg.components.relations import COMPARABLE_TYPES, comparison_sentences, find_relations, may_vary, token_span
from kg.components.title import TEXT_KEY, cached_text, extension_key, title_length
from kg.components.tokenizer import without_latex
from kg.records import ENTITY_TYPES, Entity, Mention, Relation

# Lower is stronger when two candidates cover the same text.
RULE_PRIORITY = {"lexicon": 0, "abbreviation": 1, "contribution": 2, "shape": 3, "context": 3, "phrase": 4, "noun_chunk": 5}
RULE_CONFIDENCE = {"lexicon": 0.95, "abbreviation": 0.85, "contribution": 0.85, "shape": 0.7, "context": 0.75, "phrase": 0.6, "noun_chunk": 0.4}
NAME_RULES = ("lexicon", "shape", "context")
_SHORT_FORM = re.compile(r"^[^\sA-Z]*[A-Z][^\sA-Z]*[A-Z]\S*$")
_ACRONYM_ONLY = re.compile(r"^[A-Z]{2,}s?$")
_PLURAL_ACRONYM = re.compile(r"(?<=[A-Z])s$")
_INITIAL_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
_NEXT_WORD = re.compile(r"\)\s([a-z][a-z\-]+)")
_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
_ACRONYM = re.compile(r"^[A-Z][A-Za-z0-9\-]*[A-Z0-9][A-Za-z0-9\-]*s?$")
_END = itemgetter(1)  # of a Candidate
_START_END = itemgetter(0, 1)
_FORM = itemgetter(slice(2, None))  # (text, type, rule, canonical) of a Candidate

for _name, _default in (("kg_title_len", 0), ("kg_entities", None), ("kg_relations", None),
                        ("kg_abbreviations", None), ("kg_contributions", None)):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=_default)



_TITLE_LEN, _SENTENCES, _CANDIDATES, _ABBREVIATIONS, _CONTRIBUTIONS, _ENTITIES, _RELATIONS = map(extension_key, (
    "kg_title_len", "kg_sentences", "kg_candidates", "kg_abbreviations", "kg_contributions", "kg_entities", "kg_relations"))


def load_generic_keys(
    lexicon_dir: str | Path | None = None,
    path: str | Path | None = None,
    measure_heads: frozenset[str] = frozenset(),
) -> frozenset[str]:
    """Name keys never to be entities: ``generic.txt`` of the lexicon folder plus ``patterns/generic.json``.

    A compound of ``generic.txt`` whose last word is in ``measure_heads`` (``computational cost``) is
    kept as a name: guidelines rule 4 counts compounds that name a measure.
    """
    data = json.loads(Path(path or PATTERNS_DIR / "generic.json").read_text(encoding="utf-8"))
    words = list(data["generic"])
    text_file = Path(lexicon_dir or LEXICON_DIR) / "generic.txt"
    if text_file.is_file():
        lines = [line.split("#")[0].strip() for line in text_file.read_text(encoding="utf-8").splitlines()]
        words += [w for w in lines if not (" " in w and w.split()[-1].lower() in measure_heads)]
    return frozenset(name_key(w) for w in words if w and name_key(w))


class Form(NamedTuple):
    """One side of an abbreviation definition as plain data: a ``Span`` rebuilds its text from ``Token``
    objects on every ``.text``, and the definitions are read several times per paper."""

    start_char: int
    end_char: int
    text: str
    first_lower: str  # its first token, lower case


def plain_form(span: Span, text: str) -> Form:
    """The :class:`Form` of ``span``, a span of a Doc whose text is ``text``."""
    return Form(span.start_char, span.end_char, text[span.start_char : span.end_char], span[0].lower_ if len(span) else "")


@lru_cache(maxsize=1 << 14)
def singular_acronym(text: str) -> str:
    """``text`` without the plural ``s`` of an acronym (``LLMs`` -> ``LLM``); memoised, called per candidate."""
    return _PLURAL_ACRONYM.sub("", text)


@lru_cache(maxsize=1 << 14)
def lexicon_link(surface: str, canonical: str) -> str:
    """The lexicon name a mention merges under: kept for spelling variants and acronyms (``LLMs`` ->
    ``large language model``); dropped for a different phrase the lexicon lists as an alias
    (``distillation`` for ``knowledge distillation``), which the text names as a thing of its own; kept for
    a longer form that starts with the name (``HumanEval benchmark``, ``NEGRA corpus``, ``MultiWOZ 2.1``).
    Memoised: the same (surface, name) pairs recur across papers."""
    if not canonical or name_key(surface).startswith(name_key(canonical)) or is_short_form(surface):
        return canonical
    return ""


def local_definitions(pairs: list[tuple[Form, Form]], contributions: list) -> dict[str, str]:
    """The forms of the acronyms the paper defines (singular, and with a plural ``s``) -> the name key of their
    long form, as :func:`singular_acronym` maps the forms to the acronyms."""
    local = {singular_acronym(s.text): name_key(l.text) for s, l in pairs}
    local.update({singular_acronym(c.short_form or c.text): name_key(c.long_form)
                  for c in contributions if c.long_form})
    forms = {form for short in local for form in (short, short + "s")}
    return {form: local[singular_acronym(form)] for form in forms if singular_acronym(form) in local}


def lexicon_links(candidates: list[Candidate], local: dict[str, str], defined: frozenset[str] | set[str] = frozenset(),
                  long_initials: dict[str, str] | None = None) -> list[Candidate]:
    """``candidates`` without the lexicon names that do not hold: those :func:`lexicon_link` drops, and
    the lexicon name of an acronym the paper defines otherwise (``local``: :func:`local_definitions`):
    ``Lossless Context Management (LCM)`` is not the lexicon's ``latent consistency model``, ``Graph
    Language Models (GLMs)`` not ``generalized linear model``.

    When the lexicon name is a long form of its own that the local one does not start (not ``Vision-Language-Action
    (VLA) models`` for ``vision-language-action model``), the acronym loses the lexicon's type too: when its
    definition made an entity (``defined``: their singular acronyms) it takes that one's type; else it is left out
    when the initials of its local long form (``long_initials``: singular acronym -> the upper-cased first letters of
    the words of its long form) spell neither it nor the lexicon name: ``electromagnetic (EM) simulations`` is not
    the metric ``exact match``."""
    if not local:
        return [_unlinked(c) if c.canonical and not lexicon_link(c.text, c.canonical) else c for c in candidates]
    kept = []
    for c in candidates:
        if c.canonical:
            own = local.get(c.text)
            if own is not None and own != name_key(c.canonical):
                if is_short_form(c.canonical) or name_key(c.canonical).startswith(own):
                    c = _unlinked(c)
                elif singular_acronym(c.text) in defined:
                    c = _unlinked(c, "")
                elif long_initials and long_initials.get(singular_acronym(c.text), c.text) not in (
                        singular_acronym(c.text).upper(), initials(c.canonical)):
                    continue
                else:
                    c = _unlinked(c)
            elif not lexicon_link(c.text, c.canonical):
                c = _unlinked(c)
        kept.append(c)
    return kept


def _unlinked(candidate: Candidate, kind: str | None = None) -> Candidate:
    """``candidate`` without its lexicon name (and with type ``kind`` when given)."""
    start, end, text, own_kind, rule, _ = candidate
    return make_candidate((start, end, text, own_kind if kind is None else kind, rule, ""))


@lru_cache(maxsize=1 << 14)
def is_short_form(text: str) -> bool:
    """An abbreviation-like form: one word with at least two capitals (``LLMs``, ``RLHF``, ``MoE``); memoised."""
    return bool(_SHORT_FORM.match(text))


@lru_cache(maxsize=1 << 14)
def strip_article(text: str) -> str:
    return _ARTICLE.sub("", text)


def rule_rank(rule: str) -> tuple[int, str]:
    """Sort key of rules: the stronger first, then by name."""
    return RULE_PRIORITY.get(rule, 9), rule


@lru_cache(maxsize=1 << 16)
def is_generic(text: str, generic: frozenset[str]) -> bool:
    """Whether ``text`` can never be a mention: blank, or its name key is in ``generic`` (memoised per form)."""
    return not text.strip() or name_key(text) in generic


def select_mentions(candidates: Iterable[Candidate], generic: frozenset[str]) -> list[Candidate]:
    """Non-overlapping, non-generic candidates: longest first, then by rule priority, then earlier; in text order.

    Names nested in a common-noun phrase are kept as well (guidelines rule 8: the phrase is the most
    specific mention, and the name stands for an entity of its own).
    """
    candidates = list(candidates)
    count = len(candidates)
    if not count:
        return []
    width = max(map(_END, candidates)) + 1
    flags = generic_flags(generic)
    # The order as one int per candidate, its index last (plain ints sort at C speed; ties keep the input order).
    order = sorted([(((start - end) * 10 + _PRIORITY[rule]) * width + start) * count + index
                    for index, (start, end, text, _, rule, _) in enumerate(candidates) if not flags[text]])
    taken = bytearray(width)
    in_phrase = bytearray(width)
    chosen = []
    for key in order:
        cand = candidates[key % count]
        start, end, text, kind, rule, _ = cand
        if taken.find(1, start, end) != -1:
            # A name inside a common-noun phrase stands on its own too ("LLM" in "autoregressive LLM inference").
            if (in_phrase.find(0, start, end) != -1 or rule not in NAME_RULES
                    or not (kind in PROPER_TYPES or is_short_form(text))):
                continue
        else:
            taken[start:end] = b"\x01" * (end - start)
            if rule == "phrase":
                in_phrase[start:end] = b"\x01" * (end - start)
        chosen.append(cand)
    chosen.sort(key=_START_END)
    return chosen


class _Priority(dict):
    """:data:`RULE_PRIORITY`, 9 for any other rule (a plain subscription, cheaper than ``.get`` in a loop)."""

    def __missing__(self, rule: str) -> int:
        return 9


_PRIORITY = _Priority(RULE_PRIORITY)


class GenericFlags(dict):
    """Surface text -> :func:`is_generic`, computed on first look-up: a dict subscription per candidate instead
    of a memoised call. Emptied when it grows large (texts recur across papers, most only a few times)."""

    def __init__(self, generic: frozenset[str]) -> None:
        super().__init__()
        self.generic = generic

    def __missing__(self, text: str) -> bool:
        if len(self) >= 1 << 16:
            self.clear()
        flag = self[text] = is_generic(text, self.generic)
        return flag


@lru_cache(maxsize=8)
def generic_flags(generic: frozenset[str]) -> GenericFlags:
    """The :class:`GenericFlags` of ``generic`` (one per set of generic keys, i.e. per pipeline)."""
    return GenericFlags(generic)


def abbreviation_candidates(
    pairs: list[tuple[Form, Form]], candidates: list[Candidate], text: str, stop_words: frozenset[str],
    generic: frozenset[str] = frozenset(),
) -> list[Candidate]:
    """Candidates for both sides of each abbreviation definition, typed like the best candidate inside them.

    A definition counts when its long form does not start with a stop word (``achieves a
    classification accuracy (ACC)``) nor is generic (``computer vision (CV)``: the short form is as
    generic), and it ends on a candidate (a known name or a phrase head:
    ``Limited Interval Guidance``), or its short form is a known name or used again in ``text``
    (``Markov jump processes (MJPs) ... MJPs``); a one-off ``vulnerable road user (VRU)`` is left out.
    """
    if not pairs:
        return []
    ends = set(map(_END, candidates))
    found = []
    for short, long in pairs:
        if long.first_lower in stop_words or continues_phrase(text, short.end_char, stop_words) or (
                name_key(long.text) in generic):
            continue
        if long.end_char not in ends and text.count(short.text) < 2 and not any(
                c.start == short.start_char and c.end == short.end_char and c.rule == "lexicon" for c in candidates):
            continue
        kind = definition_type(short, long, candidates)
        found.append(Candidate(long.start_char, long.end_char, long.text, kind, "abbreviation"))
        found.append(Candidate(short.start_char, short.end_char, short.text, kind, "abbreviation"))
    return found


def continues_phrase(text: str, short_end: int, stop_words: frozenset[str]) -> bool:
    """Whether a definition is the modifier of a longer phrase: ``hyperspectral image (HSI) classification``
    (a lower-case content word follows the parenthesis), rather than a name (``LLMs (LLMs) are``); a verb or
    adverb of :data:`DEFINITION_FOLLOWERS` is no modified noun (``Any-modal Scoring Module (ASM) assigns``)."""
    match = _NEXT_WORD.match(text, short_end)
    return bool(match) and match.group(1) not in stop_words and match.group(1) not in DEFINITION_FOLLOWERS


_DEFINITION_PATTERNS = json.loads((PATTERNS_DIR / "generic.json").read_text(encoding="utf-8"))
#: The last word of a long form -> the type it gives (``patterns/generic.json``: ``definition_heads``).
DEFINITION_HEADS = {word: kind for kind, words in _DEFINITION_PATTERNS.get("definition_heads", {}).items() for word in words}
#: Verbs and adverbs that follow a definition's parenthesis (``patterns/generic.json``: ``definition_followers``).
DEFINITION_FOLLOWERS = frozenset(_DEFINITION_PATTERNS.get("definition_followers", ()))


def definition_type(short: Form, long: Form, candidates: list[Candidate]) -> str:
    """Type of a defined term: a lexicon entry for either whole form, else the type its head word gives
    (:data:`DEFINITION_HEADS`: ``Teacher-Student Chatroom Corpus`` is a Benchmark, whatever the names inside it),
    else the best candidate inside (a lexicon entry first, then the one ending the long form), else Method."""
    inside = [c for c in candidates if (long.start_char <= c.start and c.end <= long.end_char)
              or (c.start == short.start_char and c.end == short.end_char)]
    word = long.text.rsplit(None, 1)[-1] if long.text else ""
    head = word.lower()
    if head in DEFINITION_HEADS and (
            # a model by name: ``Attention Fusion Network (AFN)``, ``... network (DDSRNet)``; not a class of them
            DEFINITION_HEADS[head] != "Model" or word[:1].isupper() or not short.text.isupper()) and not any(c.rule == "lexicon" and (c.start, c.end) in (
            (long.start_char, long.end_char), (short.start_char, short.end_char)) for c in inside):
        return DEFINITION_HEADS[head]
    if not inside:
        return "Method"
    best = min(inside, key=lambda c: (RULE_PRIORITY.get(c.rule, 9), -(c.end == long.end_char), -(c.end - c.start)))
    return best.type


class Surface(NamedTuple):
    """What merging needs of a mention's text and lexicon name, computed once per distinct pair (:func:`surface`)."""

    keys: tuple[str, ...]  # the distinct name keys it groups under: its text's, and its lexicon name's
    key: str  # its text's name key
    acronym: str  # an all-capitals acronym without its plural s (``LLMs`` -> ``LLM``), else ""
    initials: str  # the initials of a multi-word or hyphenated name starting with a letter, else ""
    name: str  # its canonical name when it is the only mention of its entity (:func:`canonical_name`)
    name_key: str
    article_key: str  # the name key of its text without an article, as :func:`canonical_name` checks long forms
    clean: tuple[str, tuple[str, ...]]  # that name and the aliases it leaves, without LaTeX markup (:func:`clean_names`)


@lru_cache(maxsize=1 << 16)
def surface(text: str, canonical: str = "") -> Surface:
    """The :class:`Surface` of a mention (memoised: the same mentions recur within and across papers)."""
    key = name_key(text)
    keys = tuple(dict.fromkeys(k for k in (key, name_key(canonical) if canonical else "") if k))
    spelled = text[:1] in _INITIAL_LETTERS and (" " in text or "-" in text)
    name = canonical or name_form(strip_article(text))
    return Surface(keys, key, singular_acronym(text) if _ACRONYM_ONLY.match(text) else "",
                   initials(text) if spelled else "", name, name_key(name), name_key(strip_article(text)),
                   clean_names(name, () if text == name else (text,)))


def group_mentions(mentions: list[Candidate], links: Iterable[tuple[str, str]]) -> list[list[Candidate]]:
    """Mentions grouped by name key, lexicon canonical name, and ``links`` (pairs of name keys, e.g. short/long forms).

    Groups come in order of their first mention, each in text order.
    """
    return [[mentions[index] for index in group] for group in label_groups(group_labels(mentions, links)[1])]


def group_labels(mentions: list[Candidate], links: Iterable[tuple[str, str]]) -> tuple[list[Surface], list[int]]:
    """The :class:`Surface` of each mention, and its group (as :func:`group_mentions` makes them) named by the
    index of the group's first mention."""
    surfaces = [surface(text, canonical) for _, _, text, _, _, canonical in mentions]
    group = list(range(len(mentions)))  # each mention's group, named by the index of its first mention
    first_by_key: dict[str, int] = {}
    for index, form in enumerate(surfaces):
        for key in form.keys:
            first = first_by_key.setdefault(key, index)
            if first == index:
                continue
            if group[index] == index:  # not grouped yet (the common case): join the earlier group
                group[index] = group[first]
            else:
                group = merged(group, group[first], group[index])
    for a, b in [*links, *initials_links(mentions, surfaces)]:
        if a in first_by_key and b in first_by_key:
            group = merged(group, group[first_by_key[a]], group[first_by_key[b]])
    return surfaces, group


def label_groups(labels: list[int]) -> list[list[int]]:
    """The mention indexes of each group of ``labels`` (:func:`group_labels`), in order of first mention."""
    groups: dict[int, list[int]] = {}
    for index, label in enumerate(labels):
        if label == index:
            groups[label] = [index]
        else:
            groups[label].append(index)
    return list(groups.values())  # a group's label is its first index, so this is the order of first mentions


def merged(group: list[int], a: int, b: int) -> list[int]:
    """``group`` (mention index -> group label) with groups ``a`` and ``b`` made one, under the smaller label."""
    if a == b:
        return group
    keep, drop = min(a, b), max(a, b)
    return [keep if label == drop else label for label in group]


def expansion_links(mentions: list[Candidate], pairs: list[tuple[Form, Form]]) -> list[tuple[str, str]]:
    """A phrase that starts with a defined short form, linked to the same phrase with the long form
    (``AR decoding`` and ``autoregressive decoding`` after ``Autoregressive (AR)``)."""
    if not pairs:
        return []
    long_of = {singular_acronym(short.text): long.text for short, long in pairs}
    links = []
    for mention in mentions:
        first, _, rest = mention.text.partition(" ")
        if rest and first in long_of:
            links.append((name_key(mention.text), name_key(f"{long_of[first]} {rest}")))
    return links


def initials(name: str) -> str:
    """Upper-cased first letters of the words and hyphen parts of ``name``: ``Low-Rank Transformer`` -> ``LRT``."""
    return "".join(part[0] for part in name.replace("-", " ").split() if part[0].isalnum()).upper()


def initials_links(mentions: list[Candidate], surfaces: list[Surface]) -> list[tuple[str, str]]:
    """Acronyms used without a definition, linked to a multi-word mention of the same paper whose
    initials they spell (``LRT`` and ``Low-Rank Transformer``, ``PD`` and ``parallel decoding``);
    ``surfaces``: those of the mentions."""
    acronyms = {m.text: form.acronym for m, form in zip(mentions, surfaces) if form.acronym}
    if not acronyms:
        return []
    wanted = set(acronyms.values())
    by_initials: dict[str, str] = {}
    for form in surfaces:
        if form.initials in wanted:
            by_initials.setdefault(form.initials, form.key)
    return [(name_key(text), by_initials[short]) for text, short in acronyms.items() if short in by_initials]


@lru_cache(maxsize=1 << 14)
def singular(name: str) -> str:
    """Singular of a common-noun name (last word lower case): ``language models`` -> ``language model``
    (memoised: called per multi-mention entity, and names recur across papers)."""
    words = name.split(" ")
    last = words[-1]
    if not last.islower() or len(last) < 4 or last.endswith(("ss", "us", "is", "ics")):
        return name
    if last.endswith("ies"):
        last = last[:-3] + "y"
    elif last.endswith(("sses", "shes", "xes")) or (last.endswith("ches") and not last.endswith("caches")):
        last = last[:-2]
    elif last.endswith("s"):
        last = last[:-1]
    return " ".join(words[:-1] + [last])


def is_acronym(text: str) -> bool:
    return bool(_ACRONYM.match(text)) and " " not in text


@lru_cache(maxsize=1 << 14)
def name_form(surface: str) -> str:
    """The name a surface form (article stripped) gives: singular when it is a common noun (memoised)."""
    return singular(surface) if surface[:1].islower() or " " in surface and surface.split()[-1].islower() else surface


def canonical_name(group: list[Candidate], long_forms: set[str]) -> str:
    """Rule 7: a lexicon name if any; else the full form (defined long form or non-acronym), singular, no article."""
    if len(group) == 1:  # the common case, without the vote below
        return surface(group[0].text, group[0].canonical).name
    lexicon = [m.canonical for m in group if m.canonical]
    if lexicon:
        return max(lexicon, key=lambda n: (lexicon.count(n), -lexicon.index(n)))
    surfaces = [strip_article(m.text) for m in group]
    full = [s for s in surfaces if name_key(s) in long_forms] or [s for s in surfaces if not is_acronym(s)] or surfaces
    return name_form(max(full, key=lambda s: (full.count(s), -full.index(s))))


def group_type(group: list[Candidate]) -> str:
    """The type the strongest rules agree on (lexicon first), majority within the best rule."""
    if len(group) == 1:  # the common case, without the vote below
        return group[0].type or "Method"
    typed = [m for m in group if m.type]
    if not typed:
        return "Method"
    best_rule = min(RULE_PRIORITY.get(m.rule, 9) for m in typed)
    votes = [m.type for m in typed if RULE_PRIORITY.get(m.rule, 9) == best_rule]
    return min(votes, key=lambda t: (-votes.count(t), ENTITY_TYPES.index(t)))


def group_aliases(group: list[Candidate], name: str) -> tuple[str, ...]:
    """The surface forms of the group other than ``name``, sorted."""
    return tuple(sorted({m.text for m in group} - {name}))


class GroupName(NamedTuple):
    """Name, type and rule of an entity of several mentions (:func:`group_name`)."""

    name: str
    name_key: str
    type: str
    rule: str
    clean: tuple[str, tuple[str, ...]]  # name and aliases without LaTeX markup


def group_name(group: list[Candidate], long_forms: set[str]) -> GroupName:
    """The :class:`GroupName` of a group of mentions; it depends on their text, type, rule and lexicon name
    (and on which are long forms), not on where they are, so it is memoised on those."""
    forms = tuple(map(_FORM, group))  # (text, type, rule, canonical)
    if not long_forms:
        return _group_name(forms, ())
    return _group_name(forms, tuple([surface(text, canonical).article_key in long_forms for text, _, _, canonical in forms]))


@lru_cache(maxsize=1 << 14)
def _group_name(forms: tuple[tuple[str, str, str, str], ...], long: tuple[bool, ...]) -> GroupName:
    group = [Candidate(0, 0, *form) for form in forms]
    long_forms = {surface(m.text, m.canonical).article_key for m, is_long in zip(group, long) if is_long}
    name = canonical_name(group, long_forms)
    return GroupName(name, name_key(name), group_type(group), min((m.rule for m in group), key=rule_rank),
                     clean_names(name, group_aliases(group, name)))


@lru_cache(maxsize=1 << 14)
def clean_names(name: str, aliases: tuple[str, ...]) -> tuple[str, tuple[str, ...]]:
    """``name`` and ``aliases`` without LaTeX markup (``Claude Sonnet~4.5`` -> ``Claude Sonnet 4.5``), aliases
    that became empty or the name dropped; unchanged when there is none (memoised)."""
    cleaned_name = without_latex(name)
    cleaned = tuple(map(without_latex, aliases))
    if cleaned_name == name and cleaned == aliases:
        return name, aliases
    return cleaned_name, tuple(sorted({a for a in cleaned if a and a != cleaned_name}))


class Entities(NamedTuple):
    """What :func:`build_entities` makes of a Doc: the distinct entities in order of first mention, and for each
    ``(name, mention indexes, info)`` of :func:`entity_names`, its name before LaTeX cleaning (which relations use)."""

    records: list[Entity]  # name and aliases without LaTeX markup
    named: list[tuple[str, list[int], object]]  # the indexes point into ``mentions``
    mentions: list[Candidate]  # the chosen candidates, in text order, with their doc offsets


def build_entities(doc: Doc, generic: frozenset[str], stop_words: frozenset[str] = frozenset()) -> Entities:
    """The distinct entities of ``doc`` (see the module docstring), in order of first mention."""
    user_data = doc.user_data  # not ``doc._``, which builds an accessor object on each use
    text = user_data.get(TEXT_KEY) or cached_text(doc)
    candidates = user_data.get(_CANDIDATES) or []
    pairs = [(plain_form(s, text), plain_form(l, text))
             for s, l in user_data.get(_ABBREVIATIONS) or () if isinstance(s, Span) and isinstance(l, Span)]
    contributions = [c for c in user_data.get(_CONTRIBUTIONS) or () if hasattr(c, "start_char")]
    defined = set()
    if pairs or contributions:
        defined_candidates = abbreviation_candidates(pairs, candidates, text, stop_words, generic)
        defined = {singular_acronym(c.text) for c in defined_candidates}
        defined.update(singular_acronym(c.short_form or c.text) for c in contributions)
        candidates = [*candidates, *defined_candidates,
                      *[Candidate(c.start_char, c.end_char, c.text, c.type_hint or "", "contribution") for c in contributions]]
    # Which lexicon names hold does not change which candidates are chosen: decided for the chosen ones only.
    mentions = select_mentions(candidates, generic)
    if pairs:
        # The short forms of generic long forms are as generic (``computer vision (CV)``, ``Alzheimer's disease (AD)``).
        vague = {singular_acronym(s.text) for s, l in pairs if name_key(l.text) in generic}
        if vague:
            mentions = [m for m in mentions if singular_acronym(m.text) not in vague]
    mentions = lexicon_links(mentions, local_definitions(pairs, contributions), defined,
                             {singular_acronym(s.text): "".join(word[0] for word in l.text.split()).upper() for s, l in pairs})
    if contributions:
        # (after the lexicon links, which would drop a name that is not the lexicon's)
        renamed = {(c.start_char, c.end_char): name for c in contributions if (name := contribution_name(c))}
        if renamed:
            mentions = [Candidate(*m[:5], renamed[m.start, m.end]) if m.rule == "contribution" and (m.start, m.end) in renamed
                        else m for m in mentions]
    surfaces, labels = group_labels(mentions, definition_links(mentions, pairs, contributions))
    named = entity_names(mentions, surfaces, labels, pairs, contributions, generic)
    proposed = {(c.start_char, c.end_char): c.type_hint for c in contributions}
    # The mentions that overlap a contribution, so that most entities skip the test below.
    touched = {index for index, m in enumerate(mentions) for s, e in proposed if s < m.end and m.start < e} if proposed else ()
    evidence = Evidence(text, user_data.get(_TITLE_LEN) or title_length(text), user_data.get(_SENTENCES) or [[0, len(text)]])
    records = evidence.records(mentions)
    named_entities = list(named.values())
    built = []
    for name, group, info in named_entities:
        if len(group) == 1:  # the common case: a Surface with the cleaned names
            mention = mentions[group[0]]
            entity_type, rule, (clean_name, aliases) = mention.type or "Method", mention.rule, info.clean
            found = (records[group[0]],)
        else:
            if info is None:  # groups merged under one name
                members = [mentions[index] for index in group]
                entity_type, rule = group_type(members), min((m.rule for m in members), key=rule_rank)
                clean_name, aliases = clean_names(name, group_aliases(members, name))
            else:
                entity_type, rule, (clean_name, aliases) = info.type, info.rule, info.clean
            found = tuple([records[index] for index in group])
        overlapped = False
        if touched and not touched.isdisjoint(group):
            # The contributions this entity's mentions overlap; the type they give it wins.
            kinds = [kind for (s, e), kind in proposed.items() if any(s < mentions[i].end and mentions[i].start < e for i in group)]
            overlapped = bool(kinds)
            entity_type = next((kind for kind in kinds if kind), entity_type)
        built.append(Entity(clean_name, entity_type, aliases, overlapped, found, rule, RULE_CONFIDENCE.get(rule, 0.5)))
    return Entities(built, named_entities, mentions)


def contribution_name(contribution) -> str:
    """The canonical name of a contribution's mention: none (its text names it), or its long form when the text holds
    the acronym in parentheses (``a Hierarchical State Space (HiSS) block`` is the ``Hierarchical State Space block``)."""
    return name_form(contribution.long_form) if contribution.long_form and "(" in contribution.text else ""


def entity_names(mentions: list[Candidate], surfaces: list[Surface], labels: list[int], pairs: list[tuple[Form, Form]],
                 contributions: list, generic: frozenset[str]) -> dict[str, tuple]:
    """Name key -> ``(name, mention indexes, info)`` of each entity, in order of first mention: the groups of
    ``labels`` (:func:`group_labels`) under their canonical names, groups that came to the same name made one
    (their info None), generic names left out. The info of a group is the :class:`Surface` of its one mention
    (the common case, from the memo) or its :class:`GroupName`."""
    named: dict[str, tuple] = {}
    long_forms: set[str] | None = None
    for group in label_groups(labels):
        if len(group) == 1:
            info = surfaces[group[0]]
        else:
            if long_forms is None:
                long_forms = ({name_key(l.text) for _, l in pairs}
                              | {name_key(c.long_form) for c in contributions if c.long_form})
            info = group_name([mentions[index] for index in group], long_forms)
        key = info.name_key
        known = named.get(key)
        if known is not None:  # two groups that came to the same name are one entity
            named[key] = (known[0], known[1] + group, None)
        elif key not in generic:
            named[key] = (info.name, group, info)
    return named


def definition_links(mentions: list[Candidate], pairs: list[tuple[Form, Form]], contributions: list) -> list[tuple[str, str]]:
    """Name-key pairs that are one entity: short and long forms, expansions, the forms of a contribution, and
    one contribution named twice (the title's ``Hydra: ...`` and the abstract's ``we propose Hydra heads``)."""
    if not pairs and not contributions:
        return []
    links = [(name_key(s.text), name_key(l.text)) for s, l in pairs] + expansion_links(mentions, pairs)
    links += [(name_key(c.text), name_key(other)) for c in contributions for other in (c.long_form, c.short_form) if other]
    links += [(name_key(a.text), name_key(b.text)) for a in contributions for b in contributions
              if " " not in a.text and b.text.startswith(a.text + " ")]
    return links


class Evidence:
    """:class:`Mention` records of candidates of one Doc: offsets in their field, the sentence's text."""

    def __init__(self, text: str, title_len: int, sentences: Sequence[Sequence[int]]) -> None:
        self.text = text
        self.title_len = title_len
        self.sentences = sentences
        self.sentence_starts = [start for start, _ in sentences]

    def records(self, candidates: list[Candidate]) -> list[Mention]:
        """The :class:`Mention` of each of ``candidates``, in their order."""
        title_len, starts, sentences, text = self.title_len, self.sentence_starts, self.sentences, self.text
        texts: dict[int, str] = {}
        found = []
        for start, end, surface_text, _, _, _ in candidates:
            index = bisect_right(starts, start) - 1
            sentence = texts.get(index)
            if sentence is None:  # the stripped text of the sentence (the first for an offset before it)
                first, last = sentences[max(index, 0)]
                sentence = texts[index] = text[first:last].strip()
            if start < title_len:
                found.append(Mention(surface_text, "title", start, min(end, title_len), sentence))
            else:
                found.append(Mention(surface_text, "abstract", start - title_len - 2, end - title_len - 2, sentence))
        return found


def relation_mentions(doc: Doc, entities: Entities, within: tuple[int, int] | None = None) -> list[tuple[int, int, str, str]]:
    """The ``(start, end, name, type)`` mentions :func:`find_relations` reads: what
    :func:`kg.components.relations.entity_mentions` makes of the records, from the candidates' doc offsets;
    only those that overlap the doc offsets ``within`` when given (all :func:`find_relations` reads of sentences
    there, when no name is a variant of another)."""
    text_len = len(doc.user_data.get(TEXT_KEY) or cached_text(doc))
    starts, ends = token_bounds(doc)
    title_len, shift = title_offsets(doc)
    low, high = within or (0, text_len)
    mentions = entities.mentions
    found = []
    for entity, (name, group, _) in zip(entities.records, entities.named):
        for index in group:
            start, end = mentions[index][:2]
            if start < title_len:
                end = min(end, title_len)
            else:
                start, end = start + shift, end + shift
            if end > low and start < high:
                span = token_span(starts, ends, text_len, start, end)
                if span is not None:
                    found.append((*span, name, entity.type))
    return found


def comparable_starts(doc: Doc, entities: Entities) -> list[int]:
    """Where the mentions of :func:`relation_mentions` that can be compared start, before widening to tokens."""
    mentions = entities.mentions
    starts = [mentions[index].start for entity, (_, group, _) in zip(entities.records, entities.named)
              if entity.type in COMPARABLE_TYPES for index in group]
    title_len, shift = title_offsets(doc)
    return [start if start < title_len else start + shift for start in starts] if shift else starts


def title_offsets(doc: Doc) -> tuple[int, int]:
    """``(title_len, shift)``: a candidate starting before ``title_len`` is in the title; the doc offsets of the
    others are moved by ``shift`` where :func:`kg.components.relations.entity_mentions` puts the abstract
    (0, unless ``doc._.kg_title_len`` is unset)."""
    user_data = doc.user_data
    title_len = user_data.get(_TITLE_LEN) or title_length(user_data.get(TEXT_KEY) or cached_text(doc))
    return title_len, (user_data.get(_TITLE_LEN) or 0) - title_len


def clean_relation(relation: Relation) -> Relation:
    """``relation`` naming its entities as :func:`clean_names` does."""
    subject, object_ = without_latex(relation.subject), without_latex(relation.object)
    if subject == relation.subject and object_ == relation.object:
        return relation
    return replace(relation, subject=subject, object=object_)


def entity_to_dict(entity: Entity) -> dict:
    """Plain-data form of an :class:`Entity` (mentions as ``[text, field, start, end, sentence]``), for tests and debugging."""
    return {
        "name": entity.name, "type": entity.type, "aliases": list(entity.aliases), "proposed": entity.proposed,
        "mentions": [[m.text, m.field, m.start, m.end, m.sentence] for m in entity.mentions],
        "rule": entity.rule, "confidence": entity.confidence,
    }


def detach_spans(doc: Doc) -> None:
    """Replace Span-holding extension values by character offsets and drop the per-Doc caches, so the
    Doc serialises small (``nlp.pipe(n_process=N)``, ``Doc.to_bytes``)."""
    user_data = doc.user_data
    pairs = user_data.get(_ABBREVIATIONS) or []
    user_data[_ABBREVIATIONS] = [
        [[s.start_char, s.end_char], [l.start_char, l.end_char]] for s, l in pairs if isinstance(s, Span)
    ] or None
    user_data[_CANDIDATES] = None  # consumed; caches need not cross processes either
    user_data.pop(TEXT_KEY, None)
    user_data.pop(BOUNDS_KEY, None)
    user_data.pop(SENTENCE_BOUNDS_KEY, None)
    user_data[_CONTRIBUTIONS] = [
        {"start": c.start_char, "end": c.end_char, "type": c.type_hint, "rule": c.rule}
        for c in user_data.get(_CONTRIBUTIONS) or [] if hasattr(c, "start_char")
    ] or None


_RECORD_TYPES = {record.__name__: record for record in (Entity, Mention, Relation)}
_RECORD_TAG = "__kg_record__"


def encode_record(obj, chain=None):
    """msgpack encoder (srsly's registry, used by ``Doc.to_bytes``): a record as a tagged list of its fields."""
    if _RECORD_TYPES.get(type(obj).__name__) is type(obj):
        return {_RECORD_TAG: type(obj).__name__, "fields": [getattr(obj, field.name) for field in fields(obj)]}
    return obj if chain is None else chain(obj)


def decode_record(obj, chain=None):
    """Inverse of :func:`encode_record` (msgpack gives tuples back as lists)."""
    if _RECORD_TAG in obj:
        return _RECORD_TYPES[obj[_RECORD_TAG]](*(tuple(v) if isinstance(v, list) else v for v in obj["fields"]))
    return obj if chain is None else chain(obj)


srsly.msgpack_encoders.register("kg_records", func=encode_record)
srsly.msgpack_decoders.register("kg_records", func=decode_record)


@Language.factory("kg_entities", default_config={"lexicon_dir": None, "generic_path": None},
                  assigns=["doc._.kg_entities", "doc._.kg_relations"])
def make_entity_builder(nlp: Language, name: str, lexicon_dir: str | None, generic_path: str | None) -> "EntityComponent":
    rules = load_phrase_rules()
    measures = frozenset(word for word, head in load_heads(rules, lexicon_dir).items() if head.type == "Metric")
    return EntityComponent(load_generic_keys(lexicon_dir, generic_path, measures), rules.stop_modifiers)


class EntityComponent:
    """Thin shell: :func:`build_entities` and :func:`find_relations` (when :func:`kg.components.relations.may_relate`),
    records on the Doc."""

    def __init__(self, generic: frozenset[str], stop_words: frozenset[str]) -> None:
        self.generic = generic
        self.stop_words = stop_words

    def __call__(self, doc: Doc) -> Doc:
        entities = build_entities(doc, self.generic, self.stop_words)
        # What may_relate tests, keeping the sentences for find_relations to read.
        sentences = comparison_sentences(doc, comparable_starts(doc, entities))
        vary = may_vary([name for name, _, _ in entities.named])
        if sentences == [] and not vary:  # the common case, without making the mentions
            relations = []
        else:
            # Without variants, find_relations reads the mentions in those sentences only.
            within = None if vary or sentences is None else (sentences[0][0], sentences[-1][1])
            relations = list(map(clean_relation, find_relations(doc, relation_mentions(doc, entities, within), sentences)))
        doc.user_data[_ENTITIES] = [entity for entity in entities.records if entity.name]
        doc.user_data[_RELATIONS] = relations
        detach_spans(doc)
        return doc
