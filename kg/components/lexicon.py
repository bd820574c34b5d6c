"""Lexicon matcher: known names of models, benchmarks, methods, metrics and tasks.

The data are JSON Lines files in ``kg/lexicons/`` (``{"name", "type", "aliases", "case_sensitive"?}``).
Every name and alias is matched with a :class:`~spacy.matcher.PhraseMatcher`, case-insensitively
unless the form is written like a proper name (``LoRA``, ``GPT-4``, a one-word ``Whisper``)
or the entry says ``case_sensitive``; plural and hyphen/space variants of common nouns are added.
Matches go to ``doc._.kg_candidates`` (:mod:`kg.components.candidates`) with the type, the
canonical name and the rule ``"lexicon"``.
"""
from __future__ import annotations

import json
import re
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, NamedTuple

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from kg.components import LEXICON_DIR, PATTERNS_DIR
from kg.components.tokenizer import pattern_tokenizer
from kg.components.candidates import BOUNDS_KEY, Candidate, CandidateComponent, make_candidate, token_bounds
from kg.components.title import TEXT_KEY, cached_text
from kg.records import ENTITY_TYPES

PROPER_TYPES = ("Model", "Benchmark")
# Files in the lexicon folder that are not entity lexicons (read by other components).
NOT_ENTITY_FILES = ("heads.jsonl",)


@dataclass(frozen=True, slots=True)
class LexiconEntry:
    """One known entity: canonical name, type, surface aliases, and whether case must match."""

    name: str
    type: str
    aliases: tuple[str, ...] = ()
    case_sensitive: bool = False


def read_jsonl_records(path: Path) -> Iterator[tuple[int, dict]]:
    """Yield ``(line number, object)`` for each well-formed JSON object line; warn (file:line) on others."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        warnings.warn(f"{path}: cannot read lexicon file ({error}); skipped", stacklevel=2)
        return
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            warnings.warn(f"{path}:{number}: malformed JSON ({error.msg}); line skipped", stacklevel=2)
            continue
        if isinstance(record, dict):
            yield number, record
        else:
            warnings.warn(f"{path}:{number}: not a JSON object; line skipped", stacklevel=2)


def entry_from_record(record: dict) -> LexiconEntry | None:
    """A :class:`LexiconEntry` from one JSON record, or None when name or type is unusable."""
    name, kind = record.get("name"), record.get("type")
    if not isinstance(name, str) or not name.strip() or kind not in ENTITY_TYPES:
        return None
    aliases = tuple(a.strip() for a in record.get("aliases") or () if isinstance(a, str) and a.strip())
    return LexiconEntry(name.strip(), kind, aliases, bool(record.get("case_sensitive")))


def load_lexicon(directory: str | Path | None = None) -> list[LexiconEntry]:
    """All entries of ``directory/*.jsonl`` (default: the packaged lexicons), in file then line order.

    Missing folders or files give an empty list; bad lines are skipped with a warning naming file and line.
    """
    folder = Path(directory) if directory is not None else LEXICON_DIR
    entries = []
    for path in sorted(folder.glob("*.jsonl")) if folder.is_dir() else ():
        if path.name in NOT_ENTITY_FILES:
            continue
        for number, record in read_jsonl_records(path):
            entry = entry_from_record(record)
            if entry is None:
                warnings.warn(f"{path}:{number}: entry needs a name and a type in {ENTITY_TYPES}; skipped", stacklevel=2)
            else:
                entries.append(entry)
    return entries


def load_senses(path: str | Path | None = None) -> dict[str, frozenset[str]]:
    """``patterns/senses.json``: for a word that names a technique only in technical use (``attention``),
    the previous words that mark its ordinary sense (``gaining attention``); ``""`` stands for the start of the
    text (a title's first word: ``Boosting X with Y``)."""
    file = Path(path) if path is not None else PATTERNS_DIR / "senses.json"
    if not file.is_file():
        return {}
    data = json.loads(file.read_text(encoding="utf-8"))
    return {word.lower(): frozenset(w.lower() for w in before) for word, before in data.get("not_after", {}).items()}


def ordinary_sense(word: str, previous: str, senses: dict[str, frozenset[str]]) -> bool:
    """Whether ``word`` (lower case) after ``previous`` is a listed word in its ordinary sense."""
    before = senses.get(word)
    return before is not None and previous in before


def plural(word: str) -> str:
    """English plural of a lower-case noun (``model`` -> ``models``, ``policy`` -> ``policies``)."""
    if re.search(r"[^aeiou]y$", word):
        return word[:-1] + "ies"
    if word.endswith(("s", "sh", "ch", "x", "z")):
        return word + "es"
    return word + "s"


_TWO_LOWER_WORDS = re.compile(r"^[a-z]{2,} [a-z]{2,}$")
# Types whose two-word names are also written hyphenated as nouns (``instruction-following``); a hyphenated
# measure is mostly a modifier (``inference-time methods``, ``GPU-memory bottlenecks``).
_HYPHENATED_TYPES = frozenset({"Task", "Method"})


def surface_variants(form: str, entry_type: str) -> set[str]:
    """The form, its hyphen-as-space spelling, for a two-word lower-case task or method its hyphenated
    spelling (``instruction following`` -> ``instruction-following``) and, for common nouns, its plural."""
    forms = {form}
    if re.search(r"[A-Za-z]-[A-Za-z]", form):
        forms.add(re.sub(r"(?<=[A-Za-z])-(?=[A-Za-z])", " ", form))
    elif entry_type in _HYPHENATED_TYPES and _TWO_LOWER_WORDS.match(form):
        forms.add(form.replace(" ", "-"))
    if entry_type not in PROPER_TYPES and re.search(r"[a-z]$", form) and not form.endswith("s"):
        forms |= {f[: -len(f.split()[-1])] + plural(f.split()[-1]) for f in set(forms) if f.split()}
    return forms


def needs_exact_case(form: str, entry: LexiconEntry) -> bool:
    """Whether ``form`` is matched only as written: mixed case, short, or a one-word proper name. A longer
    form holding a digit is matched in any case (``Math-500``, ``llama-2``): the digits make it unambiguous."""
    if entry.case_sensitive or len(form) <= 3:
        return True
    if any(ch.isdigit() for ch in form):
        return False
    if any(ch.isupper() for ch in form[1:]):
        return True
    return entry.type in PROPER_TYPES and " " not in form and form[:1].isupper()


class LexiconKey(NamedTuple):
    """What a match of one matcher key means: the entry's type and name, the token texts of its forms when
    they are matched only as written (None: in any case), and whether a word before it may mark an ordinary sense."""

    type: str
    name: str
    exact_tokens: frozenset[tuple[str, ...]] | None
    check_sense: bool


class LexiconMatcher:
    """Matches every lexicon form in a Doc; built once per pipeline from :func:`load_lexicon`.

    One :class:`~spacy.matcher.PhraseMatcher` on ``LOWER`` holds all forms (one scan of the Doc); a hit
    of a form matched only as written is kept when its token texts are the form's. Exact-case hits come
    first, then the others, each in the matcher's order (as two matchers on ``ORTH`` and ``LOWER`` would give).
    """

    def __init__(self, nlp: Language, entries: Iterable[LexiconEntry], senses: dict[str, frozenset[str]] | None = None) -> None:
        self.entries = list(entries)
        self.senses = load_senses() if senses is None else senses
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.keys: dict[int, LexiconKey] = {}
        self.shared: dict[int, str] = {}  # matcher key of another component's patterns -> its doc.user_data key
        seen: set[tuple[bool, str]] = set()
        patterns: dict[tuple[bool, int], list[str]] = {}
        for index, entry in enumerate(self.entries):
            for alias in (entry.name, *entry.aliases):
                for form in sorted(surface_variants(alias, entry.type)):
                    exact = needs_exact_case(form, entry)
                    key = (exact, form if exact else form.lower())
                    if key in seen:
                        continue  # first entry (file order) owns a form
                    seen.add(key)
                    patterns.setdefault((exact, index), []).append(form)
        tokenizer = pattern_tokenizer(nlp)
        for (exact, index), forms in patterns.items():
            docs = list(tokenizer.pipe(forms))
            name = f"{'exact' if exact else 'folded'} {index}"
            self.matcher.add(name, docs)
            entry = self.entries[index]
            self.keys[nlp.vocab.strings[name]] = LexiconKey(
                entry.type,
                entry.name,
                frozenset(tuple(token.text for token in doc) for doc in docs) if exact else None,
                entry.name in self.senses or any(len(doc) == 1 and doc[0].lower_ in self.senses for doc in docs),
            )

    def share(self, user_data_key: str, patterns: list[Doc]) -> None:
        """Add another component's ``LOWER`` patterns to this matcher's one scan of the Doc: each call then
        leaves their ``(match_id, start, end)`` matches, in the matcher's order, in ``doc.user_data[user_data_key]``."""
        self.matcher.add(user_data_key, patterns)
        self.shared[self.matcher.vocab.strings[user_data_key]] = user_data_key

    def __call__(self, doc: Doc) -> list[Candidate]:
        exact, folded = [], []
        user_data = doc.user_data
        text = user_data.get(TEXT_KEY) or cached_text(doc)
        starts, ends = user_data.get(BOUNDS_KEY) or token_bounds(doc)
        keys = self.keys
        shared = {match_id: [] for match_id in self.shared}
        for match in self.matcher(doc):
            match_id, start, end = match
            key = keys.get(match_id)
            if key is None:
                shared[match_id].append(match)  # another component's pattern
                continue
            kind, name, exact_tokens, check_sense = key
            first, last = starts[start], ends[end - 1]
            surface = text[first:last]
            if exact_tokens is not None and ((surface,) if end - start == 1 else tuple(
                    text[starts[i] : ends[i]] for i in range(start, end))) not in exact_tokens:
                continue  # a form matched only as written, here in another case
            if check_sense and ordinary_sense(surface.lower() if end - start == 1 else name,
                                              text[starts[start - 1] : ends[start - 1]].lower() if start else "", self.senses):
                continue  # "gaining attention", "at inference time", a title's first word "Boosting"
            (folded if exact_tokens is None else exact).append(make_candidate((first, last, surface, kind, "lexicon", name)))
        for match_id, matches in shared.items():
            user_data[self.shared[match_id]] = matches
        return exact + folded


@Language.factory("kg_lexicon", default_config={"lexicon_dir": None}, assigns=["doc._.kg_candidates"])
def make_lexicon_matcher(nlp: Language, name: str, lexicon_dir: str | None) -> CandidateComponent:
    return CandidateComponent(LexiconMatcher(nlp, load_lexicon(lexicon_dir)))
