"""The package installs and finds its data from any folder, in every install mode.

Each mode gets a throwaway virtual environment and real subprocesses of the installed
``orgroles``, run from a temporary directory far from the repository.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.packaging


def run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> str:
    proc = subprocess.run(
        [str(a) for a in args], cwd=cwd, capture_output=True, text=True, env=env, check=False
    )
    assert proc.returncode == 0, f"{args}\n{proc.stdout}\n{proc.stderr}"
    return proc.stdout


def clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "ORGROLES_DATA")}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


def make_venv(where: Path) -> Path:
    run(sys.executable, "-m", "venv", where, cwd=where.parent)
    return where / "bin"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build an sdist, then a wheel from that sdist (python -m build), like an index would."""
    dist = tmp_path_factory.mktemp("dist")
    run(sys.executable, "-m", "build", "--outdir", dist, ROOT, cwd=dist, env=clean_env())
    [built] = dist.glob("orgroles-*.whl")
    return built


def check_installed(bin_dir: Path, cwd: Path, expect_inside: Path) -> None:
    env = clean_env()
    where = run(
        bin_dir / "python",
        "-c",
        "from orgroles.bundled import bundled_data_path; print(bundled_data_path())",
        cwd=cwd,
        env=env,
    ).strip()
    assert Path(where).is_relative_to(expect_inside), where
    out = run(bin_dir / "orgroles", "validate", cwd=cwd, env=env)
    assert out.endswith(": valid (5 roles, 27 posts, 23 units, 13 forums, 24 relations)\n")
    tree = run(bin_dir / "orgroles", "tree", cwd=cwd, env=env)
    assert tree.splitlines()[0].startswith("rådmann")
    assert "tjenesteledere (ca. 200)" in tree
    data = json.loads(run(bin_dir / "orgroles", "tree", "--json", cwd=cwd, env=env))
    assert len(data["rows"]) == 32
    assert run(bin_dir / "python", "-m", "orgroles", "--version", cwd=cwd, env=env).startswith(
        "orgroles "
    )


def test_wheel_carries_data_and_schema(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert "orgroles/data/roles.yaml" in names
    assert "orgroles/schema/roles.schema.json" in names
    with zipfile.ZipFile(wheel) as zf:
        assert zf.read("orgroles/data/roles.yaml") == (ROOT / "data" / "roles.yaml").read_bytes()


def test_built_wheel(wheel: Path, tmp_path: Path) -> None:
    bin_dir = make_venv(tmp_path / "venv")
    run(bin_dir / "pip", "install", "-q", wheel, cwd=tmp_path, env=clean_env())
    check_installed(bin_dir, tmp_path, tmp_path / "venv")


def test_pip_install_dot(tmp_path: Path) -> None:
    bin_dir = make_venv(tmp_path / "venv")
    run(bin_dir / "pip", "install", "-q", ROOT, cwd=tmp_path, env=clean_env())
    check_installed(bin_dir, tmp_path, tmp_path / "venv")


def test_editable_install_uses_the_repository_data(tmp_path: Path) -> None:
    bin_dir = make_venv(tmp_path / "venv")
    run(bin_dir / "pip", "install", "-q", "-e", ROOT, cwd=tmp_path, env=clean_env())
    check_installed(bin_dir, tmp_path, ROOT / "data")
