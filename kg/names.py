"""Pure functions on entity names: the normal form used to merge variants, and URL-safe slugs.

Shared by extraction (merging mentions within a paper), the graph (merging entities across
papers) and the exports (readable, stable IRIs), so that all three agree on identity.
"""
from __future__ import annotations

import re
import unicodedata

_SEPARATORS = re.compile(r"[\s\-_/.,:;()'\"‘’“”]+")
_DECIMAL_POINT = re.compile(r"(?<=\d)\.(?=\d)")
_SLUG_DROP = re.compile(r"[^0-9a-z.+@]+")


def name_key(name: str) -> str:
    """Key under which surface variants of one name merge: case, plural ``s``, hyphens, spaces and punctuation ignored.

    A decimal point between digits is kept (as ``p``), so that ``OPT-1.3B`` and ``OPT-13B`` stay apart.

    >>> name_key("Large Language Models") == name_key("large-language model")
    True
    """
    text = _DECIMAL_POINT.sub("p", unicodedata.normalize("NFKC", name).casefold())
    key = _SEPARATORS.sub("", text)
    if len(key) > 3 and key.endswith("es") and key[:-2].endswith(("ss", "sh", "ch", "x")):
        return key[:-2]
    if len(key) > 2 and key.endswith("s") and not key.endswith("ss"):
        return key[:-1]
    return key


def slug(name: str) -> str:
    """Readable, stable path segment for a name: ``GPT-4`` -> ``gpt-4``, ``Mixtral 8x7B`` -> ``mixtral-8x7b``.

    Characters outside ``[0-9a-z.+@-]`` (all legal in an IRI path segment) become ``-``; a name with none of those (all non-Latin, say)
    falls back to its NFKC form so that it still has a distinct, non-empty slug.
    """
    text = unicodedata.normalize("NFKC", name).casefold().strip()
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    out = _SLUG_DROP.sub("-", ascii_text).strip("-.")
    if out:
        return out
    return "u-" + "-".join(f"{ord(ch):x}" for ch in text) if text else "empty"
