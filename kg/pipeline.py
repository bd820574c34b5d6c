"""Build the extraction pipeline: a spaCy ``Language`` described by its components and their configs.

Order (what each sets)::

    tokenizer (ML names whole)  -> Doc tokens, doc.user_data["kg_text"] (the input string)
    kg_title                    -> token.is_sent_start (spaCy's sentencizer rule), doc._.kg_title_len,
                                   doc._.kg_sentences, title is its own sentence
    [parser of --spacy-model]   -> doc.noun_chunks (optional)
    kg_lexicon                  -> doc._.kg_candidates (known names)
    kg_shapes                   -> doc._.kg_candidates (unknown names by shape and context)
    kg_phrases                  -> doc._.kg_candidates (head-noun phrases)
    kg_noun_chunks              -> doc._.kg_candidates (optional, with --spacy-model)
    kg_measures                 -> doc._.kg_candidates without property words (diversity, sensitivity)
                                   typed Metric in sentences that evaluate nothing
    kg_abbreviations            -> doc._.kg_abbreviations (short, long) pairs
    kg_contributions            -> doc._.kg_contributions
    kg_parts                    -> doc._.kg_contributions with the named parts of a contribution
    kg_entities                 -> doc._.kg_entities, doc._.kg_relations (kg.records.Entity and
                                   Relation records; relations by kg.components.relations.find_relations)

Components read and write their ``doc._`` values through ``doc.user_data``
(:func:`kg.components.title.extension_key`): each ``doc._`` access builds an accessor object,
which costs more than the work of a small component.

The default needs no model download: ``spacy.blank("en")``.
"""
from __future__ import annotations

import gc
from pathlib import Path

import spacy
from spacy.language import Language

# Importing the component modules registers their factories.
from kg.components import (  # noqa: F401
    abbreviations,
    contributions,
    entities,
    lexicon,
    measures,
    noun_chunks,
    parts,
    phrases,
    shapes,
    title,
)
from kg.components.title import TEXT_KEY
from kg.components.tokenizer import TextKeepingTokenizer, customize_tokenizer


def make_pipeline(
    *,
    spacy_model: str | Path | None = None,
    lexicon_dir: str | Path | None = None,
) -> Language:
    """The extraction pipeline.

    Parameters
    ----------
    spacy_model:
        Name or path of an installed trained spaCy pipeline; its tokenizer is customised, its
        NER, lemmatizer, text classifier, entity ruler and senter are left out, and the noun chunks
        of its parser (or the noun phrases of its tagger) become extra candidates.
        None (default): ``spacy.blank("en")``.
    lexicon_dir:
        Folder of lexicon JSON Lines files (default: the packaged ``kg/lexicons``).
    """
    if spacy_model is None:
        nlp = spacy.blank("en")
    else:
        nlp = spacy.load(spacy_model, exclude=["ner", "lemmatizer", "textcat", "entity_ruler", "senter"])
    customize_tokenizer(nlp)
    lexicon_config = {"lexicon_dir": str(lexicon_dir) if lexicon_dir is not None else None}
    nlp.add_pipe("kg_title", first=True)
    nlp.add_pipe("kg_lexicon", config=lexicon_config)
    nlp.add_pipe("kg_shapes")
    nlp.add_pipe("kg_phrases", config=lexicon_config)
    if spacy_model is not None:
        nlp.add_pipe("kg_noun_chunks")
    nlp.add_pipe("kg_measures")
    nlp.add_pipe("kg_abbreviations")
    nlp.add_pipe("kg_contributions")
    nlp.add_pipe("kg_parts")
    nlp.add_pipe("kg_entities", config=lexicon_config)
    nlp.tokenizer = TextKeepingTokenizer(nlp.tokenizer, TEXT_KEY)
    return nlp


def freeze_memory() -> None:
    """Take everything alive now (the pipeline's lexicons, matchers and memo tables) out of the garbage
    collector's view, so that full collections during a long extraction stop walking them again and
    again (about a tenth of extraction time). Process-wide: ``kg build`` and ``kg extract`` call it once,
    after building the pipeline; a library user may do the same.
    """
    gc.collect()
    gc.freeze()
