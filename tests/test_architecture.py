"""Each list has one source, and what is written twice is checked to agree: the file's shape
(dataformat.py) and the model (model.py), answer types and their renderers, name-taking commands
and completion, exit codes and the README."""

from __future__ import annotations

import inspect
import re
from typing import Any

import pytest
import typer

from orgroles import dataformat, model
from orgroles.cli import app
from orgroles.completion import NAME_COMMANDS
from orgroles.exports import EXPORTERS
from orgroles.queries import authority, catalogue, detail, diff, line, search, stats
from orgroles.render.answers import sections
from orgroles.spec import Object
from orgroles.status import ExitStatus
from tests.conftest import ROOT, Invoke

SHAPES: list[tuple[Object, type, set[str]]] = [
    (dataformat.SOURCE, model.Source, set()),
    (dataformat.TERM, model.Term, set()),
    (dataformat.AUTHORITY_KIND, model.AuthorityKind, set()),
    (dataformat.GRANT, model.Grant, {"text", "details"}),  # a conferred grant has no wording
    (dataformat.AUTHORITY, model.Grant, set()),
    (dataformat.ITEM, model.Item, set()),
    (dataformat.FUNCTION, model.Function, set()),
    (dataformat.COUNT.long, model.Count, set()),
    (dataformat.ROLE, model.Role, set()),
    (dataformat.POST, model.Post, set()),
    (dataformat.UNIT, model.Unit, set()),
    (dataformat.MEMBER.long, model.Member, set()),
    (dataformat.FORUM, model.Forum, set()),
    (dataformat.RELATION, model.Relation, set()),
    (dataformat.PRINCIPLE, model.Principle, set()),
    (dataformat.SCORECARD, model.Scorecard, set()),
    (dataformat.SKETCH, model.Sketch, set()),
    (dataformat.META, model.Meta, set()),
    (dataformat.VOCABULARY, model.Vocabulary, set()),
    (dataformat.ORGANISATION, model.Org, {"file", "warnings"}),  # not in the file
]


@pytest.mark.parametrize(("spec", "cls", "extra"), SHAPES, ids=lambda v: getattr(v, "__name__", ""))
def test_every_field_of_the_format_is_in_the_model_and_back(
    spec: Object, cls: type, extra: set[str]
) -> None:
    in_file = {"from_" if k == "from" else k for k in spec.fields} - {"format"}
    in_model = set(cls._fields)  # type: ignore[attr-defined]
    assert in_file == in_model - extra, f"{cls.__name__}: add the field to both places"


def _answer_types() -> list[type]:
    found = []
    for module in (authority, catalogue, detail, diff, line, search, stats):
        for name, obj in vars(module).items():
            if (
                inspect.isclass(obj)
                and obj.__module__ == module.__name__
                and (name.endswith("Answer") or name in ("AuthorityMatrix", "Detail"))
            ):
                found.append(obj)
    return found


@pytest.mark.parametrize("answer_type", _answer_types(), ids=lambda t: t.__name__)
def test_every_answer_type_has_a_text_rendering(answer_type: type) -> None:
    if answer_type is line.TreeAnswer:  # drawn as a tree (render/tree.py), not as tables
        return
    assert sections.dispatch(answer_type) is not sections.registry[object], answer_type


def test_queries_take_no_language() -> None:
    """Language is presentation: no function of the query layer takes ``lang``; answers hold
    both languages and render/ picks the words (docs: the shared design, issue 11)."""
    import ast

    found = []
    for path in sorted((ROOT / "orgroles" / "queries").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                names = [a.arg for a in (*node.args.args, *node.args.kwonlyargs)]
                if "lang" in names or "language" in names:
                    found.append(f"{path.name}:{node.lineno} {node.name}")
    assert found == []


def _commands() -> dict[str, Any]:
    group = typer.main.get_command(app)
    return dict(group.commands)  # type: ignore[attr-defined]


def _completes_names(param: Any) -> bool:
    """Tell whether a parameter completes with ``cli._complete_names`` (Typer wraps a copy)."""
    wrapper = getattr(param, "_custom_shell_complete", None)
    cells = getattr(wrapper, "__closure__", None) or ()
    return any(
        getattr(c.cell_contents, "__qualname__", "") == "_complete_names"
        and c.cell_contents.__module__ == "orgroles.cli"
        for c in cells
    )


def test_completion_knows_every_command_that_takes_names() -> None:
    taking = {
        name
        for name, command in _commands().items()
        for param in command.params
        if _completes_names(param)
    }
    assert taking == NAME_COMMANDS


def test_the_exit_codes_are_the_readmes() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = re.search(r"### Exit codes\n\n(.*?)\n\n", readme, flags=re.S)
    assert table is not None
    codes = {int(m) for m in re.findall(r"^\| (\d+) \|", table.group(1), flags=re.M)}
    assert codes == {int(s) for s in ExitStatus}


def test_export_formats_come_from_one_registry(invoke: Invoke) -> None:
    result = invoke("export", "--help")
    assert all(name in result.stdout for name in EXPORTERS)
    result = invoke("export", "-f", "DOT", "--line-only")
    assert result.exit_code == 0 and result.stdout.startswith("digraph")
    result = invoke("export", "-f", "pdf")
    assert result.exit_code == 2 and "expected one of dot, mermaid" in result.stderr


@pytest.mark.parametrize(
    ("given", "first"),
    [("EN", "chief"), ("no", "rådmann"), ("nob", "rådmann"), ("NB", "rådmann"), ("eng", "chief")],
)
def test_lang_takes_the_codes_people_type(invoke: Invoke, given: str, first: str) -> None:
    result = invoke("tree", "--depth", "0", "--lang", given)
    assert result.exit_code == 0 and result.stdout.startswith(first)


def test_an_unknown_language_is_a_usage_error(invoke: Invoke) -> None:
    result = invoke("tree", "--lang", "de")
    assert result.exit_code == 2 and "expected nb or en" in result.stderr
