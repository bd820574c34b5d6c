"""Abbreviation definitions within a paper (``long form (SF)`` and ``SF (long form)``), and across a corpus.

The algorithm follows Schwartz & Hearst (2003), "A simple algorithm for identifying abbreviation
definitions in biomedical text": a parenthesis whose content looks like a short form is checked against
the words just before it (at most ``min(|SF| + 5, 2 |SF|)`` words, within the sentence), matching the
short form's letters in order, the first one at the start of a word.  Two refinements for ML abstracts:

* Plain Schwartz-Hearst matches greedily from the end and so can stop too early
  (``Proximal Policy Optimization (PPO)`` would give ``Policy Optimization``: the second ``P`` is found
  inside ``oPtimization``).  Here every admissible start word is scored by how many short-form letters
  fall on word starts or capitals, minus the content words the short form skips; the best wins, the
  shortest on ties.  This also handles letters inside words (``spEculative``, ``dRaft``) and hyphenated
  long forms (``Time-lagged Information Bottleneck (T-IB)``).
* A plural ``s`` on the short form (``MLLMs``) is not a letter to match.

The work is done on ``doc.text`` with compiled regexes and character offsets, so it does not depend on
how the tokenizer splits names; spans are built with ``doc.char_span(..., alignment_mode="expand")``.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from operator import itemgetter

from spacy.attrs import IDX, SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.components.candidates import name_key
from kg.components.title import TEXT_KEY, cached_text

# Innermost parentheses only: nested or unbalanced ones can never make a match fail loudly.
_PAREN = re.compile(r"\(([^()\n]{1,200})\)")
_WORD = re.compile(r"\S+")
# What may end a long form candidate on its left: clause punctuation and brackets.
_BARRIER = re.compile(r"[;:()\[\]{}]|,\s|\.\s|\s[-\u2013\u2014]\s")
# Parenthetical content that is never a definition: examples, references, figures, numbers, years.
_NOT_DEFINITION = re.compile(
    r"^\s*(?:e\.\s?g|i\.\s?e|cf|viz|see|resp|fig|figure|table|tab|eq|eqn|sec|section|appendix|ours?)\b"
    r"|\bet\s+al\b|\b(?:19|20)\d\d[a-z]?\b|^\s*[\d.,%+\-\u2212~\u00b1x\u00d7 ]+\s*$",
    re.IGNORECASE,
)
_HEAD_END = re.compile(r"[;,]")
_LAST_WORD = re.compile(r"([A-Za-z0-9][\w\-./+&']*)$")
# How far (characters) a long form or short form may lie from its parenthesis: bounds the work per
# parenthesis, so a 100,000-character abstract without sentence breaks stays linear.
_REACH = 300
_SHORT_FORM = re.compile(r"^[A-Za-z0-9][\w\-./+&']{0,11}$")
_PLURAL_S = re.compile(r"(?<=[A-Z0-9])s$")
_STOPWORDS = frozenset(
    "a an the of for with and or in on to from by via at as into over under using based its their".split()
)
_TITLE_LEN = "kg_title_len"
_SENTENCES = "kg_sentences"  # set by the kg_title component: [[start, end], ...]
#: ``doc.user_data`` key of the cached definitions (see :func:`doc_definitions`).
DEFINITIONS_KEY = "kg_definitions"
#: ``doc.user_data`` key of the cached :func:`sentence_bounds`.
BOUNDS_KEY = "kg_sentence_bounds"
_EXTENSION = "kg_abbreviations"

if not Doc.has_extension(_TITLE_LEN):
    Doc.set_extension(_TITLE_LEN, default=0)
if not Doc.has_extension(_EXTENSION):
    Doc.set_extension(_EXTENSION, default=None)


def sentence_bounds(doc: Doc) -> list[tuple[int, int]]:
    """Character bounds ``(start, end)`` of the sentences of ``doc``, the title always its own sentence.

    Reads ``doc._.kg_sentences`` when the ``kg_title`` component cached it; otherwise takes the
    sentence starts from the ``SENT_START`` marks (``sentencizer``) with ``to_array``, at C speed; a doc
    without marks is one sentence.  The title end (``doc._.kg_title_len``) is always a boundary, so
    that a title without final punctuation never runs into the first abstract sentence.
    """
    extensions = doc._  # one accessor object for both reads
    cached = extensions.get(_SENTENCES) if Doc.has_extension(_SENTENCES) else None
    text_len = len(doc_text(doc))
    title_len = extensions.get(_TITLE_LEN) or 0
    # Three components ask for the same bounds: with kg_title's sentences, computed once per Doc
    # (for the inputs they come from; without, the sentence marks may still change).
    key = (id(cached), len(cached), text_len, title_len) if cached is not None else None
    known = doc.user_data.get(BOUNDS_KEY)
    if key is not None and known is not None and known[0] == key:
        return known[1]
    if cached is not None:
        starts = [start for start, _ in cached]
    elif len(doc) and doc.has_annotation("SENT_START"):
        array = doc.to_array([SENT_START, IDX])
        starts = array[array[:, 0] == 1, 1].tolist()
    else:
        starts = []
    cuts = sorted({0, *starts, *((title_len,) if 0 < title_len < text_len else ())})
    ends = cuts[1:] + [text_len]
    bounds = [(start, end) for start, end in zip(cuts, ends) if end > start]
    if key is not None:
        doc.user_data[BOUNDS_KEY] = (key, bounds)
    return bounds


def doc_text(doc: Doc) -> str:
    """``doc.text``, computed once per Doc (``doc.text`` joins every token on each call; see
    :func:`kg.components.title.cached_text`)."""
    return doc.user_data.get(TEXT_KEY) or cached_text(doc)


def sentence_of(bounds: list[tuple[int, int]], char: int) -> tuple[int, int]:
    """The ``(start, end)`` in ``bounds`` (as from :func:`sentence_bounds`) that contains offset ``char``."""
    index = max(bisect_right(bounds, char, key=itemgetter(0)) - 1, 0)
    return bounds[index]


def is_short_form(text: str) -> bool:
    """True when ``text`` looks like an abbreviation: one word, 2 to 12 characters, starting with a letter
    or digit, at least half letters, and at least two capitals (``LLM``, ``MoE``, ``kNN``) or a capital and a digit.

    A capitalised word (``Ours``, ``Table``) is not a short form.
    """
    if not _SHORT_FORM.match(text) or len(text) < 2:
        return False
    letters = sum(ch.isalpha() for ch in text)
    capitals = sum(ch.isupper() for ch in text)
    digits = sum(ch.isdigit() for ch in text)
    return letters * 2 >= len(text) and (capitals >= 2 or (capitals >= 1 and digits >= 1))


def short_form_letters(short: str) -> str:
    """The characters of a short form that the long form must contain, lower-cased: alphanumerics, without a plural ``s``."""
    return "".join(ch for ch in _PLURAL_S.sub("", short) if ch.isalnum()).casefold()


def match_long_form(short: str, text: str) -> int | None:
    """Where, in ``text``, the long form of ``short`` starts, or None; the long form runs to the end of ``text``.

    ``text`` is the candidate (the words before a parenthesis, or the parenthesis content).  The letters
    of the short form must occur in order, the first at the start of a word.  Among the admissible start
    words the one with the best score wins (2 points per letter on a word start, 1 per letter that is a
    capital inside a word, -2 per content word no letter falls in), the nearest on ties.

    >>> "Proximal Policy Optimization"[match_long_form("PPO", "Proximal Policy Optimization"):]
    'Proximal Policy Optimization'
    """
    letters = short_form_letters(short)
    if not letters or len(text) <= len(letters):
        return None
    folded = text.casefold()
    if len(folded) != len(text):  # case folding changed lengths (``ß``): offsets would not line up
        folded = text.lower() if len(text.lower()) == len(text) else text
    words = [(m.start(), m.group().casefold().strip(".,") not in _STOPWORDS) for m in _WORD.finditer(text)]
    if not words:
        return None
    word_starts = [start for start, _ in words]
    content_before = [0]  # content words before each word index, as a prefix sum
    for _, content in words:
        content_before.append(content_before[-1] + content)

    def skipped(first: int, last: int) -> int:
        return max(content_before[last] - content_before[first + 1], 0)

    def info(pos: int) -> tuple[int, bool, int]:
        """Word index, whether ``pos`` starts a word part, and its points when matched."""
        starts = pos == 0 or not text[pos - 1].isalnum()
        capital = not starts and text[pos].isupper() and text[pos - 1].islower()
        return bisect_right(word_starts, pos) - 1, starts, 2 if starts else int(capital)

    positions: dict[str, list[tuple[int, int, bool, int]]] = {}
    for ch in set(letters):
        found, pos = [], folded.find(ch)
        while pos != -1:
            found.append((pos, *info(pos)))
            pos = folded.find(ch, pos + 1)
        positions[ch] = found
    # best_next[pos]: best score for matching the remaining letters with the current one at pos.
    best_next = {pos: (word, points - 2 * skipped(word, len(words))) for pos, word, _, points in positions[letters[-1]]}
    for i in range(len(letters) - 2, -1, -1):
        current: dict[int, tuple[int, int]] = {}
        for pos, word, starts, points in positions[letters[i]]:
            # The first letter starts a word, and not a function word (``a key enabler for AR (AR/VR)``).
            if i == 0 and (not starts or not words[word][1]):
                continue
            options = [score - 2 * skipped(word, nxt_word) for nxt, (nxt_word, score) in best_next.items() if nxt > pos]
            if options:
                current[pos] = (word, points + max(options))
        best_next = current
        if not best_next:
            return None
    if len(letters) == 1:
        first_starts = {pos for pos, word, starts, _ in positions[letters[0]] if starts and words[word][1]}
        best_next = {pos: value for pos, value in best_next.items() if pos in first_starts}
    if not best_next:
        return None
    # The best score wins, the nearest start on ties; the long form starts at that letter's word, or at the
    # letter itself when the word starts with something else (``/0A (0A)``, ``x/Policy``): the long form's
    # first character is always the short form's first letter.
    pos, (word, _) = max(best_next.items(), key=lambda item: (item[1][1], item[0]))
    start = word_starts[word] if folded[word_starts[word]] == folded[pos] else pos
    return start if text[start:].strip() != short else None


@dataclass(frozen=True, slots=True)
class Abbreviation:
    """One definition: the short form and its long form, as character offsets into the text and their text."""

    short_start: int
    short_end: int
    long_start: int
    long_end: int
    short: str
    long: str


def find_definitions(text: str, bounds: list[tuple[int, int]] | None = None) -> list[Abbreviation]:
    """Abbreviation definitions in ``text``, in text order; the pure core of :func:`find_abbreviations`.

    ``bounds`` are the sentences' character bounds (:func:`sentence_bounds`); a definition never crosses
    one.  None means the whole text is one sentence.
    """
    bounds = bounds or [(0, len(text))]
    starts = [start for start, _ in bounds]
    found = []
    for paren in _PAREN.finditer(text):
        sent_start, sent_end = bounds[max(bisect_right(starts, paren.start()) - 1, 0)]
        if paren.end() > sent_end:
            continue
        inner_start, inner_end = paren.span(1)
        content = paren.group(1)
        # The short form is the content up to a comma or semicolon (``(LLMs; Brown, 2020)``).
        head = _HEAD_END.split(content, maxsplit=1)[0].strip()
        if is_short_form(head) and not _NOT_DEFINITION.search(head):
            short_start = inner_start + content.index(head)
            offsets = _long_form_before(text, sent_start, paren.start(), head)
            if offsets:
                found.append(_definition(text, (short_start, short_start + len(head)), offsets))
        elif not _NOT_DEFINITION.search(content):
            offsets = _long_form_inside(text, sent_start, paren.start(), inner_start, inner_end)
            if offsets:
                found.append(_definition(text, offsets[:2], offsets[2:]))
    return found


def _definition(text: str, short: tuple[int, int], long: tuple[int, int]) -> Abbreviation:
    return Abbreviation(short[0], short[1], long[0], long[1], text[short[0] : short[1]], text[long[0] : long[1]])


def _long_form_before(text: str, sent_start: int, paren_start: int, short: str) -> tuple[int, int] | None:
    """``long form (SF)``: the long form among the few words before the parenthesis."""
    end = paren_start
    while end > sent_start and text[end - 1].isspace():
        end -= 1
    window_start = max(sent_start, end - _REACH)
    for barrier in _BARRIER.finditer(text, window_start, end):
        window_start = barrier.end()
    n_letters = len(short_form_letters(short))
    max_words = min(n_letters + 5, n_letters * 2)
    words = [m.start() for m in _WORD.finditer(text, window_start, end)]
    if not words:
        return None
    window_start = words[-max_words] if len(words) > max_words else words[0]
    offset = match_long_form(short, text[window_start:end])
    if offset is None:
        return None
    return window_start + offset, end


def _long_form_inside(
    text: str, sent_start: int, paren_start: int, inner_start: int, inner_end: int
) -> tuple[int, int, int, int] | None:
    """``SF (long form)``: the word before the parenthesis is the short form, the content its long form."""
    before_start = max(sent_start, paren_start - _REACH)
    word = _LAST_WORD.search(text[before_start:paren_start].rstrip())
    if not word or not is_short_form(word.group(1)):
        return None
    short = word.group(1)
    content = text[inner_start:inner_end]
    stripped = content.strip()
    n_letters = len(short_form_letters(short))
    if len(stripped.split()) > min(n_letters + 5, n_letters * 2):
        return None
    offset = match_long_form(short, stripped)
    if offset is None:
        return None
    lead = stripped[:offset].split()
    if any(w.casefold() not in _STOPWORDS for w in lead):
        return None
    long_start = inner_start + content.index(stripped) + offset
    long_end = inner_start + content.index(stripped) + len(stripped)
    short_start = before_start + word.start(1)
    return short_start, short_start + len(short), long_start, long_end


def doc_definitions(doc: Doc) -> list[Abbreviation]:
    """:func:`find_definitions` of ``doc``, computed once per Doc and shared by the components that need it.

    Cached in ``doc.user_data`` as plain tuples (msgpack-safe, so a Doc can still cross processes).
    """
    cached = doc.user_data.get(DEFINITIONS_KEY)
    if cached is None:
        found = find_definitions(doc_text(doc), sentence_bounds(doc))
        doc.user_data[DEFINITIONS_KEY] = [
            (d.short_start, d.short_end, d.long_start, d.long_end, d.short, d.long) for d in found
        ]
        return found
    return [Abbreviation(*row) for row in cached]


def find_abbreviations(doc: Doc) -> list[tuple[Span, Span]]:
    """Abbreviation definitions in ``doc`` as ``(short form, long form)`` span pairs, in text order.

    Both patterns of Schwartz & Hearst, within one sentence: ``Large Language Models (LLMs)`` and
    ``GPT (Generative Pre-trained Transformer)``.  Parentheses with examples, citations, figures or
    numbers (``(e.g., BERT)``, ``(Brown et al., 2020)``, ``(3.5%)``) are skipped.  Every definition is
    returned, repeats included, so that each keeps its own evidence.  The spans are expanded to token
    boundaries; when a token runs past the definition (``(MAE).During``), :func:`find_definitions`
    gives the exact characters.
    """
    pairs = []
    for found in doc_definitions(doc):
        short = doc.char_span(found.short_start, found.short_end, alignment_mode="expand")
        long = doc.char_span(found.long_start, found.long_end, alignment_mode="expand")
        if short is not None and long is not None and len(short) and len(long):
            pairs.append((short, long))
    return pairs


@Language.factory(
    "kg_abbreviations",
    assigns=["doc._.kg_abbreviations"],
    requires=["token.is_sent_start"],
)
def make_abbreviations(nlp: Language, name: str) -> "AbbreviationComponent":
    """Component setting ``doc._.kg_abbreviations`` to :func:`find_abbreviations` of the doc."""
    return AbbreviationComponent()


class AbbreviationComponent:
    """Thin shell over :func:`find_abbreviations`."""

    def __call__(self, doc: Doc) -> Doc:
        doc._.set(_EXTENSION, find_abbreviations(doc))
        return doc


def short_form_key(short: str) -> str:
    """Key under which a short form's spellings merge: without a plural ``s`` (``LLMs`` -> ``LLM``), case kept."""
    return _PLURAL_S.sub("", short.strip())


class AcronymTable:
    """Counts of long forms per short form over many papers, to resolve a bare short form in a paper that does not define it.

    Long forms that differ only by case, plural, hyphens or spacing (:func:`kg.names.name_key`) count as
    one; the surface form shown is that variant's most frequent spelling (alphabetically first on ties).

    >>> table = AcronymTable(min_count=2)
    >>> table.add_pairs([("LLMs", "large language models"), ("LLM", "Large Language Model"), ("LLMs", "large language models")])
    >>> table.resolve("LLMs")
    'large language models'
    """

    def __init__(self, *, min_count: int = 2) -> None:
        self.min_count = min_count
        self._counts: dict[str, Counter[str]] = defaultdict(Counter)
        self._spellings: dict[str, Counter[str]] = defaultdict(Counter)

    def add(self, short: str, long: str) -> None:
        """Count one definition of ``short`` as ``long``."""
        key = name_key(long)
        if not key:
            return
        self._counts[short_form_key(short)][key] += 1
        self._spellings[key][" ".join(long.split())] += 1

    def add_pairs(self, pairs: Iterable[tuple[str, str]]) -> None:
        """Count every ``(short, long)`` pair, e.g. ``(s.text, l.text) for s, l in doc._.kg_abbreviations``."""
        for short, long in pairs:
            self.add(short, long)

    def update(self, other: AcronymTable) -> None:
        """Add the counts of ``other`` (tables built in parallel processes merge this way)."""
        for short, counts in other._counts.items():
            self._counts[short].update(counts)
        for key, spellings in other._spellings.items():
            self._spellings[key].update(spellings)

    def long_forms(self, short: str) -> list[tuple[str, int]]:
        """Every long form of ``short`` with its count, most frequent first, ties alphabetical."""
        counts = self._counts.get(short_form_key(short), Counter())
        ranked = sorted(counts.items(), key=lambda item: (-item[1], self._spelling(item[0])))
        return [(self._spelling(key), count) for key, count in ranked]

    def resolve(self, short: str) -> str | None:
        """The most frequent long form of ``short`` if seen at least ``min_count`` times, else None."""
        ranked = self.long_forms(short)
        if ranked and ranked[0][1] >= self.min_count:
            return ranked[0][0]
        return None

    def __len__(self) -> int:
        return len(self._counts)

    def _spelling(self, key: str) -> str:
        spellings = self._spellings[key]
        return min(spellings, key=lambda spelling: (-spellings[spelling], spelling))
