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
from functools import lru_cache
from itertools import accumulate
from operator import itemgetter
from typing import NamedTuple

from spacy.attrs import IDX, SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.components.candidates import name_key
from kg.components.title import SENTENCES_KEY, TEXT_KEY, TITLE_LEN_KEY, ExtensionComponent, cached_text, token_bounds

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
# A comma or semicolon inside ``SF (...)``: a long form whose parts each start with a letter of the short form
# (``FAIR (Findable, Accessible, Interoperable, and Reusable)``), else a list of names (``LLMs (Llama 3.1, Qwen 2.5)``).
_LIST_SEPARATOR = re.compile(r"[;,]\s+(?:(?:and|or|&)\s+)?")
# The short form before ``(long form)``: the characters a word may hold, read backwards from the
# parenthesis (on the reversed text: a search anchored at the end would retry every position), and
# the first letter or digit among them, where the short form starts.
_WORD_RUN = re.compile(r"[\w\-./+&']*")
_WORD_HEAD = re.compile(r"[A-Za-z0-9]")
# How far (characters) a long form or short form may lie from its parenthesis: bounds the work per
# parenthesis, so a 100,000-character abstract without sentence breaks stays linear.
_REACH = 300
_SHORT_FORM = re.compile(r"^[A-Za-z0-9][\w\-./+&']{0,11}$")
_PLURAL_S = re.compile(r"(?<=[A-Z0-9])s$")
_STOPWORDS = frozenset(
    "a an the of for with and or in on to from by via at as into over under using based its their".split()
)
#: ``doc.user_data`` key of the cached definitions (see :func:`doc_definitions`).
DEFINITIONS_KEY = "kg_definitions"
#: ``doc.user_data`` key of the cached :func:`sentence_bounds`.
BOUNDS_KEY = "kg_sentence_bounds"
_EXTENSION = "kg_abbreviations"
if not Doc.has_extension(_EXTENSION):
    Doc.set_extension(_EXTENSION, default=None)


def sentence_bounds(doc: Doc) -> list[tuple[int, int]]:
    """Character bounds ``(start, end)`` of the sentences of ``doc``, the title always its own sentence.

    Reads ``doc._.kg_sentences`` when the ``kg_title`` component cached it; otherwise takes the
    sentence starts from the ``SENT_START`` marks (``sentencizer``) with ``to_array``, at C speed; a doc
    without marks is one sentence.  The title end (``doc._.kg_title_len``) is always a boundary, so
    that a title without final punctuation never runs into the first abstract sentence.
    """
    user_data = doc.user_data
    cached = user_data.get(SENTENCES_KEY)
    text_len = len(doc_text(doc))
    title_len = user_data.get(TITLE_LEN_KEY) or 0
    # Three components ask for the same bounds: with kg_title's sentences, computed once per Doc
    # (for the inputs they come from; without, the sentence marks may still change).
    key = (id(cached), len(cached), text_len, title_len) if cached is not None else None
    known = user_data.get(BOUNDS_KEY)
    if key is not None and known is not None and known[0] == key:
        return known[1]
    if cached is not None:
        starts = map(itemgetter(0), cached)
    elif len(doc) and doc.has_annotation("SENT_START"):
        array = doc.to_array([SENT_START, IDX])
        starts = array[array[:, 0] == 1, 1].tolist()
    else:
        starts = []
    cuts = {0, *starts}
    if 0 < title_len < text_len:
        cuts.add(title_len)
    cuts = sorted(cuts)
    # Distinct sorted cuts: only the last bound can be empty (a cut at or past the end of the text).
    bounds = list(zip(cuts, [*cuts[1:], text_len]))
    if bounds[-1][1] <= bounds[-1][0]:
        bounds.pop()
    if key is not None:
        user_data[BOUNDS_KEY] = (key, bounds)
    return bounds



def doc_text(doc: Doc) -> str:
    """``doc.text``, computed once per Doc (``doc.text`` joins every token on each call; see
    :func:`kg.components.title.cached_text`)."""
    return doc.user_data.get(TEXT_KEY) or cached_text(doc)


def sentence_of(bounds: list[tuple[int, int]], char: int) -> tuple[int, int]:
    """The ``(start, end)`` in ``bounds`` (as from :func:`sentence_bounds`) that contains offset ``char``."""
    index = max(bisect_right(bounds, char, key=itemgetter(0)) - 1, 0)
    return bounds[index]


@lru_cache(maxsize=8192)
def is_short_form(text: str) -> bool:
    """True when ``text`` looks like an abbreviation: one word, 2 to 12 characters, starting with a letter
    or digit, at least half letters, and at least two capitals (``LLM``, ``MoE``, ``kNN``) or a capital and a digit.

    A capitalised word (``Ours``, ``Table``) is not a short form.
    """
    if len(text) < 2 or not _SHORT_FORM.match(text):
        return False
    letters = sum(map(str.isalpha, text))
    capitals = sum(map(str.isupper, text))
    return letters * 2 >= len(text) and (capitals >= 2 or (capitals >= 1 and any(map(str.isdigit, text))))


@lru_cache(maxsize=8192)
def short_form_letters(short: str) -> str:
    """The characters of a short form that the long form must contain, lower-cased: alphanumerics, without a plural ``s``."""
    return "".join(ch for ch in _PLURAL_S.sub("", short) if ch.isalnum()).casefold()


def match_long_form(short: str, text: str) -> int | None:
    """Where, in ``text``, the long form of ``short`` starts, or None; the long form runs to the end of ``text``.

    ``text`` is the candidate (the words before a parenthesis, or the parenthesis content).  The letters
    of the short form must occur in order, the first at the start of a word.  Among the admissible start
    words the one with the best score wins (2 points per letter on a word start, 1 per letter that is a
    capital inside a word, -2 per content word no letter falls in), the nearest on ties.

    Dynamic programming from the last letter back: for each place of a letter, the best score of the
    letters from it on.  A window holds a few words, so each letter has a few places.

    >>> "Proximal Policy Optimization"[match_long_form("PPO", "Proximal Policy Optimization"):]
    'Proximal Policy Optimization'
    """
    letters = short_form_letters(short)
    if not letters or len(text) <= len(letters):
        return None
    folded = text.casefold()
    if len(folded) != len(text):  # case folding changed lengths (``ß``): offsets would not line up
        folded = text.lower() if len(text.lower()) == len(text) else text
    words = text.split()
    if not words:
        return None
    # The common case at once: the last words, letters and digits only, start with the letters in order and the
    # first is a content word.  That chain has the best possible score (2 per letter, no word skipped) and no
    # other reaches it from a later start (the words after its start hold too few word starts).  Read on the
    # words alone (``folded`` maps each character to one, whitespace to itself: its words are ``words``, folded).
    first = len(words) - len(letters)
    if first >= 0 and all(word.isalnum() for word in words[first:]) and _is_content(words[first]):
        if all(word[0] == letter for word, letter in zip(folded.split()[first:], letters)):
            start = _last_words_start(text, 0, len(text), len(letters))
            return start if text[start:].strip() != short else None
    start = _best_start(text, folded, words, letters)
    return start if start is not None and text[start:].strip() != short else None


def _best_start(text: str, folded: str, words: list[str], letters: str) -> int | None:
    """The full search of :func:`match_long_form`: where the best-scoring chain of ``letters`` starts, or None."""
    word_starts = [m.start() for m in _WORD.finditer(text)]  # the starts of ``words``
    content = list(map(_is_content, words))
    # content_before[w]: the content (not function) words before word w, a prefix sum.
    content_before = [0, *accumulate(content)]
    total = content_before[-1]
    places = {ch: _letter_places(text, folded, ch, word_starts) for ch in set(letters)}
    last = len(letters) - 1
    best: list[tuple[int, int, int]] = []  # (place, word, best score from this letter on), by place
    for i in range(last, -1, -1):
        current = []
        for pos, word, starts, points in places[letters[i]]:
            # The first letter starts a word, and not a function word (``a key enabler for AR (AR/VR)``).
            if i == 0 and not (starts and content_before[word + 1] > content_before[word]):
                continue
            if i == last:  # content words after the last letter's word are skipped
                current.append((pos, word, points - 2 * (total - content_before[word + 1])))
                continue
            floor, top = content_before[word + 1], None
            for nxt, nxt_word, score in reversed(best):
                if nxt <= pos:
                    break
                # content words strictly between the two letters' words are skipped
                value = score - 2 * (content_before[nxt_word] - floor) if nxt_word > word else score
                if top is None or value > top:
                    top = value
            if top is not None:
                current.append((pos, word, points + top))
        if not current:
            return None
        best = current
    # The best score wins, the nearest start on ties; the long form starts at that letter's word, or at the
    # letter itself when the word starts with something else (``/0A (0A)``, ``x/Policy``): the long form's
    # first character is always the short form's first letter.
    pos, word, _ = max(best, key=lambda place: (place[2], place[0]))
    return word_starts[word] if folded[word_starts[word]] == folded[pos] else pos


def _is_content(word: str) -> bool:
    """Whether ``word`` is a content word (not in :data:`_STOPWORDS`, ignoring case and a final ``.`` or ``,``)."""
    return word.casefold().strip(".,") not in _STOPWORDS


def _letter_places(text: str, folded: str, letter: str, word_starts: list[int]) -> list[tuple[int, int, bool, int]]:
    """Every place of ``letter`` in ``folded`` (``text`` case-folded), in order, as ``(offset, word index,
    whether it starts a word part, points)``: 2 on a word part's start, 1 for a capital after a small letter."""
    found = []
    pos = folded.find(letter)
    while pos != -1:
        starts = pos == 0 or not text[pos - 1].isalnum()
        points = 2 if starts else int(text[pos].isupper() and text[pos - 1].islower())
        found.append((pos, bisect_right(word_starts, pos) - 1, starts, points))
        pos = folded.find(letter, pos + 1)
    return found


class Abbreviation(NamedTuple):
    """One definition: the short form and its long form, as character offsets into the text and their text.

    A plain tuple, so that :func:`doc_definitions` can keep it in ``doc.user_data`` (msgpack-safe)."""

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
        else:
            offsets = _long_form_inside(text, sent_start, paren.start(), inner_start, inner_end)
            if offsets:
                found.append(_definition(text, offsets[:2], offsets[2:]))
    return found


def _definition(text: str, short: tuple[int, int], long: tuple[int, int]) -> Abbreviation:
    return Abbreviation(short[0], short[1], long[0], long[1], text[short[0] : short[1]], text[long[0] : long[1]])


def _long_form_before(text: str, sent_start: int, paren_start: int, short: str) -> tuple[int, int] | None:
    """``long form (SF)``: the long form among the last ``min(|SF| + 5, 2 |SF|)`` words before the
    parenthesis, within :data:`_REACH` characters and after the last clause barrier (:data:`_BARRIER`)."""
    end = paren_start
    while end > sent_start and text[end - 1].isspace():
        end -= 1
    reach = max(sent_start, end - _REACH)
    n_letters = len(short_form_letters(short))
    max_words = min(n_letters + 5, n_letters * 2)
    window_start = _last_words_start(text, reach, end, max_words)
    if window_start is None:
        return None
    barrier_end = _barrier_after(text, reach, window_start, end)
    if barrier_end is not None:
        window_start = _last_words_start(text, barrier_end, end, max_words)
        if window_start is None:
            return None
    offset = match_long_form(short, text[window_start:end])
    if offset is None:
        return None
    return window_start + offset, end


def _last_words_start(text: str, start: int, end: int, count: int) -> int | None:
    """Where the last ``count`` words (``\\S+``) of ``text[start:end]`` start (the first word when there are
    fewer), or None without words; ``str.rsplit`` finds them from the end at C speed."""
    segment = text[start:end]
    words = segment.rsplit(None, count)
    if not words:
        return None
    if len(words) > count:  # words[0] is what comes before the last ``count`` words
        return start + segment.find(words[1], len(words[0]))
    return start + len(segment) - len(segment.lstrip())


def _barrier_after(text: str, reach: int, window_start: int, end: int) -> int | None:
    """The end of the last clause barrier that a left-to-right scan of ``text[reach:end]`` finds, when it
    lies after ``window_start``; else None.

    No barrier holds a letter or digit, so a scan from just after the last letter or digit before
    ``window_start`` finds the same barriers as the scan from ``reach`` (non-overlapping matches such as
    ``, - `` depend on where a scan starts): the few words of the window are scanned, not the whole reach.
    """
    sync = window_start
    while sync > reach and not text[sync - 1].isalnum():
        sync -= 1
    last = None
    for barrier in _BARRIER.finditer(text, sync, end):
        last = barrier.end()
    return last if last is not None and last > window_start else None


def _long_form_inside(
    text: str, sent_start: int, paren_start: int, inner_start: int, inner_end: int
) -> tuple[int, int, int, int] | None:
    """``SF (long form)``: the word before the parenthesis is the short form, the content its long form
    (unless the content is an example, a reference or a number: :data:`_NOT_DEFINITION`, looked at only then)."""
    before_start = max(sent_start, paren_start - _REACH)
    before = text[before_start:paren_start].rstrip()
    if before[-12:].islower():  # no capital among the characters a short form there could hold: none is there
        return None
    # The last word of ``before``: its trailing run of word characters, from the first letter or digit.
    head = _WORD_HEAD.search(before, len(before) - _WORD_RUN.match(before[::-1]).end())
    if not head or not is_short_form(before[head.start() :]):
        return None
    short = before[head.start() :]
    content = text[inner_start:inner_end]
    if _NOT_DEFINITION.search(content):
        return None
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
    if _LIST_SEPARATOR.search(stripped, offset) and not _initials_in_order(stripped[offset:], short_form_letters(short)):
        return None
    long_start = inner_start + content.index(stripped) + offset
    long_end = inner_start + content.index(stripped) + len(stripped)
    short_start = before_start + head.start()
    return short_start, short_start + len(short), long_start, long_end


def _initials_in_order(content: str, letters: str) -> bool:
    """Whether the first character of each comma-separated part of ``content`` (a leading ``and``/``or``
    skipped) is a letter of the short form ``letters``: ``Create, Read, Update, Delete`` for CRUD (in any
    order: ``scalability, traceability, responsiveness, and adaptability`` for STAR), not ``Llama 3.1, Qwen
    2.5, Mistral Nemo`` for LLMs (no ``q`` in ``llm``)."""
    return all(part[0].casefold() in letters for part in _LIST_SEPARATOR.split(content) if part)


def doc_definitions(doc: Doc) -> list[Abbreviation]:
    """:func:`find_definitions` of ``doc``, computed once per Doc and shared by the components that need it.

    Cached in ``doc.user_data`` (tuples: msgpack-safe, so a Doc can still cross processes, and then
    read back as :class:`Abbreviation` again).
    """
    cached = doc.user_data.get(DEFINITIONS_KEY)
    if cached is None:
        cached = doc.user_data[DEFINITIONS_KEY] = find_definitions(doc_text(doc), sentence_bounds(doc))
    elif cached and not isinstance(cached[0], Abbreviation):
        cached = [Abbreviation(*row) for row in cached]
    return cached


def find_abbreviations(doc: Doc) -> list[tuple[Span, Span]]:
    """Abbreviation definitions in ``doc`` as ``(short form, long form)`` span pairs, in text order.

    Both patterns of Schwartz & Hearst, within one sentence: ``Large Language Models (LLMs)`` and
    ``GPT (Generative Pre-trained Transformer)``.  Parentheses with examples, citations, figures or
    numbers (``(e.g., BERT)``, ``(Brown et al., 2020)``, ``(3.5%)``) are skipped.  Every definition is
    returned, repeats included, so that each keeps its own evidence.  The spans are expanded to token
    boundaries; when a token runs past the definition (``(MAE).During``), :func:`find_definitions`
    gives the exact characters.
    """
    definitions = doc_definitions(doc)
    if not definitions:
        return []
    starts, ends = token_bounds(doc)
    pairs = []
    for found in definitions:
        short = _expanded_tokens(starts, ends, found.short_start, found.short_end)
        long = _expanded_tokens(starts, ends, found.long_start, found.long_end)
        if short[0] < short[1] and long[0] < long[1]:
            pairs.append((Span(doc, *short), Span(doc, *long)))
    return pairs


def _expanded_tokens(starts: list[int], ends: list[int], start_char: int, end_char: int) -> tuple[int, int]:
    """The tokens ``(start, end)`` that ``doc.char_span(start_char, end_char, alignment_mode="expand")`` spans,
    from the token offsets (:func:`kg.components.title.token_bounds`): those touching the characters, not a
    token whose trailing whitespace the span starts on."""
    first = bisect_right(starts, start_char) - 1
    if start_char == ends[first]:
        first += 1
    return first, bisect_right(starts, end_char - 1)


@Language.factory(
    "kg_abbreviations",
    assigns=["doc._.kg_abbreviations"],
    requires=["token.is_sent_start"],
)
def make_abbreviations(nlp: Language, name: str) -> ExtensionComponent:
    """Component setting ``doc._.kg_abbreviations`` to :func:`find_abbreviations` of the doc."""
    return ExtensionComponent(_EXTENSION, find_abbreviations)


@lru_cache(maxsize=8192)
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
