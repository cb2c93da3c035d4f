"""The package installs and finds its data from any folder, in every install mode.

Each mode gets a throwaway virtual environment and real subprocesses of the installed
``orgroles``, run from a temporary directory far from the repository.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
import zipfile
from email.parser import HeaderParser
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
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build an sdist, then a wheel from that sdist (python -m build), like an index would."""
    out = tmp_path_factory.mktemp("dist")
    run(sys.executable, "-m", "build", "--outdir", out, ROOT, cwd=out, env=clean_env())
    return out


@pytest.fixture(scope="module")
def wheel(dist: Path) -> Path:
    [built] = dist.glob("orgroles-*.whl")
    return built


@pytest.fixture(scope="module")
def sdist(dist: Path) -> Path:
    [built] = dist.glob("orgroles-*.tar.gz")
    return built


def test_twine_check_strict_passes(wheel: Path, sdist: Path) -> None:
    out = run(sys.executable, "-m", "twine", "check", "--strict", wheel, sdist, cwd=wheel.parent)
    assert out.count("PASSED") == 2, out


def test_wheel_metadata_is_fit_for_publishing(wheel: Path) -> None:
    from trove_classifiers import classifiers as known

    with zipfile.ZipFile(wheel) as zf:
        [info] = {n.split("/")[0] for n in zf.namelist() if ".dist-info/" in n}
        meta = HeaderParser().parsestr(zf.read(f"{info}/METADATA").decode("utf-8"))
        licence = zf.read(f"{info}/licenses/LICENSE")
    version = tuple(int(part) for part in meta["Metadata-Version"].split("."))
    assert version >= (2, 4), "licence expressions need core metadata 2.4 (PEP 639)"
    assert meta["License-Expression"] == "MIT"
    assert meta.get_all("License-File") == ["LICENSE"]
    assert meta["License"] is None  # the expression replaces the free-text field
    assert licence == (ROOT / "LICENSE").read_bytes()
    assert licence.startswith(b"MIT License\n\nCopyright (c) 2026 orgroles developers\n")
    classifiers = meta.get_all("Classifier") or []
    assert not [c for c in classifiers if c not in known], "unknown trove classifiers"
    assert not [c for c in classifiers if c.startswith("License ::")]  # PEP 639: not with one
    for wanted in (
        "Environment :: Console",
        "Natural Language :: English",
        "Natural Language :: Norwegian",
        "Programming Language :: Python :: 3.11",
        "Programming Language :: Python :: 3.12",
        "Programming Language :: Python :: 3.13",
        "Typing :: Typed",
    ):
        assert wanted in classifiers, wanted
    assert "networkx" in meta["Keywords"].split(",")
    assert meta["Requires-Python"] == ">=3.11"
    assert meta["Description-Content-Type"] == "text/markdown"
    assert meta["Project-URL"] is None  # no public address yet; none invented
    assert f"{info.split('-')[0]}/py.typed" in zipfile.ZipFile(wheel).namelist()


def test_sdist_carries_the_licence(sdist: Path) -> None:
    with tarfile.open(sdist) as tf:
        names = {n.split("/", 1)[1] for n in tf.getnames() if "/" in n}
        top = tf.getnames()[0].split("/")[0]
        member = tf.extractfile(f"{top}/PKG-INFO")
        assert member is not None
        meta = HeaderParser().parsestr(member.read().decode("utf-8"))
    assert {"LICENSE", ".pre-commit-hooks.yaml", "README.md", "data/roles.yaml"} <= names
    assert meta["License-Expression"] == "MIT"
    assert meta.get_all("License-File") == ["LICENSE"]


API_CHECK = "from orgroles import api; print(api.load().graph())"


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
    assert out.endswith(": valid (5 roles, 27 posts, 25 units, 12 forums, 19 relations)\n")
    tree = run(bin_dir / "orgroles", "tree", cwd=cwd, env=env)
    assert tree.splitlines()[0].startswith("rådmann")
    assert "tjenesteledere (ca. 200)" in tree
    data = json.loads(run(bin_dir / "orgroles", "tree", "--json", cwd=cwd, env=env))
    assert len(data["rows"]) == 32
    assert run(bin_dir / "python", "-m", "orgroles", "--version", cwd=cwd, env=env).startswith(
        "orgroles "
    )
    # The pre-commit hook's script and the Python API come with every install.
    assert run(bin_dir / "orgroles-pre-commit", where, cwd=cwd, env=env) == ""
    graph = run(bin_dir / "python", "-c", API_CHECK, cwd=cwd, env=env)
    assert graph == "DiGraph named 'Organisasjonsutvikling og lederroller' with 31 nodes and 41 edges\n"


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
