"""Names no lexicon knows, found by their shape, typed by their context.

Shapes (``kg/patterns/shapes.json``): ``-Bench``/``-QA`` suffixes, ``-Score`` metrics, sizes (``-7B``, ``8x7B``),
digits and versions (``GPT-4``, ``T5``), CamelCase (``FlashAttention``), acronyms (``DPO``).
A C-level scan finds the words holding a capital or digit; each such word's shapes (one regex, alternatives
in the order of ``shapes.json``), kept only where they may name something, are memoised, so a recurring word
(``We``, ``LLMs``, ``GPT-4``) costs a dict look-up, and one at a sentence start (``The``) no more.
A plain capitalised word counts only with a context cue (``the Gymnasium benchmark``).
A size or version word after a name joins it (``Mixtral 8x7B``, ``BitNet b1.58``, ``Llama 2``).
Context decides the type over the shape's default: ``X benchmark``/``X dataset`` -> Benchmark,
``X model`` -> Model, ``X score``/``in terms of X`` -> Metric, ``our proposed framework, X`` -> Method, ``on X and Y``
in a sentence about evaluation -> Benchmark. Candidates go to ``doc._.kg_candidates`` with the rule ``"shape"`` or ``"context"``.
A capitalised category word after a name in the abstract joins it as a Benchmark (``OpenLLM Leaderboard``);
a span the lexicon already types is left to the lexicon (``F1``); an acronym that the text defines only as the
modifier of a longer phrase (``Electroglottographic (EGG) signal``) or for one ordinary word (``background (BG)``)
is no name of its own. A category word after a name (``the NEGRA corpus``, ``the PageRank algorithm``) makes the
longer form an alias of the name.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from string import ascii_lowercase, ascii_uppercase, digits
from typing import NamedTuple, Sequence

from spacy.language import Language
from spacy.tokens import Doc

from kg.components import PATTERNS_DIR
from kg.components.candidates import CANDIDATES_KEY, Candidate, CandidateComponent, exact_token_span, make_candidate
from kg.components.lexicon import load_lexicon
from kg.components.phrases import load_phrase_rules
from kg.components.title import SENTENCES_KEY, TITLE_LEN_KEY, cached_text, sentence_at, token_bounds
from kg.components.tokenizer import HYPHEN_SUFFIXES

# A shape is a word of letters, digits, ``.``, ``-`` and ``+`` (a two-word shape runs on over one space): it
# starts where no word character precedes it, holds a capital or digit, and ends where no word goes on.
_SHAPE_START = r"(?<![\w\-.@/])(?=[a-z.\-+]*+[A-Z0-9])"
_SHAPE_END = r"(?![\w\-@/]|\.\w)"
# The classes of the characters of such words, as bytes: "A" a capital or digit, "a" another word character,
# "_" a space, " " anything else. The part of a word from its first capital or digit on is a run of them
# starting with "A"; the lookahead's group is set when a space and a word holding a capital or digit follow.
_WORD_CLASSES = bytes.maketrans(bytes(range(256)), bytes(
    ord("A") if chr(i) in ascii_uppercase + digits else ord("a") if chr(i) in ascii_lowercase + ".-+"
    else ord("_") if chr(i) == " " else ord(" ") for i in range(256)))
_CAPITAL_ON = re.compile(rb"A[Aa]*(?:(?=(_)a*A)|)")
_LOWER = ord("a")
# What precedes a capitalised word inside a sentence: a lower-case word or a comma, then a space.
_BEFORE_WORD = frozenset(ascii_lowercase + ",")
_MEMO_SIZE = 1 << 16  # word contexts whose shapes are memoised (the memo is emptied when full)
_PAD = "\n\n"  # stands for "no text" before a word at the text start, in its memo context
_LIST_SEPARATORS = frozenset({",", "and", "or"})
# An acronym given for a single lower-case word: "(background, BG)", "foreground, FG,", "ultrasound (US)".
# Both start with a literal (fast search); the word before is read backwards from there.
_WORD_ACRONYMS = (re.compile(r" \(([A-Z]{2,5})s?[),]"), re.compile(r", ([A-Z]{2,5})s?[),]"))
_WORD_BEFORE = re.compile(r"(?<![A-Za-z])[a-z]{4,}\Z")
_PLURAL = re.compile(r"(?<=[A-Z])s$")  # "LLMs" -> "LLM"
# An acronym defined inside a noun phrase: "hyperspectral image (HSI) classification".
_MODIFIER_DEFINITION = re.compile(r"\(([A-Za-z][A-Za-z0-9\-]*[A-Z][A-Za-z0-9]*?)s?\) ([a-z][a-z\-]+)")


def span_key(start: int, end: int) -> int:
    """One ``int`` for the characters ``start:end``: hashed faster than a tuple, and no object for the garbage
    collector to track (a set of them per Doc)."""
    return start << 32 | end


def word_acronyms(text: str, known: set[int]) -> set[str]:
    """Acronyms that ``text`` defines for one ordinary lower-case word (``foreground, FG,``, ``background (BG)``,
    ``electrocardiogram (ECG)``): abbreviations of a word, not names. A word the lexicon knows (in ``known``,
    lexicon character spans as :func:`span_key`: ``autoencoder (AE)``) keeps its acronym."""
    found = set()
    for pattern in _WORD_ACRONYMS:
        for match in pattern.finditer(text):
            before = _WORD_BEFORE.search(text, max(match.start() - 40, 0), match.start())
            if before is None:
                continue
            word, short = before.group(), match.group(1)
            letters = iter(word)
            if word[0] == short[0].lower() and all(ch in letters for ch in short.lower()) \
                    and span_key(before.start(), before.end()) not in known:
                found.add(short)
    return found


def modifier_acronyms(text: str, not_nouns: frozenset[str]) -> frozenset[str]:
    """Acronyms that ``text`` defines only as the modifier of a longer noun phrase (``Electroglottographic
    (EGG) signal``, ``Feynman Kac (FK) steering``): they abbreviate a modifier, not a name of their own.
    A following function word or generic head (``(CPPD) to``, ``(FPGA) framework``) keeps the acronym a name."""
    if "(" not in text:
        return frozenset()
    modifiers, names = set(), set()
    for match in _MODIFIER_DEFINITION.finditer(text):
        (names if match.group(2) in not_nouns else modifiers).add(match.group(1))
    for short in modifiers - names:
        if re.search(rf"\({re.escape(short)}s?\)(?! [a-z])", text):
            names.add(short)  # also defined on its own somewhere ("... (EGG). The EGG ...")
    return frozenset(modifiers - names)


class Shape(NamedTuple):
    """What the shape regex makes of a word: characters matched, characters of the name in them
    (``LRU-based`` -> 3; 0 for no name: ``API``, ``A100``) and the shape's default type (``""``: a plain capitalised word)."""

    length: int
    name_length: int
    type: str


@dataclass(frozen=True)
class ShapeRules:
    """Compiled shape regexes (one named group per shape), shape types and context cues.

    ``word_regex`` holds the one-word shapes, ``two_word_regex`` (or None) those running on over one space into the
    next word (``Mixtral 8x7B``), which come first in ``shapes.json``."""

    word_regex: re.Pattern
    two_word_regex: re.Pattern | None
    types: dict[str, str]
    size: re.Pattern
    next_cues: dict[str, str]
    after_cues: dict[str, str]
    evaluation_before: frozenset[str]
    evaluation_sentence: re.Pattern
    not_names: frozenset[str]
    not_name_regex: re.Pattern
    modifier_suffix: re.Pattern
    after_phrases: tuple[str, ...]  # the keys of ``after_cues``, for one ``str.endswith`` test
    not_nouns: frozenset[str] = frozenset()
    name_heads: frozenset[str] = frozenset()
    known_pairs: frozenset[str] = frozenset()  # two-capital lexicon names and aliases ("EM")
    category_suffixes: dict[str, re.Pattern] | None = None
    memo: dict[str, tuple[tuple[int, Shape], ...]] = field(default_factory=dict)  # see find_shape_matches
    name_memo: dict[str, tuple[tuple[int, Shape], ...]] = field(default_factory=dict)  # the same, names only


def shape_regex(shapes: list[dict]) -> re.Pattern:
    """One regex for ``shapes`` (one named group each, the first that matches wins), on word bounds."""
    alternatives = "|".join(f"(?P<{s['name']}>{s['regex']})" for s in shapes)
    return re.compile(f"{_SHAPE_START}(?:{alternatives}){_SHAPE_END}")


def load_shape_rules(path: str | Path | None = None) -> ShapeRules:
    """Read and compile ``shapes.json``."""
    data = json.loads(Path(path or PATTERNS_DIR / "shapes.json").read_text(encoding="utf-8"))
    two_words = [s for s in data["shapes"] if s.get("two_words")]
    if data["shapes"][: len(two_words)] != two_words:
        raise ValueError("shapes.json: the two-word shapes must come first")
    next_cues, after_cues = {}, {}
    for kind, cues in data["context"].items():
        next_cues.update({word: kind for word in cues.get("next", ())})
        after_cues.update({phrase: kind for phrase in cues.get("after", ())})
    cues = data["evaluation_cues"]
    phrase_rules = load_phrase_rules()
    return ShapeRules(
        shape_regex(data["shapes"][len(two_words) :]),
        shape_regex(two_words) if two_words else None,
        {s["name"]: s["type"] for s in data["shapes"]},
        re.compile(data["size_suffix"]),
        next_cues,
        after_cues,
        frozenset(cues["before"]),
        re.compile(r"\b(?:" + "|".join(map(re.escape, cues["sentence"])) + r")\b", re.IGNORECASE),
        frozenset(data["not_names"]),
        re.compile(data["not_name_regex"]),
        re.compile(r"-(?:" + "|".join(map(re.escape, HYPHEN_SUFFIXES)) + r")$", re.IGNORECASE),
        tuple(after_cues),
        not_nouns=frozenset(phrase_rules.stop_modifiers | set(data.get("name_categories", ()))),
        name_heads=frozenset(data.get("name_heads", ())),
        known_pairs=lexicon_pairs(),
        category_suffixes={kind: category_suffix_regex(words, kind == "Benchmark")
                           for kind, words in data.get("category_words", {}).items()},
    )


def lexicon_pairs() -> frozenset[str]:
    """The two-capital names and aliases (``EM``, ``DP``) of the packaged lexicons: acronyms the field uses,
    kept by shape even where the text does not define them."""
    return frozenset(form for entry in load_lexicon() for form in (entry.name, *entry.aliases)
                     if len(form) == 2 and form.isalpha() and form.isupper())


def matched_shape(match: re.Match, rules: ShapeRules) -> Shape:
    """The :class:`Shape` of a shape regex match: a derivational suffix is cut (``LRU-based`` -> ``LRU``, and
    ``GPT-4.`` -> ``GPT-4``); hardware, sizes and everyday acronyms (``A100``, ``7B``, ``API``) are no names."""
    name = rules.modifier_suffix.sub("", match.group()).rstrip(".")
    is_name = name not in rules.not_names and not rules.not_name_regex.match(name)
    return Shape(match.end() - match.start(), len(name) if is_name else 0, rules.types[match.lastgroup])


def shapes_in_word(text: str, start: int, end: int, rules: ShapeRules, *, two_words: bool = False,
                   end_of_match: int = 0) -> tuple[tuple[int, Shape], ...]:
    """``(offset from start, shape)`` of the shapes in the word ``text[start:end]``, left to right, starting at
    the word start or after a ``+`` in it and not before ``end_of_match`` (the end of an earlier shape); with
    ``two_words``, ``rules.two_word_regex`` is tried first at each place."""
    found = []
    places = [start]
    if text.find("+", start, end) >= 0:
        places += [i + 1 for i in range(start, end) if text[i] == "+"]
    for place in places:
        if place < end_of_match:
            continue
        match = (two_words and rules.two_word_regex.match(text, place)) or rules.word_regex.match(text, place)
        if match:
            found.append((place - start, matched_shape(match, rules)))
            end_of_match = match.end()
    return tuple(found)


def may_name(text: str, start: int, shape: Shape) -> bool:
    """Whether the shape at ``start`` may be a name: it has a name part, and a plain capitalised word
    (no type) follows a lower-case word or a comma (:func:`follows_word`; not at a sentence or item start)."""
    return shape.name_length > 0 and (shape.type != "" or follows_word(text, start))


class WordShapes(NamedTuple):
    """The shapes of one word (``(offset from the word start, shape)``): all of them, and those that
    :func:`may_name` something (the only ones :func:`find_shapes` reads: most capitalised words start a sentence)."""

    all: tuple[tuple[int, Shape], ...]
    names: tuple[tuple[int, Shape], ...]


def word_shapes(text: str, start: int, end: int, rules: ShapeRules, **options) -> WordShapes:
    """:func:`shapes_in_word` (``options`` are its keywords), with the names among them."""
    shapes = shapes_in_word(text, start, end, rules, **options)
    return WordShapes(shapes, tuple(s for s in shapes if may_name(text, start + s[0], s[1])))


def find_shape_matches(text: str, rules: ShapeRules, *, names_only: bool = False) -> list[tuple[int, Shape]]:
    """``(start, shape)`` of the shapes of ``text``, left to right, without overlaps: what ``finditer`` of the
    regex of all shapes (:func:`shape_regex`) finds, looked for word by word; with ``names_only``, only those
    that :func:`may_name` something.

    Shapes start only in words (runs of letters, digits, ``.-+``) holding a capital or digit (see
    ``_SHAPE_START``); these are found in ``text`` reduced to its character classes (:data:`_WORD_CLASSES`, one
    byte per character), where a literal is found far faster than a character class in ``text``.
    A one-word shape reads only the word and the character on either side (and :func:`may_name` the two before
    it), so the shapes of such a context (``"e GPT-4,"``) are memoised in ``rules.memo`` (``rules.name_memo`` for
    the names only, mostly ``()``): few words make most hits (``We``, ``LLMs``)."""
    classes = text.encode("ascii", "replace").translate(_WORD_CLASSES)
    memo, two_word_regex = rules.name_memo if names_only else rules.memo, rules.two_word_regex
    found = []
    end_of_match = 0  # of a two-word shape: the only kind that may run into the next word
    for hit in _CAPITAL_ON.finditer(classes):
        start, end = hit.start(), hit.end()  # no tuple per word (span)
        while start and classes[start - 1] == _LOWER:  # "mBERT", "pre-GPT": the word starts before its capital
            start -= 1
        # A two-word shape needs a space and then a word that holds a digit or capital ("Mixtral 8x7B", a hit
        # with ``lastindex``); it may start at the word start (tried here) or after a "+" in the word.
        two_words = (hit.lastindex is not None and two_word_regex is not None
                     and (two_word_regex.match(text, start) is not None or text.find("+", start, end) >= 0))
        if two_words or start < end_of_match:  # rare: looked for in the whole text, not memoised
            in_word = word_shapes(text, start, end, rules, two_words=two_words, end_of_match=end_of_match)
            if in_word.all:
                offset, shape = in_word.all[-1]
                end_of_match = start + offset + shape.length
            shapes = in_word.names if names_only else in_word.all
        else:
            context = text[start - 2 : end + 1] if start > 1 else _PAD[start:] + text[: end + 1]
            shapes = memo.get(context)
            if shapes is None:
                if len(memo) >= _MEMO_SIZE:
                    memo.clear()
                in_word = word_shapes(context, 2, 2 + end - start, rules)
                shapes = memo[context] = in_word.names if names_only else in_word.all
        for offset, shape in shapes:
            found.append((start + offset, shape))
    return found


def category_suffix_regex(words: list[str], dataset: bool) -> re.Pattern:
    """What may follow a name and still name it: an optional year or version, for a dataset an optional
    ``benchmark``, then one of ``words`` (``" 2006 datasets"``, ``" benchmark datasets"``, ``" algorithm"``)."""
    alternatives = "|".join(re.escape(w).replace(r"\ ", " ") for w in sorted(words, key=len, reverse=True))
    benchmark = "(?:benchmark )?" if dataset else ""
    return re.compile(rf" (?:(?:19|20)\d\d |v?\d+(?:\.\d+)+ )?{benchmark}(?:{alternatives})\b")


def category_aliases(candidates: list[Candidate], text: str, rules: ShapeRules) -> list[Candidate]:
    """``the NEGRA corpus``, ``the PageRank algorithm``, ``the WSD task``: for each name followed by a category
    word of its type, a candidate of the longer form under the name (``canonical``), so that the longer form
    becomes an alias. Other than benchmarks, only lexicon names count (a name found by shape may be a local
    acronym whose long form names the entity: ``CPPD models``), and for Model and Method only capitalised ones
    (``attention model`` is not attention); a span another candidate covers (``diffusion model``) is left to it."""
    if not rules.category_suffixes:
        return []
    spans = None  # of all candidates, made when a category word follows one
    found = []
    for c in candidates:
        suffix = rules.category_suffixes.get(c.type)
        if suffix is None or (c.type != "Benchmark" and (c.rule != "lexicon" or not c.canonical)) \
                or (c.type in ("Model", "Method") and c.canonical == c.canonical.lower()):
            continue
        match = suffix.match(text, c.end)
        if match is None:
            continue
        if spans is None:
            spans = {(other.start, other.end) for other in candidates}
        if (c.start, match.end()) not in spans:
            found.append(Candidate(c.start, match.end(), text[c.start : match.end()], c.type, c.rule, c.canonical or c.text))
    return found


class Tokens:
    """Token text and spacing from the character offsets of :func:`token_bounds`: the context rules read a few
    tokens around each hit, and ``doc[i]`` builds a ``Token`` each time."""

    __slots__ = ("text", "lowered", "starts", "ends", "size")

    def __init__(self, text: str, starts: list[int], ends: list[int]) -> None:
        self.text, self.starts, self.ends, self.size = text, starts, ends, len(starts)
        # Lower-cased once, for ASCII (a token's slice of it is the token lower-cased); else per token.
        self.lowered = text.lower() if text.isascii() else None

    def word(self, i: int) -> str:
        return self.text[self.starts[i] : self.ends[i]]

    def lower(self, i: int) -> str:
        if self.lowered is None:
            return self.text[self.starts[i] : self.ends[i]].lower()
        return self.lowered[self.starts[i] : self.ends[i]]

    def next_word(self, i: int) -> str:
        """The token after token ``i`` when whitespace comes between them, else ``""``."""
        i += 1
        return self.text[self.starts[i] : self.ends[i]] if i < self.size and self.ends[i - 1] < self.starts[i] else ""


def list_items(tokens: Tokens, start: int, end: int) -> tuple[list[int], int]:
    """``(token indexes of the one-word items, first token of the list)`` of a list holding tokens
    ``start:end`` (``on A, B, and C``): walked back over the items before it and on over those after it."""
    size, lower = tokens.size, tokens.lower
    items = []
    list_start = start
    if start > 1 and lower(start - 1) in _LIST_SEPARATORS:
        while list_start > 1 and lower(list_start - 1) in _LIST_SEPARATORS:
            while list_start > 1 and lower(list_start - 1) in _LIST_SEPARATORS:
                list_start -= 1  # ", and"
            list_start -= 1  # "on A, B, and C": walk back over the list, one-word items
            items.append(list_start)
    following = end
    if end < size and lower(end) in _LIST_SEPARATORS:
        while following + 1 < size and lower(following) in _LIST_SEPARATORS and len(items) < 12:
            while following + 1 < size and lower(following) in _LIST_SEPARATORS:
                following += 1
            items.append(following)
            following += 1
    return items, list_start


def context_type(tokens: Tokens, start: int, end: int, rules: ShapeRules, earlier: Sequence[Candidate] = (),
                 sentences: list[list[int]] | None = None) -> str | None:
    """The type that the words around tokens ``start:end`` give them, or None.

    ``earlier`` holds the candidates found before (``doc._.kg_candidates``): a one-word item of a list holding
    a benchmark the lexicon knows is a Benchmark too (``on GenEval, WISE, GenAI-Bench, and OneIG-EN``).
    ``sentences`` is ``doc._.kg_sentences`` (for the sentence of an evaluation cue)."""
    size, lower = tokens.size, tokens.lower
    following_word = lower(end) if end < size else ""  # read once: most names stand in no list
    previous = lower(start - 1) if start > 0 else ""
    last = end
    if following_word in _LIST_SEPARATORS:
        while last + 1 < size and lower(last) in _LIST_SEPARATORS and last - end < 8:
            last += 1  # "Llama, Qwen, and Mistral families": walk to the end of the list
            if lower(last) in {"and", "or"}:
                last += 1
            last += 1 if last < size and tokens.word(last)[:1].isupper() else 0
    after = following_word if last == end else lower(last) if last < size else ""
    if after in rules.next_cues:
        return rules.next_cues[after]
    before_start = max(start - 2, 0)
    before = tokens.text[tokens.starts[before_start] : tokens.ends[start - 1]].lower() if start > before_start else ""
    if before.endswith(rules.after_phrases):  # one C-level test before looking for which phrase it is
        for phrase, kind in rules.after_cues.items():
            if before.endswith(phrase):
                return kind
    first = previous  # the word before the name, or before the list holding it
    if following_word in _LIST_SEPARATORS or (start > 1 and previous in _LIST_SEPARATORS):
        items, list_start = list_items(tokens, start, end)
        if items:
            spans = {(tokens.starts[i], tokens.ends[i]) for i in items}
            if any(c.rule == "lexicon" and c.type == "Benchmark" and c[:2] in spans for c in earlier):
                return "Benchmark"
        if list_start != start:
            first = lower(list_start - 1)
    if previous in rules.evaluation_before or first in rules.evaluation_before:
        sentence_start, sentence_end = sentence_at(sentences or [], tokens.starts[start])
        if rules.evaluation_sentence.search(tokens.text, sentence_start, sentence_end):
            return "Benchmark"
    return None


def find_shapes(doc: Doc, rules: ShapeRules) -> list[Candidate]:
    """Name-shaped words of ``doc`` as typed spans (see the module docstring)."""
    spans = []
    text = cached_text(doc)
    user_data = doc.user_data
    title_end = user_data.get(TITLE_LEN_KEY) or 0
    earlier = user_data.get(CANDIDATES_KEY) or []
    sentences = user_data.get(SENTENCES_KEY)
    # A span the lexicon already types (kg_lexicon runs first): "F1" is a Metric, not a versioned Model name.
    known = {span_key(c.start, c.end) for c in earlier if c.rule == "lexicon"}
    modifiers = None  # acronyms defined as no name of their own: read when a name may be one
    tokens = Tokens(text, *token_bounds(doc))
    starts, ends = tokens.starts, tokens.ends
    for name_start, shape in find_shape_matches(text, rules, names_only=True):
        if not shape.type and name_start < title_end:
            continue  # a plain capitalised word in the title is no sign of a name
        name_end = name_start + shape.name_length
        if span_key(name_start, name_end) in known:
            continue
        span = exact_token_span(starts, ends, name_start, name_end)  # None inside a token ("\\textbf{X}")
        if span is None:
            continue
        start, end = span
        following = tokens.next_word(end - 1)
        if following and rules.size.fullmatch(following) and text[ends[end] : ends[end] + 1] != "%":
            end += 1  # "Mixtral 8x7B"
            following = tokens.next_word(end - 1)
        if following in rules.name_heads and name_start >= title_end:
            end += 1  # "OpenLLM Leaderboard": a capitalised category word is part of the name
            cue = "Benchmark"
        else:
            cue = context_type(tokens, start, end, rules, earlier, sentences)
        if not (cue or shape.type):
            continue
        if cue == "Model" and not shape.type and not after_lower_case_word(text, name_start):
            continue  # "Large Reconstruction Models", "Mistral's Small model": a word of a capitalised phrase
        first, last = starts[start], ends[end - 1]
        if not cue:
            name = _PLURAL.sub("", text[first:last])
            if len(name) == 2 and shape.type == "Method" and name.isalpha() and "(" + name not in text \
                    and name not in rules.known_pairs:
                continue  # "UI", "HD", "LH": a two-letter acronym the text does not define is rarely a name
            if "(" + name in text or ", " + name in text:  # how each acronym definition starts
                if modifiers is None:
                    modifiers = modifier_acronyms(text, rules.not_nouns) | word_acronyms(text, known)
                if name in modifiers:
                    continue
        spans.append(make_candidate((first, last, text[first:last], cue or shape.type, "context" if cue else "shape", "")))
    return spans + sized_lexicon_names(earlier, text, tokens, rules, known) + category_aliases(earlier + spans, text, rules)


def sized_lexicon_names(candidates: list[Candidate], text: str, tokens: Tokens, rules: ShapeRules,
                        known: set[int]) -> list[Candidate]:
    """``Qwen 2.5 72B``, ``Llama-2 13B``, ``Claude 3.5``: a model the lexicon knows followed by a size or version word
    (``72B``, ``8x7B``, ``b1.58``, ``v0.3``, ``3.5``; not a bare integer, nor a number before ``%``) names that size,
    a longer Model span than the lexicon's (which stays when the lexicon knows the longer form too)."""
    found = []
    for c in candidates:
        if c.type != "Model" or c.rule != "lexicon" or text[c.end : c.end + 1] != " ":
            continue
        span = exact_token_span(tokens.starts, tokens.ends, c.start, c.end)
        if span is None:
            continue
        following = tokens.next_word(span[1] - 1)
        if not following or following.isdigit() or not rules.size.fullmatch(following):
            continue
        end = c.end + 1 + len(following)
        if text[end : end + 1] == "%":
            continue  # a value
        if span_key(c.start, end) not in known:
            found.append(make_candidate((c.start, end, text[c.start : end], "Model", "shape", "")))
    return found


def after_lower_case_word(text: str, start: int) -> bool:
    """Whether the word before ``start`` (after :func:`follows_word`: a word or comma, then a space) starts in lower
    case or ends in a comma: ``the Kraken model``, ``PAMAP2, Opportunity`` but not ``Large Reconstruction Models``,
    ``Mistral's Small model``."""
    if text[start - 2] == ",":
        return True
    before = text.rfind(" ", 0, start - 1) + 1
    return not text[before].isupper()


def follows_word(text: str, start: int) -> bool:
    """Whether a lower-case word or a comma and a space come right before ``start`` (inside a sentence)."""
    return start >= 2 and text[start - 1] == " " and text[start - 2] in _BEFORE_WORD


@Language.factory("kg_shapes", default_config={"rules_path": None}, assigns=["doc._.kg_candidates"])
def make_shape_finder(nlp: Language, name: str, rules_path: str | None) -> CandidateComponent:
    return CandidateComponent(partial(find_shapes, rules=load_shape_rules(rules_path)))
