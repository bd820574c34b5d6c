"""spaCy components of the extraction pipeline, one factory per module.

Importing a module registers its factory with spaCy; :mod:`kg.pipeline` imports them all.
"""
