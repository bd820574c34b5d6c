"""Entity-to-entity relations within a paper: ``variantOf``, ``outperforms``, ``comparedWith``.

``variantOf`` comes from names alone (``LLaMA-2-7B`` is a variant of ``LLaMA-2``, itself of ``LLaMA``):
size, version and edition suffixes are stripped one at a time and the first shorter name that is
also an entity of the paper wins.  The two others come from a cue in a sentence
(``X outperforms Y``, ``compared with Y``, ``X vs. Y``, ``against Y``) and link only the entity
mentions next to the cue: the subject is the nearest Model or Method before it in the same clause,
the objects those right after it (a list ``Y1, Y2 and Y3`` included), never every pair in the sentence.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from functools import lru_cache, partial
from itertools import chain, compress, islice
from operator import eq, itemgetter
from typing import NamedTuple

from spacy.tokens import Doc

from kg.components.abbreviations import doc_text, sentence_bounds, sentence_of
from kg.components.candidates import name_key
from kg.components.title import TITLE_SEPARATOR, token_bounds
from kg.records import Entity, Relation

#: Entity types that can outperform or be compared with one another.
COMPARABLE_TYPES = ("Model", "Method")

# Name suffixes whose removal gives the name of what the entity is a variant of, tried in this order
# (the first that applies is removed, then the rest of the name is tried again).
_SUFFIXES = re.compile(
    r"(?:[-_ ]?\d+(?:\.\d+)?[BMKT]"  # -7B, 3.8B, 110M
    r"|[-_ ]\d+x\d+(?:\.\d+)?[BM]"  # 8x7B
    r"|[ -]b\d+(?:\.\d+)?"  # BitNet b1.58
    r"|[-_ ]?v\d+(?:\.\d+)*"  # v2, -v1.5, YOLOv8
    r"|[-_ ](?:base|large|small|tiny|mini|medium|xl|xxl|huge|giant|instruct|chat|it|hf|turbo|pro|plus|lite|nano|"
    r"preview|distilled|uncased|cased)"  # -base, -large, Phi-4-Mini, GPT-4 Turbo
    r"|[-_. ]\d+(?:\.\d+)*"  # LLaMA-2, Llama-3.1, ResNet 50
    r"|(?<=[A-Za-z]{3})\d+(?:\.\d+)*"  # Qwen2.5, GPT4
    r")$",
    re.IGNORECASE,
)

_OUTPERFORMS = re.compile(
    r"\b(?:outperform(?:s|ed|ing)?|surpass(?:es|ed|ing)?|beat(?:s|ing)?|exceed(?:s|ed|ing)?"
    r"|improv(?:es|ed|ing)\s+(?:up)?on|improv(?:es|ed|ing)\s+over|(?:is|are)\s+superior\s+to|(?:performs?|works?)\s+better\s+than)\b",
    re.IGNORECASE,
)
_OUTPERFORMED_BY = re.compile(r"\b(?:is|are|was|were)\s+(?:\w+\s+)?(?:outperformed|surpassed|beaten)\s+by\b", re.IGNORECASE)
_COMPARED = re.compile(
    r"\b(?:compared\s+(?:with|to|against)|in\s+comparison\s+(?:with|to)|relative\s+to|against|vs\.?|versus)(?![\w\-])",
    re.IGNORECASE,
)
_COMPARE_VERB = re.compile(r"\bcompar(?:e|es|ed|ing)\b(?!\s+(?:with|to|against)\b)", re.IGNORECASE)
# ``against`` compares only after an evaluation verb (``we benchmark X against Y``, not ``robust against attacks``).
_AGAINST_VERB = re.compile(r"\b(?:compar|evaluat|benchmark|test|validat|measur|assess|pit|rank)\w*", re.IGNORECASE)
# What may stand between two objects of one cue: list punctuation and conjunctions.
_LIST_GAP = re.compile(r"^\s*(?:,|and|or|as well as|,\s*and|,\s*or|&|/)?\s*(?:the\s+)?$", re.IGNORECASE)
# What may stand between a cue and its first object: articles and baseline words, nothing with a verb or preposition.
_OBJECT_LEAD = re.compile(
    r"^\s*(?:(?:the|a|an|both|all|existing|prior|previous|recent|strong|competitive|popular|standard|"
    r"state-of-the-art|sota|leading|original|vanilla|baseline|baselines|methods?|models?|approaches|systems?|"
    r"such\s+as|like|including|e\.g\.|e\.g\.,|i\.e\.,?)[\s,(:]*)*$",
    re.IGNORECASE,
)
# What ends a clause, so that the subject of a cue is never taken across it.
# A comma before a participle (``..., achieving``) also starts a clause whose subject lies further back.
_CLAUSE_END = re.compile(
    r"[;:]|,\s*(?:while|whereas|which|but|and\s+(?:we|it|they)|\w+ing)\b|\bwhile\b|\bwhereas\b|\bbut\b",
    re.IGNORECASE,
)
# Between an ``outperforms`` cue and its subject: a parenthesis or an appositive, then auxiliaries and
# adverbs only (``X, trained on code, can consistently outperform``).
_SUBJECT_GAP = re.compile(
    r"^\s*(?:\([^()]*\)\s*)?(?:,[^,;()]{1,60},\s*)?(?:(?:can|could|may|might|will|would|also|further|still|even|generally|only|not|"
    r"does|do|did|is|are|was|were|has|have|had|both|all|again|thus|therefore|then|often|\w+ly)\s+)*$",
    re.IGNORECASE,
)
# Where a cue starting a sentence ends its lead-in: ``Compared with Y, X ...``, ``In comparisons against Y, X ...``.
_LEAD_IN = re.compile(r"^\s*(?:\w+\s+){0,2}$")
_OUR_LEAD = re.compile(r"^\s*(?:our\s+[\w\-]+\s*,?\s*|we\s+(?:find|observe|show|see)\s+(?:that\s+)?)?$", re.IGNORECASE)
# A mention followed by a hyphen is a modifier (``StyleGAN-based techniques``), not what is compared.
_MODIFIER = re.compile(r"-[A-Za-z]")
_PREPOSITION_BEFORE = re.compile(r"\b(?:on|in|for|with|of|by|from|at|over|to|than|across|using)\s+(?:the\s+)?$", re.IGNORECASE)
_PARTICIPLE = re.compile(r"\w+ing", re.IGNORECASE)
# Lower-case stems, one of which every cue above contains: sentences without any are not read.
_CUE_STEMS = ("outperform", "surpass", "beat", "exceed", "improv", "superior", "better", "compar", "relative",
              "against", "vs", "versus")
_MAX_GAP = 80
_FIRST = itemgetter(0)


class _Cue(NamedTuple):
    """A cue regex, its case-sensitive twin for lower-case ASCII text (several times faster than ``re.IGNORECASE``),
    and the literals one of which every match contains (a sentence without any is not searched)."""

    pattern: re.Pattern
    lower_case: re.Pattern
    literals: tuple[str, ...]


def _cue(pattern: re.Pattern, literals: tuple[str, ...]) -> _Cue:
    return _Cue(pattern, re.compile(pattern.pattern), literals)


_CUES = {
    "outperformed_by": _cue(_OUTPERFORMED_BY, ("outperformed", "surpassed", "beaten")),
    "outperforms": _cue(_OUTPERFORMS, ("outperform", "surpass", "beat", "exceed", "improv", "superior", "better")),
    "compared_with": _cue(_COMPARED, ("compar", "relative", "against", "vs", "versus")),
    "compare_verb": _cue(_COMPARE_VERB, ("compar",)),
}


class _Mention(NamedTuple):
    """One entity mention (a tuple: made, hashed and compared at C speed, dozens per abstract)."""

    start: int
    end: int
    name: str
    type: str


#: ``_make_mention((start, end, name, type))``: a :class:`_Mention` without the Python-level ``__new__`` of NamedTuple.
_make_mention = partial(tuple.__new__, _Mention)


def _mention_order(mention: _Mention) -> tuple[int, int, str]:
    return mention.start, -mention.end, mention.name


def _start(mention: _Mention) -> int:
    return mention.start


def _end(mention: _Mention) -> int:
    return mention.end


def entity_mentions(doc: Doc, entities: Iterable[Entity]) -> list[tuple[int, int, str, str]]:
    """The ``(start_char, end_char, canonical name, type)`` mentions of :func:`find_relations` from ``Entity`` records.

    Mention offsets are per field (:class:`kg.records.Mention`); in the doc the title starts at 0 and the
    abstract at ``doc._.kg_title_len + 2`` (``title + "\\n\\n" + abstract``, also when the title is empty).
    Each mention is widened to whole tokens (:func:`token_span`), as spaCy's ``char_span(..., "expand")``.
    """
    abstract_start = (doc._.get("kg_title_len") or 0) + len(TITLE_SEPARATOR)
    starts, ends = token_bounds(doc)
    text_len = len(doc_text(doc))
    found = []
    for entity in entities:
        for mention in entity.mentions:
            offset = 0 if mention.field == "title" else abstract_start
            span = token_span(starts, ends, text_len, mention.start + offset, mention.end + offset)
            if span is not None:
                found.append((*span, entity.name, entity.type))
    return found


def token_span(starts: Sequence[int], ends: Sequence[int], text_len: int, start: int, end: int) -> tuple[int, int] | None:
    """Characters ``[start, end)`` widened to the tokens they touch (``starts``/``ends``: token offsets,
    covering a text of ``text_len`` characters), or None when no token is covered: spaCy's
    ``doc.char_span(start, end, alignment_mode="expand")`` without building a ``Span``.

    >>> token_span([0, 4, 8], [3, 7, 11], 11, 5, 9)
    (4, 11)
    """
    if not (0 <= start < text_len and 0 < end <= text_len):
        return None
    first = bisect_right(starts, start) - 1
    last = bisect_right(starts, end - 1) - 1
    if start == ends[first]:  # on the space after a token: that token is not part of the span
        first += 1
    if first > last:
        return None
    return starts[first], ends[last]


def variant_parent(name: str, names: dict[str, str]) -> str | None:
    """The entity ``name`` is a variant of, among ``names`` (name_key -> canonical name), or None.

    >>> variant_parent("LLaMA-2-7B", {"llama2": "LLaMA-2", "llama": "LLaMA"})
    'LLaMA-2'
    """
    for current in stripped_names(name.strip()):
        parent = names.get(name_key(current))
        if parent is not None and name_key(parent) != name_key(name):
            return parent
    return None


@lru_cache(maxsize=1 << 14)
def stripped_names(name: str) -> tuple[str, ...]:
    """``name`` without its last size/version/edition suffix, then without the next one, and so on
    (names recur across papers, so this is memoised).

    >>> stripped_names("LLaMA-2-7B")
    ('LLaMA-2', 'LLaMA')
    """
    found = []
    current = name
    while True:
        match = _SUFFIXES.search(current)
        if not match or match.start() == 0:
            return tuple(found)
        current = current[: match.start()].rstrip(" -_.")
        if len(current) < 2:
            return tuple(found)
        found.append(current)


def find_relations(
    doc: Doc, entities: Sequence[tuple[int, int, str, str]], sentences: Sequence[tuple[int, int]] | None = None
) -> list[Relation]:
    """Relations between the entities of the paper in ``doc``, deduplicated, in a stable order.

    Parameters
    ----------
    doc
        The paper's Doc (title + ``"\\n\\n"`` + abstract) with sentence boundaries.
    entities
        One tuple per entity *mention*: ``(start_char, end_char, canonical_name, type)``, where the
        offsets are those of the mention in ``doc`` (whole tokens), ``canonical_name`` the name of the entity
        it belongs to (the one the Relation will carry) and ``type`` one of :data:`kg.records.ENTITY_TYPES`.
        Several mentions of one entity repeat its name and type.  :func:`entity_mentions` builds this from
        ``Entity`` records.
    sentences
        The sentences to read for ``outperforms`` and ``comparedWith`` (:func:`comparison_sentences`, when a caller
        has it); all sentences of ``doc`` when None.

    Returns
    -------
    list of Relation
        ``variantOf`` (rule ``name_suffix``), ``outperforms`` (rules ``outperforms``, ``outperformed_by``)
        and ``comparedWith`` (rules ``compared_with``, ``compare_verb``); each carries the sentence it
        comes from.  One relation per (subject, predicate, object), the first evidence kept.
    """
    text = doc_text(doc)
    mentions = sorted(set(map(_make_mention, entities)), key=_mention_order)
    bounds = sentence_bounds(doc)
    found: dict[tuple[str, str, str], Relation] = {}

    def add(subject: _Mention, predicate: str, obj: _Mention, sentence: tuple[int, int], rule: str) -> None:
        key = (subject.name, predicate, obj.name)
        if subject.name != obj.name and key not in found:
            found[key] = Relation(subject.name, subject.type, predicate, obj.name, obj.type, text[sentence[0] : sentence[1]].strip(), rule)

    if may_vary({m.name for m in mentions}):
        _variants(text, mentions, bounds, add)
    starts = [m.start for m in mentions]
    casefolded = text.casefold()
    lowered = text.lower() if text.isascii() else None
    for sentence in bounds if sentences is None else sentences:  # those cued (:func:`cued_sentences`) with two mentions or more
        first, last = bisect_left(starts, sentence[0]), bisect_left(starts, sentence[1])
        if last - first < 2 or not has_cue_stem(text, casefolded, sentence):
            continue
        inside = mentions[first:last]
        comparable = _outermost([m for m in inside if m.type in COMPARABLE_TYPES and not _MODIFIER.match(text, m.end)])
        if len(comparable) < 2:
            continue
        _cued(text, sentence, comparable, add, lowered)
    return sorted(found.values(), key=lambda r: (r.predicate, r.subject, r.object))


def may_relate(doc: Doc, names: Iterable[str], starts: Iterable[int]) -> bool:
    """Whether :func:`find_relations` may find anything, cheaply: false only when no entity name can be a
    variant of another and no sentence holds two comparable mentions, a cue stem and a cue (:func:`comparison_sentences`).
    ``names``: the entity names; ``starts``: as for :func:`comparison_sentences`. Lets a caller skip making the
    mentions of most papers."""
    return may_vary(names) or comparison_sentences(doc, starts) != []


def comparison_sentences(doc: Doc, starts: Iterable[int]) -> list[tuple[int, int]] | None:
    """The sentences where :func:`find_relations` may find ``outperforms`` or ``comparedWith``, in order: those
    holding two of ``starts`` (doc offsets where the Model and Method mentions start; widening them to whole
    tokens keeps a non-space start in its sentence), a cue stem and a cue. None for an odd start (outside the
    text or on a space): then every sentence is to be read."""
    starts = list(starts)
    if len(starts) < 2:
        return []
    text = doc_text(doc)
    if min(starts) < 0 or max(starts) >= len(text) or any(map(str.isspace, map(text.__getitem__, starts))):
        return None
    bounds = sentence_bounds(doc)
    # Each start's sentence, as its index + 1 (bisect_right in a C-level map); 0 is before the first sentence.
    labels = sorted(map(partial(bisect_right, list(map(_FIRST, bounds))), starts))
    # The sentences with two of them: a label equal to the next one, picked at C speed, in order.
    twice = list(dict.fromkeys(compress(labels, map(eq, labels, islice(labels, 1, None)))))
    if twice and not twice[0]:
        del twice[0]
    if not twice:
        return []
    if not text.isascii():
        casefolded = text.casefold()
        return [bounds[label - 1] for label in twice if has_cue_stem(text, casefolded, bounds[label - 1]) and any(
            next(iter(cue_matches(text, None, bounds[label - 1], cue)), None) for cue in _CUES)]
    lowered = text.lower()
    found = []
    for label in twice:
        start, end = sentence = bounds[label - 1]
        piece = lowered[start:end]
        # Every cue holds a stem: one test of all stems spares most sentences the four cue tests, which read
        # the lower-case text as cue_matches does, the piece sliced once for all their literals.
        if any(map(piece.__contains__, _CUE_STEMS)) and any(
                any(map(piece.__contains__, literals)) and lower_case.search(lowered, start, end)
                for _, lower_case, literals in _CUES.values()):
            found.append(sentence)
    return found


def may_vary(names: Iterable[str]) -> bool:
    """Whether one of ``names`` may be a variant of another (:func:`variant_parent`, types aside)."""
    names = list(names)
    stripped = set(chain.from_iterable(map(stripped_keys, names)))  # C-level maps over memo hits
    return bool(stripped) and not stripped.isdisjoint(map(name_key, names))


@lru_cache(maxsize=1 << 14)
def stripped_keys(name: str) -> tuple[str, ...]:
    """The name keys of :func:`stripped_names` of ``name`` other than its own (memoised)."""
    own = name_key(name)
    return tuple(key for key in map(name_key, stripped_names(name.strip())) if key != own)


def cued_sentences(text: str, bounds: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The sentences of ``bounds`` in which one of :data:`_CUE_STEMS` (case-folded) starts, in order."""
    casefolded = text.casefold()
    return [sentence for sentence in bounds if has_cue_stem(text, casefolded, sentence)]


def has_cue_stem(text: str, casefolded: str, sentence: tuple[int, int]) -> bool:
    """Whether one of :data:`_CUE_STEMS` starts in ``sentence`` of ``casefolded`` (``text.casefold()``): a few
    ``str.find`` calls over the sentence. True for every sentence when case folding changed the text's
    length (``ß``), as offsets no longer match."""
    if len(casefolded) != len(text):
        return True
    start, end = sentence
    for stem in _CUE_STEMS:
        if casefolded.find(stem, start, end + len(stem) - 1) != -1:
            return True
    return False


def _outermost(mentions: list[_Mention]) -> list[_Mention]:
    """The mentions not nested in an earlier, longer one (``BitNet`` inside ``BitNet b1.58``); input sorted by (start, -end)."""
    kept: list[_Mention] = []
    for mention in mentions:
        if not kept or mention.start >= kept[-1].end:
            kept.append(mention)
    return kept


def _variants(text: str, mentions: list[_Mention], bounds: list[tuple[int, int]], add) -> None:
    """``variantOf`` between the entities, by name; the evidence is the variant's first mention."""
    first: dict[str, _Mention] = {}
    for mention in mentions:
        first.setdefault(mention.name, mention)
    by_type: dict[str, dict[str, str]] = {}
    for mention in first.values():
        by_type.setdefault(mention.type, {})[name_key(mention.name)] = mention.name
    for name, mention in first.items():
        parent = variant_parent(name, by_type[mention.type])
        if parent is not None:
            add(mention, "variantOf", first[parent], sentence_of(bounds, mention.start), "name_suffix")


def cue_matches(text: str, lowered: str | None, sentence: tuple[int, int], cue: str) -> Iterable[re.Match]:
    """The matches of the cue regex ``cue`` (a key of :data:`_CUES`) in ``sentence``, in order. ``lowered`` is
    ``text.lower()`` for an ASCII text, else None: then the case-sensitive twin reads it (same offsets, same
    matches), and only a sentence holding one of the cue's literals is searched at all."""
    start, end = sentence
    pattern, lower_case, literals = _CUES[cue]
    if lowered is None:
        return pattern.finditer(text, start, end)
    if not any(map(lowered[start:end].__contains__, literals)):
        return ()
    return lower_case.finditer(lowered, start, end)


def _cued(text: str, sentence: tuple[int, int], mentions: list[_Mention], add, lowered: str | None = None) -> None:
    """``outperforms`` and ``comparedWith`` from the cues of one sentence (``lowered``: see :func:`cue_matches`)."""
    start, end = sentence
    for cue in cue_matches(text, lowered, sentence, "outperformed_by"):
        for winner in _objects_after(text, cue.end(), mentions):
            for loser in _subjects_before(text, cue.start(), mentions):
                add(winner, "outperforms", loser, sentence, "outperformed_by")
    for cue in cue_matches(text, lowered, sentence, "outperforms"):
        if _PARTICIPLE.fullmatch(cue.group()) and "," in text[max(start, cue.start() - 40) : cue.start()]:
            continue  # ``..., surpassing Y``: the subject is the sentence's, too far back to be sure of
        for subject in _subjects_before(text, cue.start(), mentions):
            for obj in _objects_after(text, cue.end(), mentions):
                add(subject, "outperforms", obj, sentence, "outperforms")
    for cue in cue_matches(text, lowered, sentence, "compared_with"):
        objects = _objects_after(text, cue.end(), mentions)
        if not objects or (cue.group().casefold() == "against" and not _AGAINST_VERB.search(text, start, cue.start())):
            continue
        subject = _subject_before(text, cue.start(), start, mentions)
        if subject is None and _LEAD_IN.match(text[start : cue.start()]):
            # ``Compared with Y, X ...``: the objects end at the comma, the subject follows it.
            comma = text.find(",", cue.end(), end)
            objects = [m for m in objects if comma == -1 or m.end <= comma]
            subject = _subject_after_clause(text, comma, end, mentions) if comma != -1 and objects else None
        if subject:
            for obj in objects:
                add(subject, "comparedWith", obj, sentence, "compared_with")
    for verb in cue_matches(text, lowered, sentence, "compare_verb"):
        # ``we compare X with Y``, ``we compare X and Y``.
        subjects = _objects_after(text, verb.end(), mentions)
        if not subjects:
            continue
        last = subjects[-1]
        link = re.match(r"\s*(?:,\s*)?(?:with|to|against)\b", text[last.end : end], re.IGNORECASE)
        if link:
            for obj in _objects_after(text, last.end + link.end(), mentions):
                add(subjects[0], "comparedWith", obj, sentence, "compare_verb")
        elif len(subjects) >= 2:
            for obj in subjects[1:]:
                add(subjects[0], "comparedWith", obj, sentence, "compare_verb")


def _subject_before(text: str, cue_start: int, sent_start: int, mentions: list[_Mention]) -> _Mention | None:
    """The nearest comparable mention ending before ``cue_start`` within its clause and :data:`_MAX_GAP` characters."""
    for index in range(bisect_right(mentions, cue_start, key=_end) - 1, -1, -1):
        mention = mentions[index]
        gap = text[mention.end : cue_start]
        if len(gap) > _MAX_GAP or _CLAUSE_END.search(gap):
            return None
        if not _PREPOSITION_BEFORE.search(text, max(0, mention.start - 12), mention.start):
            return mention
    return None


def _subjects_before(text: str, cue_start: int, mentions: list[_Mention]) -> list[_Mention]:
    """The subjects of an ``outperforms`` cue: the mentions right before it (``X and Y generally outperform``),
    with only auxiliaries and adverbs between (``X can significantly outperform``), no comma, no other verb."""
    subjects: list[_Mention] = []
    cursor = cue_start
    for index in range(bisect_right(mentions, cue_start, key=_end) - 1, -1, -1):
        mention = mentions[index]
        gap = text[mention.end : cursor]
        if not (_LIST_GAP if subjects else _SUBJECT_GAP).match(gap):
            break
        subjects.append(mention)
        cursor = mention.start
    # ``... on ResNet-50 compared to``: a mention after a preposition is not the subject of the sentence.
    if subjects and _PREPOSITION_BEFORE.search(text, max(0, subjects[-1].start - 12), subjects[-1].start):
        return []
    return subjects


def _objects_after(text: str, pos: int, mentions: list[_Mention]) -> list[_Mention]:
    """The mentions right after ``pos``: the first after articles or baseline words only, the next ones
    separated by list punctuation only (``Y1, Y2 and Y3``)."""
    objects: list[_Mention] = []
    cursor = pos
    for index in range(bisect_left(mentions, pos, key=_start), len(mentions)):
        mention = mentions[index]
        gap = text[cursor : mention.start]
        pattern = _LIST_GAP if objects else _OBJECT_LEAD
        if len(gap) > _MAX_GAP or not pattern.match(gap):
            break
        if objects and not gap.strip():
            objects.pop()  # ``the LLM HuatuoGPT2``: a class word naming the next mention, which is the object
        objects.append(mention)
        cursor = mention.end
    return objects


def _subject_after_clause(text: str, comma: int, end: int, mentions: list[_Mention]) -> _Mention | None:
    """``Compared with Y, X ...``: the first mention after the comma that ends the ``compared`` clause."""
    for index in range(bisect_right(mentions, comma, key=_start), len(mentions)):
        mention = mentions[index]
        if mention.start > comma:
            lead = text[comma + 1 : mention.start]
            return mention if len(lead) <= _MAX_GAP and (_OBJECT_LEAD.match(lead) or _OUR_LEAD.match(lead)) else None
    return None
