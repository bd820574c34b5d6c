"""Exports of the knowledge graph: one module per format."""
