"""Where the bundled data file is, in every install mode."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def bundled_data_path() -> Path:
    """Return the path of the bundled ``roles.yaml``.

    A wheel (``pip install .`` or a built wheel) carries a copy inside the package. An editable
    install runs from the repository, whose ``data/roles.yaml`` is the source of truth.
    """
    inside = _PACKAGE / "data" / "roles.yaml"
    if inside.is_file():
        return inside
    return _PACKAGE.parent / "data" / "roles.yaml"


def schema_path() -> Path:
    """Return the path of the JSON Schema shipped in the package."""
    return _PACKAGE / "schema" / "roles.schema.json"
