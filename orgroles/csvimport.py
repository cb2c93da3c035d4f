"""Import an HR system's CSV export (one row per post or person) as an organisation file.

Columns are found by header name (defaults below, or ``--id-col NAME``) or by 1-based number
for files without a header. The encoding is UTF-8 (with or without a BOM), else Windows-1252
as spreadsheet programs export it, or what ``--encoding`` says; the delimiter is sniffed among
``,``, ``;``, tab and ``|``. Every problem is reported with its row: empty or invalid ids,
duplicate ids, empty titles, unknown managers, reporting cycles, undecodable bytes. The file
written is in our format and passes ``orgroles validate`` (it is checked before it is written).

A post heads the unit (or area) in its row when its manager is not in the same unit: the
unit's top; the others are members, which the format does not record. Our own
``orgroles export --format csv`` reads back: its ``class`` rows become roles with their counts,
its posts posts, its units units.
"""

import csv
import io
import json
import re
import unicodedata
from typing import NamedTuple, NoReturn

from orgroles.errors import DataFileError, Problem
from orgroles.exports.table import unprotect
from orgroles.yamlread import describe_char, forbidden_char

# Line and paragraph separators: YAML would read them as line breaks and fold them to spaces.
_LINE_BREAKS = re.compile("[\u2028\u2029]")

DEFAULTS = {
    "id": (
        "id",
        "post_id",
        "position_id",
        "employee_id",
        "person_id",
        "stilling_id",
        "ansattnr",
        "ansattnummer",
        "employee_number",
    ),
    "manager": (
        "reports_to",
        "manager_id",
        "manager",
        "parent_id",
        "parent",
        "pid",
        "supervisor_id",
        "supervisor",
        "leder_id",
        "rapporterer_til",
        "leder",
        "nærmeste_leder",
        "overordnet",
    ),
    # A title column before a name column: "name" is often the person's (id,parentId,name,position)
    "title": (
        "name_nb",
        "title",
        "job_title",
        "position",
        "position_title",
        "stillingstittel",
        "tittel",
        "stilling",
        "name",
        "navn",
    ),
    "title_en": ("name_en", "title_en"),
    "role": ("role", "rolle"),
    "unit": ("unit", "department", "enhet", "avdeling"),
    "area": ("area", "programme_area", "programomrade", "programområde"),
    "kind": ("kind",),
    "count": ("count", "antall"),
    "approximate": ("approximate",),
}
_ID = re.compile(r"[\w][\w\u0300-\u036f.\-]*")
_PLAIN_ID = re.compile(r"[a-z0-9][a-z0-9_.\-]*")  # values kept as ids; others become slugs


class Columns(NamedTuple):
    """Which column holds what: a header name, a 1-based number as text, or None (defaults)."""

    id: str | None = None
    manager: str | None = None
    title: str | None = None
    role: str | None = None
    unit: str | None = None
    area: str | None = None


def decode(data: bytes, filename: str, encoding: str | None) -> tuple[str, str]:
    """Return the text and the encoding used; a located error when the bytes do not decode."""
    tried = [encoding] if encoding else ["utf-8-sig", "cp1252"]
    for name in tried:
        try:
            return data.decode(name), name
        except UnicodeDecodeError as exc:
            if name != tried[-1]:
                continue
            row = data.count(b"\n", 0, exc.start) + 1
            raise DataFileError(
                [
                    Problem(
                        filename,
                        row,
                        1,
                        f"not valid {name}: byte 0x{data[exc.start]:02X}; "
                        "choose the file's encoding with --encoding",
                    )
                ]
            ) from None
        except LookupError:
            raise DataFileError([Problem(filename, 0, 0, f"unknown encoding {name!r}")]) from None
    raise AssertionError("unreachable")  # pragma: no cover


def _slug(text: str) -> str:
    folded = unicodedata.normalize(
        "NFKD", text.replace("ø", "o").replace("Ø", "O").replace("æ", "ae").replace("Æ", "AE")
    )
    ascii_text = folded.encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "_", ascii_text).strip("_") or "x"


def _usage(option: str, message: str) -> NoReturn:
    """A bad option value: a usage error (exit 2), as for any other option."""
    import typer

    raise typer.BadParameter(message, param_hint=option)


def _is_number(choice: str | None) -> bool:
    return choice is not None and choice.isascii() and choice.isdigit()


_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def header_key(name: str) -> str:
    """Return a header name as it is compared: camelCase split, case, spaces, punctuation and
    æøå spelling ignored (``Employee ID`` = ``employee_id`` = ``EmployeeId``)."""
    from orgroles.names import fold

    return fold(_CAMEL.sub(" ", name.strip())).replace("_", "")


def _column(
    header: list[str] | None, choice: str | None, names: tuple[str, ...], what: str, filename: str
) -> int | None:
    """Return the 0-based index of a column, or None when it is optional and absent."""
    if choice is not None and _is_number(choice):
        if int(choice) < 1 or len(choice) > 6:
            _usage(f"--{what}-col", f"column numbers start at 1, got {choice!r}")
        return int(choice) - 1
    if header is None:
        if choice is not None:
            raise DataFileError(
                [
                    Problem(
                        filename,
                        1,
                        1,
                        f"--{what}-col {choice!r}: the file has "
                        "no header row; give a column number instead",
                    )
                ]
            )
        return None
    keys = [header_key(h) for h in header]
    for name in [choice] if choice else list(names):
        if header_key(name) in keys:
            return keys.index(header_key(name))
    if choice is not None:
        raise DataFileError(
            [
                Problem(
                    filename,
                    1,
                    1,
                    f"no column {choice!r} for --{what}-col (the header has: {', '.join(header)})",
                )
            ]
        )
    return None


class _Row(NamedTuple):
    line: int
    id: str
    kind: str
    manager: str
    title: str
    title_en: str
    role: str
    unit: str
    area: str
    headcount: str
    approximate: str


def read_rows(text: str, filename: str, columns: Columns, delimiter: str | None) -> list[_Row]:
    """Parse the CSV into rows of the columns we use; every structural problem located."""
    sample = text[:8192]
    if delimiter is not None and (
        len(delimiter) != 1 or delimiter in '"\r\n' or delimiter.isalnum()
    ):
        _usage("--delimiter", f"expected one character such as , ; | or a tab, got {delimiter!r}")
    if delimiter is None:
        try:
            delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
        except csv.Error:
            delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records: list[tuple[int, list[str]]] = []
    try:
        start = 1
        for record in reader:
            records.append((start, record))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise DataFileError([Problem(filename, reader.line_num, 1, f"CSV: {exc}")]) from None
    records = [(n, r) for n, r in records if any(cell.strip() for cell in r)]
    if not records:
        raise DataFileError([Problem(filename, 1, 1, "the file has no rows")])
    first = [header_key(cell) for cell in records[0][1]]
    id_names = [columns.id] if columns.id and not _is_number(columns.id) else list(DEFAULTS["id"])
    has_header = any(header_key(name) in first for name in id_names if name)
    header = records[0][1] if has_header else None
    body = records[1:] if has_header else records
    index = {
        "id": _column(header, columns.id, DEFAULTS["id"], "id", filename),
        "manager": _column(header, columns.manager, DEFAULTS["manager"], "manager", filename),
        "title": _column(header, columns.title, DEFAULTS["title"], "title", filename),
        "title_en": _column(header, None, DEFAULTS["title_en"], "title_en", filename),
        "role": _column(header, columns.role, DEFAULTS["role"], "role", filename),
        "unit": _column(header, columns.unit, DEFAULTS["unit"], "unit", filename),
        "area": _column(header, columns.area, DEFAULTS["area"], "area", filename),
        "kind": _column(header, None, DEFAULTS["kind"], "kind", filename),
        "count": _column(header, None, DEFAULTS["count"], "count", filename),
        "approximate": _column(header, None, DEFAULTS["approximate"], "approximate", filename),
    }
    missing = [k for k in ("id", "manager", "title") if index[k] is None]
    if missing:
        raise DataFileError(
            [
                Problem(
                    filename,
                    1,
                    1,
                    "cannot find the "
                    + ", ".join(missing)
                    + " column(s) in the header ("
                    + ", ".join(header or ())
                    + "); looked for "
                    + "; ".join(f"{m}: {', '.join(DEFAULTS[m])}" for m in missing)
                    + "; or name them with "
                    + ", ".join(f"--{m}-col" for m in missing),
                )
            ]
        )

    def cell(record: list[str], key: str) -> str:
        i = index[key]
        return unprotect(record[i]).strip() if i is not None and i < len(record) else ""

    problems = []
    for line, record in body:
        for key, i in index.items():
            if i is None or i >= len(record):
                continue
            bad = forbidden_char(record[i]) or (
                m.group() if (m := _LINE_BREAKS.search(record[i])) else None
            )
            if bad is not None:
                problems.append(
                    Problem(
                        filename,
                        line,
                        1,
                        f"character {describe_char(bad)} is not allowed (in the {key} column)",
                    )
                )
                break
    if problems:
        raise DataFileError(problems)

    return [
        _Row(
            line,
            cell(r, "id"),
            cell(r, "kind") or "post",
            cell(r, "manager"),
            cell(r, "title"),
            cell(r, "title_en"),
            cell(r, "role"),
            cell(r, "unit"),
            cell(r, "area"),
            cell(r, "count"),
            cell(r, "approximate"),
        )
        for line, r in body
    ]


def check_rows(rows: list[_Row], filename: str) -> list[Problem]:
    """Return every problem of the rows: ids, titles, managers, cycles."""
    problems: list[Problem] = []
    first: dict[str, int] = {}
    for row in rows:
        if not row.id:
            problems.append(Problem(filename, row.line, 1, "empty id"))
        elif not _ID.fullmatch(row.id):
            problems.append(
                Problem(
                    filename,
                    row.line,
                    1,
                    f"id {row.id!r} is not a valid id (letters, digits, '_', '.', '-'; no spaces)",
                )
            )
        elif row.id in first:
            problems.append(
                Problem(
                    filename, row.line, 1, f"duplicate id {row.id!r} (first in row {first[row.id]})"
                )
            )
        else:
            first[row.id] = row.line
        if not row.title:
            problems.append(Problem(filename, row.line, 1, f"empty title for {row.id!r}"))
    known = set(first) | {r.role for r in rows if r.role}
    manager = {r.id: r.manager for r in rows if r.id and r.manager}
    for row in rows:
        if row.manager and row.manager not in known:
            problems.append(
                Problem(
                    filename,
                    row.line,
                    1,
                    f"{row.id!r} reports to {row.manager!r}, which is not in the file",
                )
            )
        elif row.manager == row.id and row.id:
            problems.append(Problem(filename, row.line, 1, f"{row.id!r} reports to itself"))
    state: dict[str, int] = {}  # 1: on the current walk, 2: done
    for start in manager:
        walk, node = [], start
        while node in manager and node not in state:
            state[node] = 1
            walk.append(node)
            node = manager[node]
        if state.get(node) == 1 and node != manager.get(node, ""):  # a cycle, not a self-loop
            cycle = walk[walk.index(node) :]
            shown = _show_cycle(cycle)
            problems.append(
                Problem(filename, first.get(cycle[0], 0), 1, f"reporting cycle: {shown}")
            )
        for visited in walk:
            state[visited] = 2
    return sorted(problems, key=lambda p: (p.line, p.message))


def _show_cycle(cycle: list[str]) -> str:
    from orgroles.checks import _show_cycle as show

    return show(cycle)


def _q(text: str) -> str:
    """A YAML double-quoted scalar (a JSON string is one)."""
    return json.dumps(text, ensure_ascii=False)


def to_yaml(rows: list[_Row], source_name: str, lang: str = "nb") -> str:
    """Write the organisation file for rows that passed ``check_rows``; the export's texts are
    in ``lang`` (a ``name_en``/``title_en`` column adds the English beside bokmål)."""

    def text(main: str, english: str = "") -> str:
        if lang == "en":
            return f"{{en: {_q(main)}}}"
        return f"{{nb: {_q(main)}" + (f", en: {_q(english)}}}" if english else "}")

    posts = [r for r in rows if r.kind != "class"]
    classes = {r.id: r for r in rows if r.kind == "class"}
    post_ids = {r.id for r in posts}
    role_ids: dict[str, str] = {}  # role value in the file -> role id
    for value in [*classes, *(r.role for r in posts if r.role)]:
        if value not in role_ids:
            candidate = value if _PLAIN_ID.fullmatch(value) else _slug(value)
            while candidate in post_ids or candidate in role_ids.values():
                candidate += "_role"
            role_ids[value] = candidate
    taken = post_ids | set(role_ids.values())
    unit_ids: dict[tuple[str, str], str] = {}
    wanted = [("unit", r.unit) for r in posts if r.unit]
    wanted += [("programme_area", r.area) for r in posts if r.area]
    for kind, value in wanted:
        if (kind, value) not in unit_ids:
            candidate = value if _PLAIN_ID.fullmatch(value) else _slug(value)
            while candidate in taken:
                candidate += "_unit"
            unit_ids[(kind, value)] = candidate
            taken.add(candidate)

    by_id = {r.id: r for r in posts}

    def superior(manager: str) -> str:
        return manager if manager in post_ids else role_ids.get(manager, manager)

    out = [
        "# Imported by orgroles import csv from " + source_name.replace("\n", " "),
        "format: orgroles/1",
        "meta:",
        "  title: "
        + text(("Imported from " if lang == "en" else "Importert fra ") + source_name),
        "  require_sources: false",
        "vocabulary:",
        "  unit_kinds:",
        "    - {id: unit, name: {nb: enhet, en: unit}}",
        "    - {id: programme_area, name: {nb: programområde, en: programme area}}",
    ]
    if role_ids:
        out.append("roles:")
        for value, role_id in role_ids.items():
            row = classes.get(value)
            name = row.title if row else value
            out.append(f"  - id: {_q(role_id)}")
            out.append(f"    name: {text(name, row.title_en if row else '')}")
            if row and row.manager:
                out.append(f"    reports_to: {_q(superior(row.manager))}")
            if row and row.headcount.isdigit():
                approximate = "true" if row.approximate.lower() == "true" else "false"
                out.append(
                    f"    count: {{value: {int(row.headcount)}, approximate: {approximate}}}"
                )
    if posts:
        out.append("posts:")
        for row in posts:
            out.append(f"  - id: {_q(row.id)}")
            out.append(f"    title: {text(row.title, row.title_en)}")
            if row.role:
                out.append(f"    role: {_q(role_ids[row.role])}")
            if row.manager:
                out.append(f"    reports_to: {_q(superior(row.manager))}")
            heads = unit_ids.get(("unit", row.unit)) or unit_ids.get(("programme_area", row.area))
            boss = by_id.get(row.manager)
            if boss is not None and (boss.unit, boss.area) == (row.unit, row.area):
                heads = None  # a member of the unit, not its head: the format links heads only
            if heads:
                out.append(f"    heads: {_q(heads)}")
    if unit_ids:
        out.append("units:")
        for (kind, value), unit_id in unit_ids.items():
            out.append(f"  - {{id: {_q(unit_id)}, kind: {kind}, name: {text(value)}}}")
    return "\n".join(out) + "\n"


def import_csv(
    data: bytes,
    filename: str,
    columns: Columns | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    lang: str = "nb",
) -> str:
    """Return an organisation file for a CSV export, its texts in ``lang``; raise
    DataFileError with every problem."""
    from orgroles.load import validate_data

    text, _ = decode(data, filename, encoding)
    rows = read_rows(text, filename, columns or Columns(), delimiter)
    problems = check_rows(rows, filename)
    if problems:
        raise DataFileError(problems)
    yaml_text = to_yaml(rows, filename, lang)
    validate_data(yaml_text.encode("utf-8"), "(imported)")  # never write an invalid file
    return yaml_text
