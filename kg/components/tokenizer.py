"""Tokenizer customisation that keeps machine-learning names whole or matchable.

spaCy's English infix rules split every hyphen between letters, which breaks names such as
``ROUGE-L``, ``1.58-bit`` or ``text-to-image`` into pieces that shape rules cannot see as one
word. Here hyphenated compounds stay single tokens, except before a short list of
derivational suffixes (``LLM-based``, ``GPT-style``) whose stem is itself a name worth matching.
"""
from __future__ import annotations

import json
import re

from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex

from kg.components import PATTERNS_DIR

_HYPHEN_DATA = json.loads((PATTERNS_DIR / "hyphen_suffixes.json").read_text(encoding="utf-8"))
# Words split off after a hyphen: "LLM-based" -> "LLM" "-based"; participles only after a capital or digit
# ("GRPO-trained", "GPU-accelerated"; "pre-trained" stays whole).
ANY_STEM_SUFFIXES: tuple[str, ...] = tuple(_HYPHEN_DATA["hyphen_suffixes"])
NAME_HYPHEN_SUFFIXES: tuple[str, ...] = tuple(_HYPHEN_DATA.get("after_name_suffixes", ()))
# All words that, after a hyphen, make a modifier out of a name (shapes cut them from names).
HYPHEN_SUFFIXES: tuple[str, ...] = ANY_STEM_SUFFIXES + NAME_HYPHEN_SUFFIXES
# LaTeX markup: "\\emph{" opens, "}" closes, "$" delimits math, "~" is a non-breaking space.
_LATEX_OPEN = r"\\(?:" + "|".join(
    json.loads((PATTERNS_DIR / "latex.json").read_text(encoding="utf-8"))["latex_commands"]
) + r")\{"
_LATEX_INFIXES: tuple[str, ...] = (
    _LATEX_OPEN,
    r"\}",
    r"\$",
    "~",
)
# Markup a name may still hold when a rule reads the raw text (``stage~(HRPP)``, ``Fr\\'echet``): removed by
# :func:`without_latex`; ``~`` becomes a space, accents and braces go, ``\\tau`` keeps its letters.
_LATEX_MARKUP = re.compile(r"\\[A-Za-z]+\{|\\['`^\"~=.]|\\(?=[A-Za-z])|[{}$]")
_LATEX_MARKS = frozenset("\\{}$~")
_DEFAULT_HYPHEN_INFIX = "(?:-|–|—|--|---|——|~)"
# Arithmetic between digits splits, except the hyphen: "LLaMA-2-7B", "Llama-3.1-8B" stay whole.
_DEFAULT_NUMERIC_INFIX = r"(?<=[0-9])[+\-\*^](?=[0-9-])"
_NUMERIC_INFIX = r"(?<=[0-9])[+\*^](?=[0-9-])"
_UNIT_LOOKBEHIND = "(?<=[0-9])"
# A sentence's full stop after a name ending in a capital that follows a digit or a hyphen (``Qwen3-8B.``,
# ``GSM8K.``, ``ROUGE-L.``): spaCy splits a stop off two capitals (``MMLU.``) but not off these.
_NAME_FULL_STOP = r"(?:(?<=[0-9][A-Z])|(?<=[A-Za-z0-9]-[A-Z]))\."
# The digits before a unit must not follow a letter or hyphen (one to three digits back).
_NOT_IN_NAME = "".join(f"(?<![A-Za-z\\-]{'[0-9]' * n})" for n in (1, 2, 3))


def ml_infixes(infixes: list[str] | tuple[str, ...]) -> list[str]:
    """spaCy's infix patterns without the letter-hyphen-letter split, plus a split before :data:`ANY_STEM_SUFFIXES`
    and, after a capital or digit, before :data:`NAME_HYPHEN_SUFFIXES`."""
    kept = [
        _NUMERIC_INFIX if pattern == _DEFAULT_NUMERIC_INFIX else pattern
        for pattern in infixes
        if _DEFAULT_HYPHEN_INFIX not in pattern
    ]
    suffixes = "|".join(ANY_STEM_SUFFIXES)
    kept.append(rf"(?<=[A-Za-z0-9)}}])[-–](?=(?:{suffixes})(?![A-Za-z]))")
    if NAME_HYPHEN_SUFFIXES:
        kept.append(rf"(?<=[A-Z0-9])[-–](?=(?:{'|'.join(NAME_HYPHEN_SUFFIXES)})(?![A-Za-z]))")
    kept.append(rf"(?<=[A-Za-z0-9])\)(?=[-–](?:{suffixes})(?![A-Za-z]))")  # "(AR)-based" -> "(AR" ")" "-" "based"
    # Dashes used as punctuation between words ("models—such as") still split.
    kept.append(r"(?<=[A-Za-z0-9])(?:—|--|---|––)(?=[A-Za-z])")
    kept.extend(_LATEX_INFIXES)
    return kept


def without_latex(name: str) -> str:
    """``name`` without LaTeX markup (``Claude Sonnet~4.5`` -> ``Claude Sonnet 4.5``); unchanged when it has none.

    Entity names only: mentions keep their offsets and text in the original field.
    """
    if _LATEX_MARKS.isdisjoint(name):
        return name
    return " ".join(_LATEX_MARKUP.sub("", name).replace("~", " ").split())


def ml_prefixes(prefixes: list[str] | tuple[str, ...]) -> list[str]:
    """spaCy's prefix patterns plus LaTeX openers (``\\emph{``, ``\\textbf{``), ``~`` and Markdown emphasis (``**``)."""
    return [_LATEX_OPEN, "~", r"\*+", *prefixes]


def ml_suffixes(suffixes: list[str] | tuple[str, ...]) -> list[str]:
    """spaCy's suffix patterns, with units (``K``, ``M``, ``GB``) split off numbers only when the number
    is not part of a name: ``100K`` -> ``100 K`` but ``GSM8K`` and ``ImageNet-21K`` stay whole; LaTeX's
    ``$``, ``~``, Markdown emphasis (``**``) and a full stop after a name (:data:`_NAME_FULL_STOP`) split off too."""
    return [r"\$", "~", r"\*+", _NAME_FULL_STOP, *(pattern.replace(_UNIT_LOOKBEHIND, _UNIT_LOOKBEHIND + _NOT_IN_NAME, 1)
            if pattern.startswith(_UNIT_LOOKBEHIND + "(?:km|") else pattern for pattern in suffixes)]


def customize_tokenizer(nlp: Language) -> Language:
    """Install :func:`ml_prefixes`, :func:`ml_infixes` and :func:`ml_suffixes` on ``nlp``'s tokenizer (in place)
    and return ``nlp``."""
    nlp.tokenizer.prefix_search = compile_prefix_regex(ml_prefixes(nlp.Defaults.prefixes)).search
    nlp.tokenizer.infix_finditer = compile_infix_regex(ml_infixes(nlp.Defaults.infixes)).finditer
    nlp.tokenizer.suffix_search = compile_suffix_regex(ml_suffixes(nlp.Defaults.suffixes)).search
    return nlp



def pattern_tokenizer(nlp: Language) -> Tokenizer:
    """A tokenizer splitting like ``nlp``'s, with its own cache, for tokenizing matcher patterns.

    spaCy's tokenizer caches at most ``max_cache_size`` chunks and stops caching when full:
    tokenizing thousands of lexicon forms with the pipeline's own tokenizer would fill that cache
    with rare words and leave every abstract word uncached (several times slower tokenization).
    """
    source = nlp.tokenizer
    return Tokenizer(
        nlp.vocab,
        rules=source.rules,
        prefix_search=source.prefix_search,
        suffix_search=source.suffix_search,
        infix_finditer=source.infix_finditer,
        token_match=source.token_match,
        url_match=source.url_match,
    )


class TextKeepingTokenizer:
    """Wraps a tokenizer to keep the input string on the Doc (``doc.user_data["kg_text"]``).

    ``Doc.text`` is rebuilt from every token on each read, which costs about a third of the
    tokenization itself; the input string is the same text, so it is kept instead (see
    :func:`kg.components.title.cached_text`).
    """

    def __init__(self, tokenizer: Tokenizer, key: str) -> None:
        self.tokenizer = tokenizer
        self.key = key

    def __call__(self, text: str) -> Doc:
        doc = self.tokenizer(text)
        doc.user_data[self.key] = text
        return doc

    def __getattr__(self, name: str):
        return getattr(self.tokenizer, name)
