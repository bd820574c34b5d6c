"""Sentences and the title boundary of ``title + "\\n\\n" + abstract``.

The ``kg_title`` component splits sentences with the rule of spaCy's ``sentencizer`` (a sentence
starts at the first non-punctuation token after a ``.``/``!``/``?``-like token), marks the first
abstract token as a sentence start (so a title without final punctuation never runs into the
abstract), sets ``doc._.kg_title_len`` (characters of the title) and caches the sentences'
character bounds in ``doc._.kg_sentences`` (``[[start, end], ...]``), so later components need not
iterate ``doc.sents``. The sentence rule runs on the few sentence-ending characters of the text
and one ``doc.to_array`` call rather than on every ``Token`` object (which costs about as much as
tokenizing); a Doc that already has sentence marks (a ``sentencizer`` or parser before) keeps them.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from operator import itemgetter
from typing import Callable

import numpy
from spacy.attrs import IDX, SENT_START, SPACY
from spacy.language import Language
from spacy.pipeline import Sentencizer
from spacy.tokens import Doc

TITLE_SEPARATOR = "\n\n"

TEXT_KEY = "kg_text"
BOUNDS_KEY = "kg_token_bounds"


def cached_text(doc: Doc) -> str:
    """``doc.text``, computed once per Doc: spaCy's property joins every token on each call
    (costing about half a tokenization), so components read ``doc._.kg_text`` instead."""
    text = doc.user_data.get(TEXT_KEY)
    if text is None:
        text = doc.user_data[TEXT_KEY] = doc.text
    return text


def token_bounds(doc: Doc) -> tuple[list[int], list[int]]:
    """``(starts, ends)``: character offsets of every token, computed once per Doc (cached in ``user_data``).

    From the token fields ``IDX`` and ``SPACY`` (whether a space follows) of one ``doc.to_array`` call: a token
    ends where the next one starts, less its space (``LENGTH`` would read every token's lexeme, which costs more).
    """
    bounds = doc.user_data.get(BOUNDS_KEY)
    if bounds is None:
        if not len(doc):
            return [], []
        array = doc.to_array([IDX, SPACY])  # column 1 becomes the token ends
        array[:-1, 1] = array[1:, 0] - array[:-1, 1]
        array[-1, 1] = len(cached_text(doc)) - array[-1, 1]
        starts, ends = array.T.tolist()
        bounds = doc.user_data[BOUNDS_KEY] = (starts, ends)
    return bounds


for _name, _default in (("kg_title_len", 0), ("kg_sentences", None)):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=_default)
if not Doc.has_extension(TEXT_KEY):
    Doc.set_extension(TEXT_KEY, getter=cached_text)


def extension_key(name: str) -> tuple[str, str, None, None]:
    """The ``doc.user_data`` key where spaCy keeps the value of ``doc._.<name>`` (an extension with a default).
    Hot paths read and write it there directly: each ``doc._`` access builds an accessor object (microseconds)."""
    return ("._.", name, None, None)


class ExtensionComponent:
    """Thin pipeline shell: sets ``doc._.<name>`` (through ``doc.user_data``) to what ``find(doc)`` returns."""

    def __init__(self, name: str, find) -> None:
        self.key = extension_key(name)
        self.find = find

    def __call__(self, doc: Doc) -> Doc:
        doc.user_data[self.key] = self.find(doc)
        return doc


TITLE_LEN_KEY = extension_key("kg_title_len")
SENTENCES_KEY = extension_key("kg_sentences")


def title_length(text: str) -> int:
    """Characters of the title: everything before the first blank-line separator (all of it when none)."""
    index = text.find(TITLE_SEPARATOR)
    return len(text) if index < 0 else index


def sentence_starts(doc: Doc) -> list[int]:
    """Character offsets where the sentences of ``doc`` start (0 first), from the ``SENT_START`` marks."""
    if not len(doc):
        return [0]
    array = doc.to_array([SENT_START, IDX])
    starts = array[array[:, 0] == 1, 1].tolist()
    return starts if starts and starts[0] == 0 else [0, *starts]


# The characters that end a sentence for spaCy's sentencizer (a token made of exactly one of them).
# ``re`` finds one literal character far faster than a class (memchr), and a class of characters beyond
# U+FFFF over ten times slower than one without: ASCII texts (most) are searched for each ASCII character.
_SENTENCE_END_ASCII = [(c, re.compile(re.escape(c))) for c in Sentencizer.default_punct_chars if c.isascii()]
_SENTENCE_END = re.compile("[" + "".join(re.escape(c) for c in Sentencizer.default_punct_chars if c <= "\uffff") + "]")
_SENTENCE_END_ASTRAL = re.compile("[" + "".join(re.escape(c) for c in Sentencizer.default_punct_chars if c > "\uffff") + "]")
_START = re.Match.start
_NOT_A_START = numpy.uint64(2**64 - 1)  # SENT_START -1 (``Token.is_sent_start`` False) as spaCy stores it


def sentence_start_tokens(period_tokens: list[int], size: int, is_punct: Callable[[int], bool]) -> list[int]:
    """Indexes of the tokens starting a sentence, by the rule of spaCy's ``sentencizer``.

    ``period_tokens`` are the (sorted) indexes of the tokens that are a sentence-ending character, ``size``
    the number of tokens and ``is_punct(i)`` the punctuation flag of token ``i``. The first token starts a
    sentence, and so does the first token after a period token that is neither punctuation nor a period
    token (``."`` and ``.)`` stay with the sentence they end).
    """
    if not size:
        return []
    periods = set(period_tokens)
    starts = [0]
    index = 0  # where the previous period's search ended: periods before it start the same sentence
    for period in period_tokens:
        if period < index:
            continue
        index = period + 1
        while index < size and (index in periods or is_punct(index)):
            index += 1
        if index < size:
            starts.append(index)
    return starts


def sentence_end_chars(text: str) -> list[int]:
    """Offsets, in order, of the characters of ``text`` that end a sentence for spaCy's sentencizer."""
    if text.isascii():
        found = []
        for char, pattern in _SENTENCE_END_ASCII:
            if char in text:
                found.extend(map(_START, pattern.finditer(text)))
        return sorted(found)
    found = list(map(_START, _SENTENCE_END.finditer(text)))
    if max(text) > "\uffff":
        found = sorted(found + list(map(_START, _SENTENCE_END_ASTRAL.finditer(text))))
    return found


def split_sentences(doc: Doc, text: str, abstract_start: int) -> list[int]:
    """Set the sentence marks of ``doc`` (sentencizer rule, plus the first abstract token) and return the
    character offsets where sentences start.

    Only one-character tokens can end a sentence, and only the tokens after those need their
    punctuation flag, so ``Token`` objects are made for a few tokens, not for all of them: none for a
    token starting with a letter or digit (no punctuation: spaCy's ``is_punct`` wants every character
    in a Unicode punctuation category).
    """
    starts, ends = token_bounds(doc)
    period_tokens = []
    for char in sentence_end_chars(text):
        index = bisect_right(starts, char) - 1
        if starts[index] == char and ends[index] == char + 1:
            period_tokens.append(index)
    first = sentence_start_tokens(period_tokens, len(starts),
                                  lambda index: not text[starts[index]].isalnum() and doc[index].is_punct)
    after_title = bisect_left(starts, abstract_start)
    while after_title < len(starts) and text[starts[after_title] : ends[after_title]].isspace():  # Token.is_space
        after_title += 1
    if 0 < after_title < len(starts) and after_title not in first:
        first = sorted([*first, after_title])
    marks = numpy.full((len(starts), 1), _NOT_A_START)
    marks[first] = 1
    doc.from_array([SENT_START], marks)
    return [starts[index] for index in first]


def mark_title(doc: Doc) -> Doc:
    """Set ``doc._.kg_title_len``, sentence marks (unless the Doc has some) with a start after the title,
    and ``doc._.kg_sentences``."""
    text = cached_text(doc)
    title_len = title_length(text)
    abstract_start = title_len + len(TITLE_SEPARATOR)
    if not len(doc):
        starts = [0]
    elif len(doc) == 1 or doc[1].is_sent_start is None:  # no sentence marks yet
        starts = split_sentences(doc, text, abstract_start)
    else:
        if abstract_start < len(text):
            for token in doc:
                if token.idx >= abstract_start and not token.is_space:
                    if token.i > 0:
                        token.is_sent_start = True
                    break
        starts = sentence_starts(doc)
    ends = starts[1:] + [len(text)]
    doc.user_data[TITLE_LEN_KEY] = title_len
    doc.user_data[SENTENCES_KEY] = [[start, end] for start, end in zip(starts, ends) if end > start]
    return doc


def sentence_at(bounds: list[list[int]], char: int) -> tuple[int, int]:
    """The ``(start, end)`` of the sentence in ``bounds`` (``doc._.kg_sentences``) holding offset ``char``."""
    if not bounds:
        return 0, 0
    index = max(bisect_right(bounds, char, key=itemgetter(0)) - 1, 0)
    return bounds[index][0], bounds[index][1]


@Language.factory("kg_title", assigns=["doc._.kg_title_len", "doc._.kg_sentences", "token.is_sent_start"])
def make_title_marker(nlp: Language, name: str):
    """Component wrapping :func:`mark_title`."""
    return mark_title
