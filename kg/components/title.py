"""Title boundary and sentence bounds: where the title ends in ``title + "\\n\\n" + abstract``.

Sets ``doc._.kg_title_len`` (characters of the title), makes the first abstract token start a
sentence (so a title without final punctuation never runs into the abstract), and caches the
sentences' character bounds in ``doc._.kg_sentences`` (``[[start, end], ...]``, computed at C
speed from the sentencizer's marks), so later components need not iterate ``doc.sents``.
"""
from __future__ import annotations

from bisect import bisect_right

from spacy.attrs import IDX, SENT_START
from spacy.language import Language
from spacy.tokens import Doc

TITLE_SEPARATOR = "\n\n"

TEXT_KEY = "kg_text"


def cached_text(doc: Doc) -> str:
    """``doc.text``, computed once per Doc: spaCy's property joins every token on each call
    (costing about half a tokenization), so components read ``doc._.kg_text`` instead."""
    text = doc.user_data.get(TEXT_KEY)
    if text is None:
        text = doc.user_data[TEXT_KEY] = doc.text
    return text


for _name, _default in (("kg_title_len", 0), ("kg_sentences", None)):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=_default)
if not Doc.has_extension(TEXT_KEY):
    Doc.set_extension(TEXT_KEY, getter=cached_text)


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


def mark_title(doc: Doc) -> Doc:
    """Set ``doc._.kg_title_len``, start a sentence after the title, cache ``doc._.kg_sentences``."""
    text = cached_text(doc)
    title_len = title_length(text)
    doc._.kg_title_len = title_len
    abstract_start = title_len + len(TITLE_SEPARATOR)
    if abstract_start < len(text):
        for token in doc:
            if token.idx >= abstract_start and not token.is_space:
                if token.i > 0:
                    token.is_sent_start = True
                break
    starts = sentence_starts(doc)
    ends = starts[1:] + [len(text)]
    doc._.kg_sentences = [[start, end] for start, end in zip(starts, ends) if end > start]
    return doc


def sentence_at(bounds: list[list[int]], char: int) -> tuple[int, int]:
    """The ``(start, end)`` of the sentence in ``bounds`` (``doc._.kg_sentences``) holding offset ``char``."""
    if not bounds:
        return 0, 0
    index = max(bisect_right([start for start, _ in bounds], char) - 1, 0)
    return bounds[index][0], bounds[index][1]


@Language.factory("kg_title", assigns=["doc._.kg_title_len", "doc._.kg_sentences", "token.is_sent_start"])
def make_title_marker(nlp: Language, name: str):
    """Component wrapping :func:`mark_title`."""
    return mark_title
