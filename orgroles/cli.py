"""The command-line interface: parse arguments, call one query, render, print, exit.

Heavy libraries (networkx, PyYAML, Rich tables) are imported inside the commands that need
them, so ``--help`` and ``--version`` start fast. Domain errors become one line each on stderr
and exit code 1 (in ``_Group.invoke``); usage errors stay Typer's exit code 2.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from orgroles import __version__
from orgroles.errors import OrgrolesError


class _Group(TyperGroup):
    """Turn every ``OrgrolesError`` into one line per problem on stderr and exit code 1."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except OrgrolesError as exc:
            from orgroles.render.text import printable

            for line in exc.lines():
                sys.stderr.write(f"orgroles: {printable(line)}\n")
            sys.stderr.flush()
            raise typer.Exit(1) from None


app = typer.Typer(
    name="orgroles",
    cls=_Group,
    help="Answer questions about an organisation's leadership structure from one YAML file.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,
)


@dataclass
class Settings:
    """What the top-level options chose, handed to every command."""

    data: Path | None


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"orgroles {__version__}\n")
        raise typer.Exit()


@app.callback()
def _main(
    ctx: typer.Context,
    data: Annotated[
        Path | None,
        typer.Option(
            "--data",
            envvar="ORGROLES_DATA",
            help="Organisation file to use instead of the bundled one (also $ORGROLES_DATA).",
            show_default=False,
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Answer questions about an organisation's leadership structure from one YAML file.

    The bundled data is the leadership model of Bærum kommune (slide deck of 14.12.11).
    """
    ctx.obj = Settings(data=data)


JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON document.")]
LangOption = Annotated[
    str,
    typer.Option(
        "--lang", envvar="ORGROLES_LANG", help="Language of names: nb or en.", metavar="nb|en"
    ),
]


def _lang(value: str) -> str:
    if value not in ("nb", "en"):
        raise typer.BadParameter(f"expected nb or en, got {value!r}", param_hint="--lang")
    return value


def _data_path(ctx: typer.Context) -> tuple[Path, str]:
    settings: Settings = ctx.obj
    if settings.data is not None:
        return settings.data, str(settings.data)
    from orgroles.bundled import bundled_data_path

    path = bundled_data_path()
    return path, str(path)


def _load(ctx: typer.Context) -> Any:
    from orgroles.load import load_org

    path, shown = _data_path(ctx)
    return load_org(path, display_name=shown)


def _write(text: str) -> None:
    """Write text to stdout as UTF-8, whatever the locale says."""
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.flush()


def _print_rich(renderable: Any) -> None:
    from rich.console import Console

    Console(soft_wrap=True, highlight=False, emoji=False, markup=False).print(renderable)


@app.command()
def validate(ctx: typer.Context, json_out: JsonOption = False) -> None:
    """Check the data file; report every problem with FILE:LINE:COL.

    Example: orgroles --data our-org.yaml validate
    """
    org = _load(ctx)
    summary = {
        "valid": True,
        "file": org.file,
        "roles": len(org.roles),
        "posts": len(org.posts),
        "units": len(org.units),
        "forums": len(org.forums),
        "relations": len(org.relations),
    }
    if json_out:
        from orgroles.render.jsonout import to_json

        _write(to_json(summary))
        return
    _write(
        f"{org.file}: valid ({summary['roles']} roles, {summary['posts']} posts, "
        f"{summary['units']} units, {summary['forums']} forums, "
        f"{summary['relations']} relations)\n"
    )


@app.command()
def tree(
    ctx: typer.Context,
    name: Annotated[
        str | None, typer.Argument(help="Start from this role, post or unit (default: the top).")
    ] = None,
    depth: Annotated[
        int | None, typer.Option("--depth", min=0, help="Show at most this many levels below.")
    ] = None,
    json_out: JsonOption = False,
    lang: LangOption = "nb",
) -> None:
    """Show the reporting line as a tree, with counts and slide references.

    Example: orgroles tree kommunalsjef --depth 1
    """
    language = _lang(lang)
    org = _load(ctx)
    from orgroles.graph import build_graph
    from orgroles.queries import line_tree

    answer = line_tree(org, build_graph(org), name=name, depth=depth, lang=language)
    if json_out:
        from orgroles.render.jsonout import to_json

        _write(to_json(answer))
        return
    from orgroles.render.tree import tree_renderable, tree_text

    if sys.stdout.isatty() and os.environ.get("TERM") != "dumb":
        _print_rich(tree_renderable(answer, language))
    else:
        _write(tree_text(answer, language))


@app.command()
def schema() -> None:
    """Print the JSON Schema of the data format.

    Example: orgroles schema > roles.schema.json
    """
    import json

    from orgroles.dataformat import json_schema

    _write(json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n")


def main() -> None:
    """Run the command-line interface (the ``orgroles`` console script)."""
    app()
