"""Errors raised by the knowledge graph, in one place so that the CLI can map each to a clean message."""
from __future__ import annotations

import os


class GraphError(Exception):
    """Base class of every error the graph API raises on bad input."""


class UnknownEntityError(GraphError, LookupError):
    """No entity has this name or alias; ``suggestions`` holds the closest known names ("did you mean")."""

    def __init__(self, name: str, suggestions: list[str]) -> None:
        self.name = name
        self.suggestions = list(suggestions)
        hint = f"; did you mean: {', '.join(self.suggestions)}?" if self.suggestions else ""
        super().__init__(f"unknown entity {name!r}{hint}")

    def __str__(self) -> str:
        return str(self.args[0])


class UnknownPaperError(GraphError, LookupError):
    """No paper with this id is in the graph."""

    def __init__(self, paper: str) -> None:
        self.paper = paper
        super().__init__(f"unknown paper {paper!r}")

    def __str__(self) -> str:
        return str(self.args[0])


class NoPathError(GraphError):
    """Two entities are not connected through papers."""

    def __init__(self, source: str, target: str) -> None:
        self.source, self.target = source, target
        super().__init__(f"no path through papers between {source!r} and {target!r}")


class GraphFileError(GraphError):
    """A file is not a saved graph, is damaged, or was saved by an incompatible version; the message names the file."""

    def __init__(self, path: str | os.PathLike, problem: str) -> None:
        self.path = os.fspath(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")
