"""The ``kg`` command line: a thin layer where each command is one call into the Python API.

Commands live one per module and are imported only when run, so ``kg query`` does not pay
for loading spaCy and ``kg --help`` is instant.
"""
from __future__ import annotations

import importlib

import click

COMMANDS = {
    "build": "kg.cli.build:build_command",
    "extract": "kg.cli.extract:extract_command",
    "show": "kg.cli.explore:show_command",
    "top": "kg.cli.explore:top_command",
    "related": "kg.cli.explore:related_command",
    "path": "kg.cli.explore:path_command",
    "timeline": "kg.cli.explore:timeline_command",
    "query": "kg.cli.query:query_command",
    "serve": "kg.cli.serve:serve_command",
    "view": "kg.cli.view:view_command",
}


class LazyGroup(click.Group):
    """A click group that imports a command's module only when that command is used."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        target = COMMANDS.get(name)
        if target is None:
            return None
        module_name, attribute = target.split(":")
        return getattr(importlib.import_module(module_name), attribute)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kg")
def main() -> None:
    """Build, query and view knowledge graphs of machine-learning papers."""
