"""Many questions in one call: several names, or '-' for names on stdin; one JSON document."""

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import ROOT, Invoke


@pytest.mark.parametrize("command", ["who-reports-to", "reports-to", "show"])
def test_several_names_give_one_json_array(invoke: Invoke, command: str) -> None:
    result = invoke(command, "kommunalsjef", "enhetssjef_hms", "--json")
    assert result.exit_code == 0
    answers = json.loads(result.stdout)
    assert isinstance(answers, list) and len(answers) == 2


def test_one_name_gives_the_answer_object(invoke: Invoke) -> None:
    answer = json.loads(invoke("who-reports-to", "kommunalsjef", "--json").stdout)
    assert answer["target"]["id"] == "kommunalsjef"


def test_names_from_stdin(invoke: Invoke) -> None:
    names = "kommunalsjef\n\n  rådmannen  \nenhetssjef_hms\n"
    result = invoke("who-reports-to", "-", "--json", input=names)
    assert [a["target"]["id"] for a in json.loads(result.stdout)] == [
        "kommunalsjef",
        "radmann",
        "enhetssjef_hms",
    ]
    single = invoke("reports-to", "-", "--json", input="tjenesteleder\n")
    assert isinstance(json.loads(single.stdout), list), "'-' always answers with a list"


def test_one_bad_name_fails_the_whole_call_with_nothing_on_stdout(invoke: Invoke) -> None:
    result = invoke("show", "-", "--json", input="kommunalsjef\nnobody\n")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == "orgroles: unknown name 'nobody'; to look for it in every text: orgroles search nobody\n"


def test_text_output_has_one_table_per_name(invoke: Invoke) -> None:
    result = invoke("reports-to", "tjenesteleder", "enhetssjef")
    assert result.stdout.count("Linjen oppover fra") == 2


def test_show_mixes_entities_and_authority_kinds(invoke: Invoke) -> None:
    answers = json.loads(invoke("show", "radmann", "budget", "--json").stdout)
    assert answers[0]["id"] == "radmann" and answers[1]["kind"]["id"] == "budsjettansvar"


def test_invalid_utf8_on_stdin_is_a_clear_error(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "orgroles", "who-reports-to", "-"],
        input=b"kommunalsjef\n\xff\n",
        capture_output=True,
        cwd=ROOT,
        check=False,
    )
    assert (proc.returncode, proc.stdout) == (1, b"")
    assert proc.stderr == b"orgroles: stdin: not valid UTF-8 (byte 14)\n"


def test_a_thousand_questions_in_one_call(invoke: Invoke) -> None:
    names = "\n".join(["kommunalsjef", "radmann", "direktor_hr", "tjenesteleder"] * 250)
    answers = json.loads(invoke("who-reports-to", "-", "--json", input=names).stdout)
    assert len(answers) == 1000


def test_big_organisations_get_a_shallow_tree_by_default(
    invoke: Invoke, synthetic: Callable[[int, int], Path]
) -> None:
    path = synthetic(1500, 3)
    data = json.loads(invoke("--data", str(path), "tree", "--json").stdout)
    assert data["depth"] == 3 and data["hidden"] > 0
    assert max(r["depth"] for r in data["rows"]) == 3
    full = json.loads(invoke("--data", str(path), "tree", "--json", "--depth", "99").stdout)
    assert full["hidden"] == 0 and len(full["rows"]) == len(data["rows"]) + data["hidden"]
