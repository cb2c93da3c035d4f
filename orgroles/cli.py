"""The command-line interface: parse arguments, call one query, render, print, exit.

Heavy libraries (networkx, PyYAML, Rich tables) are imported inside the commands that need
them, so ``--help`` and ``--version`` start fast. Domain errors become one line each on stderr
and exit code 1 (in ``_Group.invoke``); usage errors stay Typer's exit code 2.
"""

import contextlib
import functools
import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from orgroles import __version__
from orgroles.argv import hoist_globals
from orgroles.errors import OrgrolesError, OutputError
from orgroles.exports import EXPORTERS
from orgroles.model import Lang
from orgroles.status import ExitStatus, flushed, output_failed, silence_stdout, write_answer

if TYPE_CHECKING:
    from orgroles.index import OrgIndex


def _env(ctx: Any) -> Any:
    """Return the output environment of this run (``orgroles.render.output.Environment``)."""
    settings = getattr(ctx, "obj", None)
    env = getattr(settings, "env", None)
    if env is None:
        from orgroles.render.output import Environment

        env = Environment.from_process()
    return env


def _stderr(ctx: Any, lines: list[str]) -> None:
    """Say ``lines`` on stderr; with stderr closed or full, nothing can be said (the exit
    status still tells)."""
    from orgroles.render.output import complain

    with contextlib.suppress(OrgrolesError, OSError, ValueError):
        complain(_env(ctx), lines)


class _Group(TyperGroup):
    """The one place where errors become exit codes.

    A domain error (``OrgrolesError``) becomes one line per problem on stderr and exit code 1;
    Ctrl-C exits 130 and a closed pipe 141, both silently; any other exception is a bug: one
    line naming its type (no message, no data, no locals) and exit code 70, or the full
    traceback with ``--debug``. Typer's own exceptions (usage errors, exits) pass through.
    """

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, hoist_globals(args))
        except BrokenPipeError:  # the top-level help after an option (Click would exit 1)
            silence_stdout()
            raise typer.Exit(ExitStatus.BROKEN_PIPE) from None

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except OutputError as exc:
            silence_stdout()
            _stderr(ctx, exc.lines())
            raise typer.Exit(ExitStatus.OUTPUT) from None
        except OrgrolesError as exc:
            _stderr(ctx, exc.lines())
            raise typer.Exit(ExitStatus.PROBLEM) from None
        except KeyboardInterrupt:
            raise typer.Exit(ExitStatus.INTERRUPTED) from None
        except BrokenPipeError:
            silence_stdout()
            raise typer.Exit(ExitStatus.BROKEN_PIPE) from None
        except OSError as exc:
            if not _is_output_failure(exc) or _debug(ctx):
                raise
            raise typer.Exit(output_failed(exc)) from None  # (Click's help to a full disk)
        except Exception as exc:
            if type(exc).__module__.split(".")[0] == "typer" or _debug(ctx):
                raise
            _stderr(
                ctx,
                [
                    f"internal error ({type(exc).__name__}): this is a bug in orgroles; "
                    "run again with --debug for the traceback"
                ],
            )
            raise typer.Exit(ExitStatus.INTERNAL) from None


def _is_output_failure(exc: OSError) -> bool:
    """Whether an error that reached the CLI unconverted is Click's own writing failing (its
    help or usage text to a full disk): every other error is converted where it happens."""
    import errno

    failing = {errno.ENOSPC, errno.EIO, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)}
    return exc.filename is None and exc.errno in failing


def _debug(ctx: Any) -> bool:
    settings = getattr(ctx, "obj", None)
    return bool(getattr(settings, "debug", False)) or os.environ.get("ORGROLES_DEBUG") == "1"


app = typer.Typer(
    name="orgroles",
    cls=_Group,
    help="Answer questions about an organisation's leadership structure from one YAML file.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,
)


class Settings:
    """What the top-level options chose, and where output goes, handed to every command."""

    def __init__(
        self,
        data: Path | None,
        use_cache: bool = True,
        debug: bool = False,
        env: Any = None,
        no_people: bool = False,
    ) -> None:
        self.data = data
        self.no_people = no_people
        self.use_cache = use_cache
        self.debug = debug
        self.env = env
        self.ix: OrgIndex | None = None  # the index, once a command has built it


def _version(value: bool) -> None:
    if value:
        write_answer(f"orgroles {__version__}\n")
        raise typer.Exit()


@app.callback()
def _main(
    ctx: typer.Context,
    data: Annotated[
        Path | None,
        typer.Option(
            "--data",
            envvar="ORGROLES_DATA",
            help="Organisation file to use instead of the bundled one, - for stdin (also "
            "$ORGROLES_DATA). Goes before or after the command.",
            show_default=False,
        ),
    ] = None,
    no_cache: Annotated[
        bool,
        typer.Option("--no-cache", help="Parse and check the file even if it is cached."),
    ] = False,
    debug: Annotated[
        bool,
        typer.Option("--debug", help="Show the full traceback of an internal error."),
    ] = False,
    no_people: Annotated[
        bool,
        typer.Option(
            "--no-people",
            envvar="ORGROLES_NO_PEOPLE",
            help="Leave out who holds the posts (names, e-mails, HR ids): publish the "
            "structure without personal data (also $ORGROLES_NO_PEOPLE=1).",
        ),
    ] = False,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Answer questions about an organisation's leadership structure from one YAML file.

    The bundled data is the leadership model of Bærum kommune (slide deck of 14.12.11).
    """
    from orgroles.render.output import Environment

    given = ctx.obj if isinstance(ctx.obj, Environment) else None  # tests hand one in
    ctx.obj = Settings(
        data=data,
        use_cache=not no_cache,
        debug=debug,
        env=given or Environment.from_process(),
        no_people=no_people,
    )


JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON document.")]
LangOption = Annotated[
    str,
    typer.Option(
        "--lang", envvar="ORGROLES_LANG", help="Language of names: nb or en.", metavar="nb|en"
    ),
]


LANGUAGES: dict[str, Lang] = {"nb": "nb", "no": "nb", "nob": "nb", "en": "en", "eng": "en"}


def _lang(value: str) -> Lang:
    """Return ``nb`` or ``en`` for the codes people type (``NB``, ``no``, ``nob``, ``EN``)."""
    lang = LANGUAGES.get(value.strip().lower())
    if lang is None:
        raise typer.BadParameter(f"expected nb or en, got {value!r}", param_hint="--lang")
    return lang


def _data_path(ctx: typer.Context) -> tuple[Path, str]:
    settings: Settings = ctx.obj
    if settings.data is not None:
        return settings.data, str(settings.data)
    from orgroles.bundled import bundled_data_path

    path = bundled_data_path()
    return path, str(path)


def _load(ctx: typer.Context, file: Path | None = None) -> Any:
    from orgroles.load import load_bytes, load_org
    from orgroles.model import without_people

    path, shown = (file, str(file)) if file is not None else _data_path(ctx)
    settings: Settings = ctx.obj
    _no_collector()  # (before loading: a collection between its steps walks all it made)
    if shown == "-":  # the organisation on stdin
        org = load_bytes(sys.stdin.buffer.read(), "<stdin>", use_cache=settings.use_cache)
    else:
        org = load_org(path, display_name=shown, use_cache=settings.use_cache)
    if settings.no_people:
        org = without_people(org)
    return org


def _no_collector() -> None:
    """One question, then the process ends: the cyclic collector would only walk the
    organisation's millions of acyclic objects again and again (several seconds at 1M).
    Not when the CLI runs inside another program (tests, a fuzzer): it would keep every
    cycle of every run alive."""
    if _ONE_SHOT:
        import gc

        gc.disable()
        gc.freeze()


def _write(ctx: typer.Context, text: str) -> None:
    from orgroles.render.output import write

    write(_env(ctx), text)


def _write_file(
    path: Path, text: str | bytes | Iterable[str] | Iterable[bytes], force: bool
) -> None:
    from orgroles.render.files import write_file

    write_file(path, text, force)


def _emit(ctx: typer.Context, answer: Any, json_out: bool, lang: Lang) -> None:
    from orgroles.render.output import emit

    emit(_env(ctx), answer, json_out, lang)
    _note_readings(ctx)


def _output_path(value: str) -> Path | None:
    """``-o``: a file (``-`` or a name of stdout: stdout, as ``import csv`` reads ``-`` as stdin);
    a path ending in a slash (or ``.``, ``..``) names a folder, never the file of that name
    (the slash would be lost in a Path)."""
    if value == "-" or _is_stdout(value):
        return None
    if not value:
        raise typer.BadParameter("an empty name; give a file name")
    if value.endswith(("/", os.sep)) or os.path.basename(value) in (".", ".."):
        raise typer.BadParameter(f"{value!r} names a folder; give a file name in it")
    return Path(value)


def _is_stdout(value: str) -> bool:
    """Tell whether a path names this process's stdout (/dev/stdout, /dev/fd/1, the file or
    pipe it was redirected to): written there as stdout, not replaced by a new file."""
    try:
        named, out = os.stat(value), os.fstat(1)
    except (OSError, ValueError):
        return False
    return (named.st_dev, named.st_ino) == (out.st_dev, out.st_ino)


OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="Write to this file instead of stdout (whole or not at all; - for stdout).",
        show_default=False,
        metavar="FILE",
        parser=_output_path,
    ),
]
ForceOption = Annotated[
    bool, typer.Option("--force", help="Overwrite --output if it is an existing file.")
]

MaxSpanOption = Annotated[
    int | None,
    typer.Option(
        "--max-span",
        min=1,
        help="The widest span of control allowed (default: the file's meta.max_span, if any).",
        show_default=False,
    ),
]


@app.command()
def validate(
    ctx: typer.Context,
    file: Annotated[
        Path | None,
        typer.Argument(
            help="The file to check (default: --data, else the bundled data); - for stdin.",
            show_default=False,
        ),
    ] = None,
    json_out: JsonOption = False,
    strict: Annotated[
        bool,
        typer.Option(
            "--strict", help="Fail on warnings too (dubious lines, spans above --max-span)."
        ),
    ] = False,
    max_span: MaxSpanOption = None,
) -> None:
    """Check the data file; report every problem with FILE:LINE:COL.

    Example: orgroles validate our-org.yaml
    """
    from orgroles.render.text import printable

    # The counts and warnings come from the store; spans need the whole organisation.
    org = _load(ctx, file) if strict or max_span is not None else _index(ctx, True, file).org
    if org.meta.max_span is not None and not strict and max_span is None:
        org = _load(ctx, file)
    warnings = [f"{org.file}:{row}:{col}: warning: {text}" for row, col, text in org.warnings]
    if strict or max_span is not None or org.meta.max_span is not None:
        from orgroles.index import build_index
        from orgroles.queries.stats import statistics

        answer = statistics(build_index(org), max_span=max_span)
        over = [s.id for s in answer.spans if s.over_limit]
        places = _locate_entries(org, file, over) if over else {}
        warnings += [
            f"{org.file}{places.get(node, '')}: warning: {text}"
            for node, text in zip(over, answer.warnings, strict=True)
        ]
    if warnings and strict:
        raise OrgrolesError("\n".join(w.replace(": warning: ", ": ", 1) for w in warnings))
    if warnings:
        _stderr(ctx, warnings)
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

        _write(ctx, to_json(summary, indent=_env(ctx).rich))
        return
    _write(
        ctx,
        f"{printable(org.file)}: valid ("
        + ", ".join(
            f"{summary[key]} {key if summary[key] != 1 else key[:-1]}"
            for key in ("roles", "posts", "units", "forums", "relations")
        )
        + ")\n",
    )


def _locate_entries(org: Any, file: Path | None, ids: list[str]) -> dict[str, str]:
    """Return ``:LINE:COL`` of the roles and posts ``ids`` in the file (read again: the cache
    keeps no positions); nothing for data that came on stdin."""
    if org.file in ("<stdin>", "-"):
        return {}
    from orgroles.load import locate, read_bytes
    from orgroles.yamlread import read_tree

    where = {r.id: ("roles", i) for i, r in enumerate(org.roles)}
    where |= {p.id: ("posts", i) for i, p in enumerate(org.posts)}
    tree = read_tree(read_bytes(Path(org.file) if file is None else file), org.file)
    out = {}
    for node in ids:
        if node in where:
            line, column = locate(tree, (*where[node], "id"))
            out[node] = f":{line}:{column}"
    return out


def _index(ctx: typer.Context, few_rows: bool = False, file: Path | None = None) -> "OrgIndex":
    """Return the lookups of the data file (or ``file``). ``few_rows``: the command reads a
    few rows (one post's line, one name, the counts), so the indexed store serves it
    (``orgroles.storeindex``) instead of the whole organisation in memory."""
    path, shown = (file, str(file)) if file is not None else _data_path(ctx)
    settings: Settings = ctx.obj
    if few_rows and shown != "-" and settings.use_cache:
        from orgroles.load import open_index

        _no_collector()  # (when the store cannot answer, the organisation is loaded here)
        ix = open_index(path, shown, people=not settings.no_people)
    else:
        from orgroles.index import build_index

        ix = build_index(_load(ctx, file))
    ctx.obj.ix = ix  # for the notes on how names were read (_note_readings)
    return ix


def _note_readings(ctx: typer.Context) -> None:
    """Say on stderr how a name that was not written so in the data was read."""
    ix = getattr(ctx.obj, "ix", None)
    if ix is None:
        return
    notes = []
    for name, id_ in ix.readings():
        shown = ix.label(id_, "nb")
        target = id_ if shown == id_ else f"{shown} ({id_})"
        notes.append(f"note: read {name!r} as {target}")
    if notes:
        _stderr(ctx, list(dict.fromkeys(notes)))


def _completion_index(ctx: typer.Context) -> Any:
    """Load the data the command line names (``--data``, else $ORGROLES_DATA, else bundled)."""
    from orgroles.completion import load_index

    root = ctx.find_root()
    data = root.params.get("data") or os.environ.get("ORGROLES_DATA")
    return load_index(
        str(data) if data else None,
        use_cache=not root.params.get("no_cache"),
        people=not root.params.get("no_people"),
    )


def _complete_names(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Complete role, post, unit and forum ids (Typer offers only those starting so)."""
    from orgroles.completion import names_for

    ix = _completion_index(ctx)
    return names_for(ix, incomplete) if ix is not None else []


def _complete_kinds(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Complete authority-kind ids, with their Norwegian names."""
    from orgroles.completion import kinds_for

    ix = _completion_index(ctx)
    return kinds_for(ix, incomplete) if ix is not None else []


def _complete_formats(incomplete: str) -> list[tuple[str, str]]:
    return [(e.name, e.reader) for e in EXPORTERS.values() if e.name.startswith(incomplete)]


BIG_TREE_POSTS = 1000
BIG_TREE_DEPTH = 3

NameArgument = Annotated[
    str,
    typer.Argument(
        help="A role, post, unit or forum, as you say it.", autocompletion=_complete_names
    ),
]
NamesArgument = Annotated[
    list[str],
    typer.Argument(
        help="Roles or posts, as you say them; several, or - to read one per line from stdin.",
        show_default=False,
        autocompletion=_complete_names,
    ),
]


def _read_names(values: list[str]) -> tuple[list[str], bool]:
    """Return the names asked about and whether the answer is a list (several, or stdin)."""
    if values == ["-"]:
        try:
            text = sys.stdin.buffer.read().decode("utf-8")
        except UnicodeDecodeError as exc:
            from orgroles.errors import OrgrolesError

            raise OrgrolesError(f"stdin: not valid UTF-8 (byte {exc.start + 1})") from None
        return [line.strip() for line in text.splitlines() if line.strip()], True
    return values, len(values) > 1


def _emit_all(
    ctx: typer.Context, answers: list[Any], many: bool, json_out: bool, lang: Lang
) -> None:
    from orgroles.render.output import emit_all

    emit_all(_env(ctx), answers, many, json_out, lang)
    _note_readings(ctx)


@app.command()
def tree(
    ctx: typer.Context,
    name: Annotated[
        str | None,
        typer.Argument(
            help="Start from this role, post or unit (default: the top).",
            autocompletion=_complete_names,
        ),
    ] = None,
    depth: Annotated[
        int | None,
        typer.Option(
            "--depth",
            min=0,
            help=f"Show at most this many levels below (default: all; {BIG_TREE_DEPTH} for "
            f"organisations of more than {BIG_TREE_POSTS:,} posts).",
        ),
    ] = None,
    json_out: JsonOption = False,
    lang: LangOption = "nb",
) -> None:
    """Show the reporting line as a tree, with counts and slides.

    Example: orgroles tree kommunalsjef --depth 1
    """
    language = _lang(lang)
    from orgroles.queries.line import line_tree

    ix = _index(ctx, few_rows=True)  # the store keeps the layout: a row read per row shown
    if depth is None and len(ix.org.posts) > BIG_TREE_POSTS:
        depth = BIG_TREE_DEPTH  # a readable overview; the rows say how much is left out
    _emit(ctx, line_tree(ix, name=name, depth=depth), json_out, language)


@app.command("who-reports-to")
def who_reports_to(
    ctx: typer.Context,
    names: NamesArgument,
    all_levels: Annotated[
        bool, typer.Option("--all", help="Every level below, not just direct.")
    ] = False,
    json_out: JsonOption = False,
    lang: LangOption = "nb",
) -> None:
    """Who reports to a role or post (directly, or --all levels below).

    Example: orgroles who-reports-to kommunalsjef
    """
    language = _lang(lang)
    from orgroles.queries.line import who_reports_to as query

    asked, many = _read_names(names)
    ix = _index(ctx, few_rows=True)
    if any(ix.large_answer(name, all_levels) for name in asked):
        ix = _index(ctx)  # a large part of the organisation: faster from memory
    answers = [query(ix, name, all_levels=all_levels) for name in asked]
    _emit_all(ctx, answers, many, json_out, language)


@app.command("reports-to")
def reports_to(
    ctx: typer.Context,
    names: NamesArgument,
    json_out: JsonOption = False,
    lang: LangOption = "nb",
) -> None:
    """The line upward from a role or post to the top and the political level.

    Example: orgroles reports-to tjenesteleder
    """
    language = _lang(lang)
    from orgroles.queries.line import reports_to as query

    asked, many = _read_names(names)
    ix = _index(ctx, few_rows=True)
    answers = [query(ix, name) for name in asked]
    _emit_all(ctx, answers, many, json_out, language)


@app.command()
def show(
    ctx: typer.Context,
    names: NamesArgument,
    json_out: JsonOption = False,
    lang: LangOption = "nb",
) -> None:
    """Everything about a role, post, unit or forum, each fact with its slide.

    Example: orgroles show kommunalsjef
    """
    language = _lang(lang)
    asked, many = _read_names(names)
    ix = _index(ctx, few_rows=True)
    _emit_all(ctx, [_show_one(ix, name) for name in asked], many, json_out, language)


def _show_one(ix: Any, name: str) -> Any:
    """Answer ``show`` for one name: an entity, or else an authority kind of that name (a
    kind's own name wins over a word inside a longer entity name)."""
    from orgroles.errors import UnknownNameError
    from orgroles.queries.detail import show as query

    try:
        ix.resolve(name, by_words=False)
    except UnknownNameError:
        if ix.is_kind_name(name):
            from orgroles.queries.authority import authority_holders

            return authority_holders(ix, name)
    return query(ix, name)


@app.command()
def roles(ctx: typer.Context, json_out: JsonOption = False, lang: LangOption = "nb") -> None:
    """Every role with its count and line superior.

    Example: orgroles roles --lang en
    """
    language = _lang(lang)
    from orgroles.queries.catalogue import roles as query

    answer = query(_index(ctx))
    _emit(ctx, answer, json_out, language)


@app.command()
def areas(ctx: typer.Context, json_out: JsonOption = False, lang: LangOption = "nb") -> None:
    """The programme areas, each with its kommunalsjef.

    Example: orgroles areas
    """
    language = _lang(lang)
    from orgroles.queries.catalogue import units as query

    answer = query(_index(ctx), kinds=("programme_area",), listing="areas")
    _emit(ctx, answer, json_out, language)


@app.command()
def units(ctx: typer.Context, json_out: JsonOption = False, lang: LangOption = "nb") -> None:
    """The units other than programme areas (the support units), with head and director.

    Example: orgroles units
    """
    language = _lang(lang)
    from orgroles.queries.catalogue import units as query

    answer = query(_index(ctx), exclude=("programme_area",))
    _emit(ctx, answer, json_out, language)


@app.command()
def authority(
    ctx: typer.Context,
    kind: Annotated[
        str | None,
        typer.Argument(
            help="An authority kind: an id, Norwegian word or English alias.",
            autocompletion=_complete_kinds,
        ),
    ] = None,
    json_out: JsonOption = False,
    lang: LangOption = "nb",
) -> None:
    """Who holds which responsibility and authority (a matrix, or the holders of one KIND).

    Example: orgroles authority budget
    """
    language = _lang(lang)

    ix = _index(ctx)
    if kind is None:
        from orgroles.queries.authority import authority_matrix

        matrix = authority_matrix(ix)
        _emit(ctx, matrix, json_out, language)
        return
    from orgroles.queries.authority import authority_holders

    answer = authority_holders(ix, kind)
    _emit(ctx, answer, json_out, language)


@app.command()
def forums(ctx: typer.Context, json_out: JsonOption = False, lang: LangOption = "nb") -> None:
    """Forums, bodies and outside parties, with who takes part.

    Example: orgroles forums
    """
    language = _lang(lang)
    from orgroles.queries.catalogue import forums as query

    answer = query(_index(ctx))
    _emit(ctx, answer, json_out, language)


@app.command()
def principles(ctx: typer.Context, json_out: JsonOption = False, lang: LangOption = "nb") -> None:
    """The principles, the scorecard (målekartet) and the organisation sketch.

    Example: orgroles principles --lang en
    """
    language = _lang(lang)
    from orgroles.queries.catalogue import principles as query

    answer = query(_index(ctx))
    _emit(ctx, answer, json_out, language)


@app.command()
def search(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help="Text to look for (case and æøå spelling ignored).")],
    json_out: JsonOption = False,
    lang: LangOption = "nb",
) -> None:
    """Search names, functions, authorities, tasks and principles in both languages.

    Example: orgroles search resultatavtale
    """
    language = _lang(lang)
    from orgroles.names import words

    if not text.strip():
        raise typer.BadParameter("give a word to look for", param_hint="TEXT")
    if not words(text):  # "_", "'", a lone accent: nothing to look for
        raise typer.BadParameter(
            f"{text!r} has no letters or digits to look for", param_hint="TEXT"
        )
    from orgroles.queries.search import search as query

    answer = query(_index(ctx), text)
    _emit(ctx, answer, json_out, language)


@app.command()
def common(
    ctx: typer.Context,
    first: NameArgument,
    second: NameArgument,
    json_out: JsonOption = False,
    lang: LangOption = "nb",
) -> None:
    """Where two lines meet: the nearest common superior and each side's path to it.

    Example: orgroles common tjenesteleder enhetssjef
    """
    language = _lang(lang)
    from orgroles.queries.line import common as query

    answer = query(_index(ctx, few_rows=True), first, second)
    _emit(ctx, answer, json_out, language)


@app.command()
def stats(
    ctx: typer.Context,
    max_span: MaxSpanOption = None,
    every_row: Annotated[
        bool,
        typer.Option(
            "--all",
            help="List every span, warning and vacancy (over 30, the table shows the "
            "20 widest spans, the first 20 of the others; --json always lists all).",
        ),
    ] = False,
    json_out: JsonOption = False,
    lang: LangOption = "nb",
) -> None:
    """Levels, leaders per level, spans of control, authorities per role.

    Example: orgroles stats --max-span 12
    """
    language = _lang(lang)
    from orgroles.queries.stats import statistics
    from orgroles.render.answers import StatsView

    # The store keeps the measurements: a million spans are read, not computed.
    answer = statistics(_index(ctx, few_rows=True), max_span=max_span)
    if ctx.obj.no_people:  # the holders were left out: how many posts had one is not known
        answer = answer._replace(held=None)
    _emit(ctx, answer if json_out else StatsView(answer, every_row), json_out, language)


@app.command()
def diff(
    ctx: typer.Context,
    old: Annotated[str, typer.Argument(help="The old organisation: a file, or REV:PATH in git.")],
    new: Annotated[str, typer.Argument(help="The new organisation: a file, or REV:PATH in git.")],
    json_out: JsonOption = False,
    lang: LangOption = "nb",
) -> None:
    """What a reorganisation changes; exit 0 if nothing, 1 if something, 2 on trouble.

    Example: orgroles diff HEAD~1:data/roles.yaml data/roles.yaml
    """
    language = _lang(lang)
    from orgroles.index import build_index
    from orgroles.load import load_spec
    from orgroles.model import without_people
    from orgroles.queries.diff import compare

    settings: Settings = ctx.obj
    try:
        before_org = load_spec(old, use_cache=settings.use_cache)
        after_org = load_spec(new, use_cache=settings.use_cache)
        if settings.no_people:
            before_org, after_org = without_people(before_org), without_people(after_org)
        before, after = build_index(before_org), build_index(after_org)
    except OrgrolesError as exc:  # like diff(1): trouble is 2, differences are 1
        _stderr(ctx, exc.lines())
        raise typer.Exit(ExitStatus.USAGE) from None
    answer = compare(before, after, old, new)
    _emit(ctx, answer, json_out, language)
    raise typer.Exit(ExitStatus.PROBLEM if answer.changes else ExitStatus.OK)


import_app = typer.Typer(
    name="import",
    help="Import an organisation from another system's export.\n\nExample: orgroles import csv "
    "hr-export.csv -o our-org.yaml",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(import_app, name="import")


@import_app.command("csv")
def import_csv(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(
            help="The CSV file (one row per post or person); - for stdin.", show_default=False
        ),
    ],
    output: OutputOption = None,
    force: ForceOption = False,
    id_col: Annotated[
        str | None,
        typer.Option("--id-col", help="Column of ids (name or number).", show_default=False),
    ] = None,
    manager_col: Annotated[
        str | None,
        typer.Option("--manager-col", help="Column of the manager's id.", show_default=False),
    ] = None,
    title_col: Annotated[
        str | None, typer.Option("--title-col", help="Column of titles.", show_default=False)
    ] = None,
    role_col: Annotated[
        str | None,
        typer.Option("--role-col", help="Column of roles (optional).", show_default=False),
    ] = None,
    unit_col: Annotated[
        str | None,
        typer.Option("--unit-col", help="Column of units (optional).", show_default=False),
    ] = None,
    area_col: Annotated[
        str | None,
        typer.Option(
            "--area-col", help="Column of programme areas (optional).", show_default=False
        ),
    ] = None,
    name_col: Annotated[
        str | None,
        typer.Option(
            "--name-col",
            help="Column of the holders' names (optional; a person, never a title).",
            show_default=False,
        ),
    ] = None,
    encoding: Annotated[
        str | None,
        typer.Option(
            "--encoding",
            help="The file's encoding (default: UTF-8, else Windows-1252).",
            show_default=False,
        ),
    ] = None,
    delimiter: Annotated[
        str | None,
        typer.Option(
            "--delimiter",
            help="The delimiter (default: sniffed among , ; tab |).",
            show_default=False,
        ),
    ] = None,
    lang: Annotated[
        str,
        typer.Option(
            "--lang", help="The language of the export's texts: nb or en.", metavar="nb|en"
        ),
    ] = "nb",
) -> None:
    """Turn an HR system's CSV export into an organisation file in our format.

    Example: orgroles import csv hr-export.csv --manager-col leder_id -o our-org.yaml
    """
    from orgroles.csvimport import Columns
    from orgroles.csvimport import import_csv as convert
    from orgroles.load import read_bytes

    columns = Columns(id_col, manager_col, title_col, role_col, unit_col, area_col, name_col)
    language = _lang(lang)
    if str(file) == "-":  # the export on stdin
        raw, shown = sys.stdin.buffer.read(), "<stdin>"
    else:
        raw, shown = read_bytes(file), str(file)
    text = convert(raw, shown, columns, encoding, delimiter, language)
    if output is None:
        _write(ctx, text)
    else:
        _write_file(output, text, force)


@app.command()
def export(
    ctx: typer.Context,
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help=", ".join(EXPORTERS) + " (see docs/exports.md).",
            metavar="FORMAT",
            autocompletion=_complete_formats,
        ),
    ],
    output: OutputOption = None,
    line_only: Annotated[
        bool,
        typer.Option(
            "--line-only",
            help=", ".join(e.name for e in EXPORTERS.values() if e.line_only)
            + ": only posts, classes and the line.",
        ),
    ] = False,
    force: ForceOption = False,
    lang: LangOption = "nb",
) -> None:
    """Export the organisation for Graphviz, Mermaid, yEd, Gephi, linked data or spreadsheets.

    Example: orgroles export --format dot -o org.dot
    """
    language = _lang(lang)
    from orgroles.exports import export_chunks as render

    chosen = fmt.strip().lower()
    if chosen not in EXPORTERS:
        raise typer.BadParameter(
            f"expected one of {', '.join(EXPORTERS)}; got {fmt!r}", param_hint="--format"
        )
    if EXPORTERS[chosen].binary and output is None:
        raise typer.BadParameter(
            f"{chosen} is a database file, not text: give -o FILE", param_hint="--output"
        )
    text = render(_index(ctx), chosen, language, line_only=line_only)
    if output is None:  # (a binary format was refused above)
        for chunk in text:
            assert isinstance(chunk, str)
            _write(ctx, chunk)
        return
    _write_file(output, text, force)


@app.command()
def init(
    ctx: typer.Context,
    output: OutputOption = None,
    template: Annotated[
        str,
        typer.Option("--template", help="company or municipality.", metavar="company|municipality"),
    ] = "company",
    force: ForceOption = False,
    lang: LangOption = "nb",
) -> None:
    """Write a commented starter file for your own organisation (it validates as it is).

    Example: orgroles init -o our-org.yaml --lang en
    """
    language = _lang(lang)
    from orgroles.starter import TEMPLATES, starter

    chosen = template.strip().lower()
    if chosen not in TEMPLATES:
        raise typer.BadParameter(
            f"expected one of {', '.join(TEMPLATES)}; got {template!r}", param_hint="--template"
        )
    text = starter(chosen, language)
    if output is None:
        _write(ctx, text)
        return
    _write_file(output, text, force)


@app.command()
def schema(ctx: typer.Context) -> None:
    """Print the JSON Schema of the data format.

    Example: orgroles schema > roles.schema.json
    """
    import json

    from orgroles.dataformat import json_schema

    _write(ctx, json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n")


# --- delegation (docs/data-format.md#delegations) -------------------------------------------


def _complete_who(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Complete the WHO of ``can`` (Typer's own path: its second argument is a kind)."""
    from orgroles.completion import names_for

    ix = _completion_index(ctx)
    return names_for(ix, incomplete) if ix is not None else []


CAN_EXIT = {"yes": ExitStatus.OK, "no": ExitStatus.PROBLEM, "not_stated": ExitStatus.NOT_STATED}


@app.command()
def can(
    ctx: typer.Context,
    who: Annotated[
        str,
        typer.Argument(
            help="A role, post, unit or body, as you say it.", autocompletion=_complete_who
        ),
    ],
    kind: Annotated[
        str,
        typer.Argument(
            help="A power (authority kind): an id, Norwegian word or English alias.",
            autocompletion=_complete_kinds,
        ),
    ],
    amount: Annotated[
        str | None,
        typer.Option(
            "--amount",
            help="The case's amount, in whole units: 5000000, 5 000 000, 5,000,000 or 5.000.000.",
            show_default=False,
        ),
    ] = None,
    currency: Annotated[
        str | None,
        typer.Option(
            "--currency",
            help="The amount's currency (needed only where limits use several).",
            show_default=False,
        ),
    ] = None,
    category: Annotated[
        str | None,
        typer.Option("--category", help="The case's category of the kind.", show_default=False),
    ] = None,
    scope: Annotated[
        str | None, typer.Option("--scope", help="The case's scope.", show_default=False)
    ] = None,
    json_out: JsonOption = False,
    lang: LangOption = "nb",
) -> None:
    """May a role or post decide this? Exit 0 yes, 1 no, 3 not stated, 2 on trouble.

    Example: orgroles can rektor innkjop --amount 150000
    """
    language = _lang(lang)
    from orgroles.delegation import parse_amount, parse_currency
    from orgroles.queries.delegation import can as query

    try:
        whole = parse_amount(amount, language) if amount is not None else None
        code = parse_currency(currency, language) if currency is not None else None
        ix = _index(ctx, few_rows=True)
        answer = query(ix, who, kind, whole, category, scope, code)
    except OrgrolesError as exc:  # a script tells trouble (2) from a "no" (1)
        _stderr(ctx, exc.lines())
        raise typer.Exit(ExitStatus.USAGE) from None
    _emit(ctx, answer, json_out, language)
    raise typer.Exit(CAN_EXIT[answer.answer])


@app.command()
def delegation(
    ctx: typer.Context,
    kind: Annotated[
        str | None,
        typer.Argument(
            help="Only the chains of this power (authority kind).", autocompletion=_complete_kinds
        ),
    ] = None,
    json_out: JsonOption = False,
    lang: LangOption = "nb",
) -> None:
    """Every chain of delegation as a tree from the body (or law) at the top.

    Example: orgroles delegation innkjop
    """
    language = _lang(lang)
    from orgroles.queries.delegation import delegation_chains

    _emit(ctx, delegation_chains(_index(ctx), kind), json_out, language)


_ONE_SHOT = False  # True in the console script's own process (main), never in a host's


def main() -> None:
    """Run the command-line interface (the ``orgroles`` console script)."""
    global _ONE_SHOT
    _ONE_SHOT = True
    from orgroles import load

    load.BACKGROUND_STORES = True
    try:
        app(prog_name="orgroles")  # also under ``python -m orgroles``: completion keys on it
    except SystemExit as done:
        _start_stores_and_exit(done.code)
    except OSError as exc:  # Click's own output (the top-level help) that could not be written
        if not _is_output_failure(exc):
            raise
        _start_stores_and_exit(output_failed(exc))


def _start_stores_and_exit(code: object) -> NoReturn:
    """The command is done: start the child that writes the store of the file it validated,
    if any, and end this process at once (``os._exit``, after flushing the output): Python's
    own ending would free the organisation object by object (a second at a million posts).

    Started now, not while the command runs: the two processes share the organisation's
    memory pages until either writes to one, and the command would have written to every one
    of them (reference counts, its own lookups, Python's teardown), copying them all: twice the
    memory of a large organisation, which ten million posts do not have on this machine."""
    from orgroles import load, store

    if code is None or isinstance(code, int):
        status = code or 0
    else:  # SystemExit("message"): Python prints it and exits with 1
        if sys.stderr is not None:
            with contextlib.suppress(OSError, ValueError):
                sys.stderr.write(f"{code}\n")
        status = 1
    status = flushed(status)
    for key in [pending[0] for pending in load.PENDING_STORES]:
        store.write_in_background(key, functools.partial(load.take_pending, key))
    os._exit(status)
