"""spaCy components of the extraction pipeline, one factory per module.

Importing a module registers its factory with spaCy; :mod:`kg.pipeline` imports them all.
Their data (lexicons, patterns) lives in package folders, located once here.
"""
from pathlib import Path

LEXICON_DIR = Path(__file__).resolve().parent.parent / "lexicons"
PATTERNS_DIR = Path(__file__).resolve().parent.parent / "patterns"
