"""Canonical entities: candidates, abbreviations and contributions merged into one record per entity.

Reads the candidates of the matcher components (``doc._.kg_candidates``), the
abbreviation pairs (``doc._.kg_abbreviations``) and contributions (``doc._.kg_contributions``),
and sets ``doc._.kg_entities``: one plain dict per distinct entity (``name``, ``type``, ``aliases``,
``proposed``, ``mentions``, ``rule``, ``confidence``), in order of first mention, and
``doc._.kg_relations`` (dicts of :class:`kg.records.Relation`). Plain data, so that Docs can
cross processes (``nlp.pipe(n_process=N)``).

Steps, each a pure function: pick non-overlapping mentions (longest first, then by rule
priority; names nested in a common-noun phrase are kept too), drop generic names, group
variants (:func:`kg.names.name_key`; lexicon canonical names for spelling variants and acronyms;
short form = long form; ``AR decoding`` = ``autoregressive decoding`` after ``Autoregressive (AR)``;
an undefined acronym = the mention whose initials it spells), choose the canonical name
(guidelines rule 7) and the type, mark what the paper proposes (the type the text gives it wins).
"""
from __future__ import annotations

import json
import re
from bisect import bisect_right
from functools import lru_cache
from itertools import starmap
from operator import itemgetter
from pathlib import Path
from typing import Iterable, NamedTuple

from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.components.abbreviations import BOUNDS_KEY as SENTENCE_BOUNDS_KEY
from kg.components.candidates import BOUNDS_KEY, Candidate, name_key
from kg.components import LEXICON_DIR, PATTERNS_DIR
from kg.components.lexicon import PROPER_TYPES
from kg.components.phrases import load_heads, load_phrase_rules
from kg.components.relations import entity_mentions, find_relations
from kg.components.title import TEXT_KEY, title_length
from kg.records import ENTITY_TYPES, Entity, Mention

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

for _name, _default in (("kg_title_len", 0), ("kg_entities", None), ("kg_relations", None),
                        ("kg_abbreviations", None), ("kg_contributions", None)):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=_default)


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


def local_definitions_win(candidates: list[Candidate], pairs: list[tuple[Form, Form]], contributions: list) -> list[Candidate]:
    """Drop the lexicon name of an acronym the paper defines otherwise: ``Lossless Context Management (LCM)``
    is not the lexicon's ``latent consistency model``, ``Graph Language Models (GLMs)`` not ``generalized linear model``."""
    local = {singular_acronym(s.text): name_key(l.text) for s, l in pairs}
    local.update({singular_acronym(c.short_form or c.text): name_key(c.long_form)
                  for c in contributions if c.long_form})
    if not local:
        return candidates
    return [c._replace(canonical="") if c.canonical and local.get(singular_acronym(c.text), name_key(c.canonical))
            != name_key(c.canonical) else c for c in candidates]


def is_short_form(text: str) -> bool:
    """An abbreviation-like form: one word with at least two capitals (``LLMs``, ``RLHF``, ``MoE``)."""
    return bool(_SHORT_FORM.match(text))


@lru_cache(maxsize=1 << 14)
def strip_article(text: str) -> str:
    return _ARTICLE.sub("", text)


def rule_rank(rule: str) -> tuple[int, str]:
    """Sort key of rules: the stronger first, then by name."""
    return RULE_PRIORITY.get(rule, 9), rule


def priority(candidate: Candidate) -> tuple[int, int, int]:
    """Sort key of overlapping candidates: longer first, then the stronger rule, then earlier."""
    return (candidate.start - candidate.end, RULE_PRIORITY.get(candidate.rule, 9), candidate.start)


def is_name_like(candidate: Candidate) -> bool:
    """A proper name or acronym (``LLM``, ``GPT-4``, ``ImageNet``), as opposed to a common noun."""
    return candidate.type in PROPER_TYPES or is_short_form(candidate.text)


def select_mentions(candidates: Iterable[Candidate], generic: frozenset[str]) -> list[Candidate]:
    """Non-overlapping, non-generic candidates: longest first, then by rule priority; in text order.

    Names nested in a common-noun phrase are kept as well (guidelines rule 8: the phrase is the most
    specific mention, and the name stands for an entity of its own).
    """
    candidates = sorted(candidates, key=priority)
    taken = bytearray(max((c.end for c in candidates), default=0))
    in_phrase = bytearray(len(taken))
    chosen = []
    for cand in candidates:
        if not cand.text.strip() or name_key(cand.text) in generic:
            continue
        if 1 in taken[cand.start : cand.end]:
            # A name inside a common-noun phrase stands on its own too ("LLM" in "autoregressive LLM inference").
            if not (0 not in in_phrase[cand.start : cand.end] and cand.rule in NAME_RULES and is_name_like(cand)):
                continue
        else:
            taken[cand.start : cand.end] = b"\x01" * (cand.end - cand.start)
            if cand.rule == "phrase":
                in_phrase[cand.start : cand.end] = b"\x01" * (cand.end - cand.start)
        chosen.append(cand)
    return sorted(chosen, key=itemgetter(0, 1))  # (start, end)


def abbreviation_candidates(
    pairs: list[tuple[Form, Form]], candidates: list[Candidate], text: str, stop_words: frozenset[str]
) -> list[Candidate]:
    """Candidates for both sides of each abbreviation definition, typed like the best candidate inside them.

    A definition counts when its long form does not start with a stop word (``achieves a
    classification accuracy (ACC)``) and it ends on a candidate (a known name or a phrase head:
    ``Limited Interval Guidance``), or its short form is a known name or used again in ``text``
    (``Markov jump processes (MJPs) ... MJPs``); a one-off ``vulnerable road user (VRU)`` is left out.
    """
    if not pairs:
        return []
    ends = {c.end for c in candidates}
    known = {(c.start, c.end) for c in candidates if c.rule == "lexicon"}
    found = []
    for short, long in pairs:
        if long.first_lower in stop_words or continues_phrase(text, short.end_char, stop_words):
            continue
        if (long.end_char not in ends and (short.start_char, short.end_char) not in known
                and text.count(short.text) < 2):
            continue
        kind = definition_type(short, long, candidates)
        found.append(Candidate(long.start_char, long.end_char, long.text, kind, "abbreviation"))
        found.append(Candidate(short.start_char, short.end_char, short.text, kind, "abbreviation"))
    return found


def continues_phrase(text: str, short_end: int, stop_words: frozenset[str]) -> bool:
    """Whether a definition is the modifier of a longer phrase: ``hyperspectral image (HSI) classification``
    (a lower-case content word follows the parenthesis), rather than a name (``LLMs (LLMs) are``)."""
    match = _NEXT_WORD.match(text, short_end)
    return bool(match) and match.group(1) not in stop_words


def definition_type(short: Form, long: Form, candidates: list[Candidate]) -> str:
    """Type of a defined term: a lexicon entry for either form, else the candidate ending the long form, else Method."""
    inside = [c for c in candidates if (long.start_char <= c.start and c.end <= long.end_char)
              or (c.start == short.start_char and c.end == short.end_char)]
    if not inside:
        return "Method"
    best = min(inside, key=lambda c: (RULE_PRIORITY.get(c.rule, 9), -(c.end == long.end_char), -(c.end - c.start)))
    return best.type


class UnionFind:
    """Groups of indexes merged pairwise."""

    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, item: int) -> int:
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def group_mentions(mentions: list[Candidate], links: Iterable[tuple[str, str]]) -> list[list[Candidate]]:
    """Mentions grouped by name key, lexicon canonical name, and ``links`` (pairs of name keys, e.g. short/long forms)."""
    sets = UnionFind(len(mentions))
    first_by_key: dict[str, int] = {}
    for index, mention in enumerate(mentions):
        keys = (name_key(mention.text), name_key(mention.canonical)) if mention.canonical else (name_key(mention.text),)
        for key in keys:
            if not key:
                continue
            if key in first_by_key:
                sets.union(first_by_key[key], index)
            else:
                first_by_key[key] = index
    for a, b in [*links, *initials_links(mentions)]:
        if a in first_by_key and b in first_by_key:
            sets.union(first_by_key[a], first_by_key[b])
    groups: dict[int, list[Candidate]] = {}
    for index, mention in enumerate(mentions):
        groups.setdefault(sets.find(index), []).append(mention)
    return [groups[root] for root in sorted(groups)]


def expansion_links(mentions: list[Candidate], pairs: list[tuple[Form, Form]]) -> list[tuple[str, str]]:
    """A phrase that starts with a defined short form, linked to the same phrase with the long form
    (``AR decoding`` and ``autoregressive decoding`` after ``Autoregressive (AR)``)."""
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


def initials_links(mentions: list[Candidate]) -> list[tuple[str, str]]:
    """Acronyms used without a definition, linked to a multi-word mention of the same paper whose
    initials they spell (``LRT`` and ``Low-Rank Transformer``, ``PD`` and ``parallel decoding``)."""
    acronyms = {m.text: singular_acronym(m.text) for m in mentions if _ACRONYM_ONLY.match(m.text)}
    if not acronyms:
        return []
    wanted = set(acronyms.values())
    first_letters = {short[0] for short in wanted}  # a mention's initials start with its first letter, upper-cased
    by_initials: dict[str, str] = {}
    for mention in mentions:
        if (mention.text[0] in _INITIAL_LETTERS and mention.text[0].upper() in first_letters
                and (" " in mention.text or "-" in mention.text)):
            letters = initials(mention.text)
            if letters in wanted:
                by_initials.setdefault(letters, name_key(mention.text))
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


def canonical_name(group: list[Candidate], long_forms: set[str]) -> str:
    """Rule 7: a lexicon name if any; else the full form (defined long form or non-acronym), singular, no article."""
    if len(group) == 1 and group[0].canonical:  # the common case, without the vote below
        return group[0].canonical
    lexicon = [m.canonical for m in group if m.canonical]
    if lexicon:
        return max(lexicon, key=lambda n: (lexicon.count(n), -lexicon.index(n)))
    surfaces = [strip_article(m.text) for m in group]
    full = [s for s in surfaces if name_key(s) in long_forms] or [s for s in surfaces if not is_acronym(s)] or surfaces
    best = max(full, key=lambda s: (full.count(s), -full.index(s)))
    return singular(best) if best[:1].islower() or " " in best and best.split()[-1].islower() else best


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


def field_offsets(start: int, end: int, title_len: int) -> tuple[str, int, int]:
    """``(field, start, end)`` of doc character offsets, relative to the title or the abstract."""
    if start < title_len:
        return "title", start, min(end, title_len)
    shift = title_len + 2
    return "abstract", start - shift, end - shift


def build_entities(doc: Doc, generic: frozenset[str], stop_words: frozenset[str] = frozenset()) -> list[Entity]:
    """The distinct entities of ``doc`` (see the module docstring), in order of first mention."""
    extensions = doc._  # one accessor object for all the reads below
    text = extensions.kg_text
    title_len = extensions.kg_title_len or title_length(text)
    sentences = extensions.kg_sentences or [[0, len(text)]]
    sentence_starts = [start for start, _ in sentences]
    sentence_texts: dict[int, str] = {}
    candidates = [c._replace(canonical="") if c.canonical and not lexicon_link(c.text, c.canonical) else c
                  for c in extensions.kg_candidates or ()]
    pairs = [(plain_form(s, text), plain_form(l, text))
             for s, l in (extensions.kg_abbreviations or []) if isinstance(s, Span) and isinstance(l, Span)]
    candidates += abbreviation_candidates(pairs, candidates, text, stop_words)
    contributions = [c for c in extensions.kg_contributions or [] if hasattr(c, "start_char")]
    candidates = local_definitions_win(candidates, pairs, contributions)
    candidates += [Candidate(c.start_char, c.end_char, c.text, c.type_hint or "", "contribution") for c in contributions]
    mentions = select_mentions(candidates, generic)
    links = [(name_key(s.text), name_key(l.text)) for s, l in pairs] + expansion_links(mentions, pairs)
    links += [(name_key(c.text), name_key(other)) for c in contributions for other in (c.long_form, c.short_form) if other]
    # One contribution named twice: the title's "Hydra: ..." and the abstract's "we propose Hydra heads".
    links += [(name_key(a.text), name_key(b.text)) for a in contributions for b in contributions
              if " " not in a.text and b.text.startswith(a.text + " ")]
    long_forms = {name_key(l.text) for _, l in pairs} | {name_key(c.long_form) for c in contributions if c.long_form}
    proposed = {(c.start_char, c.end_char): c.type_hint for c in contributions}
    named: dict[str, tuple[str, list[Candidate]]] = {}
    for group in group_mentions(mentions, links):
        name = canonical_name(group, long_forms)
        key = name_key(name)
        if key in named:  # two groups that came to the same name are one entity
            named[key][1].extend(group)
        else:
            named[key] = (name, group)
    entities = []
    for key, (name, group) in named.items():
        if key in generic:
            continue
        # The contributions this entity's mentions overlap, and the types they give it.
        overlapped = [kind for (s, e), kind in proposed.items()
                      if any(s < m.end and m.start < e for m in group)] if proposed else []
        hints = [kind for kind in overlapped if kind]
        entity_type = hints[0] if hints else group_type(group)
        rule = group[0].rule if len(group) == 1 else min((m.rule for m in group), key=rule_rank)
        evidence = []
        for m in group:
            field, start, end = field_offsets(m.start, m.end, title_len)
            index = max(bisect_right(sentence_starts, m.start) - 1, 0)
            if index not in sentence_texts:
                sentence_texts[index] = text[sentences[index][0] : sentences[index][1]].strip()
            evidence.append(Mention(m.text, field, start, end, sentence_texts[index]))
        aliases = sorted({m.text for m in group} - {name})
        entities.append(Entity(name, entity_type, tuple(aliases), bool(overlapped), tuple(evidence), rule,
                               RULE_CONFIDENCE.get(rule, 0.5)))
    return entities


def entity_to_dict(entity: Entity) -> dict:
    """Plain-data form of an :class:`Entity` (what ``doc._.kg_entities`` holds)."""
    return {
        "name": entity.name, "type": entity.type, "aliases": list(entity.aliases), "proposed": entity.proposed,
        "mentions": [[m.text, m.field, m.start, m.end, m.sentence] for m in entity.mentions],
        "rule": entity.rule, "confidence": entity.confidence,
    }


def entity_from_dict(data: dict) -> Entity:
    """Inverse of :func:`entity_to_dict`."""
    mentions = tuple(starmap(Mention, data["mentions"]))
    return Entity(data["name"], data["type"], tuple(data["aliases"]), data["proposed"], mentions, data["rule"],
                  data["confidence"])


def detach_spans(doc: Doc) -> None:
    """Replace Span-holding extension values by character offsets and drop the per-Doc caches, so the
    Doc serialises small (``nlp.pipe(n_process=N)``, ``Doc.to_bytes``)."""
    extensions = doc._  # one accessor object for all the reads and writes below
    pairs = extensions.kg_abbreviations or []
    extensions.kg_abbreviations = [
        [[s.start_char, s.end_char], [l.start_char, l.end_char]] for s, l in pairs if isinstance(s, Span)
    ] or None
    extensions.kg_candidates = None  # consumed; caches need not cross processes either
    doc.user_data.pop(TEXT_KEY, None)
    doc.user_data.pop(BOUNDS_KEY, None)
    doc.user_data.pop(SENTENCE_BOUNDS_KEY, None)
    extensions.kg_contributions = [
        {"start": c.start_char, "end": c.end_char, "type": c.type_hint, "rule": c.rule}
        for c in extensions.kg_contributions or [] if hasattr(c, "start_char")
    ] or None


@Language.factory("kg_entities", default_config={"lexicon_dir": None, "generic_path": None},
                  assigns=["doc._.kg_entities", "doc._.kg_relations"])
def make_entity_builder(nlp: Language, name: str, lexicon_dir: str | None, generic_path: str | None) -> "EntityComponent":
    rules = load_phrase_rules()
    measures = frozenset(word for word, head in load_heads(rules, lexicon_dir).items() if head.type == "Metric")
    return EntityComponent(load_generic_keys(lexicon_dir, generic_path, measures), rules.stop_modifiers)


class EntityComponent:
    """Thin shell: :func:`build_entities`, then plain data on the Doc."""

    def __init__(self, generic: frozenset[str], stop_words: frozenset[str]) -> None:
        self.generic = generic
        self.stop_words = stop_words

    def __call__(self, doc: Doc) -> Doc:
        entities = build_entities(doc, self.generic, self.stop_words)
        doc._.kg_entities = [entity_to_dict(e) for e in entities]
        relations = find_relations(doc, entity_mentions(doc, entities))
        doc._.kg_relations = [
            {"subject": r.subject, "subject_type": r.subject_type, "predicate": r.predicate, "object": r.object,
             "object_type": r.object_type, "sentence": r.sentence, "rule": r.rule}
            for r in relations
        ]
        detach_spans(doc)
        return doc
