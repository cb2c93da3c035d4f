"""Import a CSV export (one row per post or person) as an organisation file.

Two shapes are read. **An HR system's export**: columns found by header name (defaults below,
or ``--id-col NAME``; case, spaces, punctuation and camelCase ignored) or by 1-based number for
files without a header. A person's name (``name``, or ``first name`` + ``last name``) goes to
the post's holder and a title to its title, never the one for the other. A post heads the unit
(or area) in its row when its manager is not in the same unit. **Our own**
``orgroles export --format csv`` (a header with ``kind`` and ``title_nb``): every column is read
as written, and the organisation comes back as docs/exports.md describes.

The encoding is UTF-8 (with or without a BOM), UTF-16 with a BOM (a spreadsheet's "Unicode
text"), else Windows-1252 as spreadsheet programs export it, or what ``--encoding`` says; the
delimiter is the one a first line ``sep=;`` names (Excel's hint), else the one of ``,``,
``;``, tab and ``|`` that splits the header row into columns and gives the first rows as many
(``_delimiter``). Quotes are read strictly (``_parse``); a tab-separated file that reads whole
with its quotes as plain characters quotes nothing (``_unquoted_tsv``).
Every problem is reported with its row: empty or invalid ids, duplicate ids, rows with no
title and no name, unknown managers, reporting cycles, undecodable bytes. The file written is
in our format and passes ``orgroles validate`` (it is checked before it is written).
"""

import codecs
import csv
import io
import re
import unicodedata
from typing import Any, NamedTuple, NoReturn

from orgroles.dataformat import ID_RULE, is_id
from orgroles.errors import DataFileError, Problem
from orgroles.exports.table import unprotect
from orgroles.yamlread import describe_char, forbidden_char

DEFAULTS = {
    "id": (
        "id",
        "employee",
        "emp_no",
        "employee_no",
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
        "reporting_to",
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
    "title": (
        "name_nb",
        "title",
        "job_title",
        "position",
        "position_title",
        "position_name",
        "stillingstittel",
        "tittel",
        "stilling",
    ),
    "title_en": ("name_en", "title_en"),
    # A person's name: the holder of the post, never its title.
    "name": (
        "name",
        "navn",
        "full_name",
        "employee_name",
        "display_name",
        "person",
        "holder",
        "innehaver",
        "ansatt",
    ),
    "first_name": ("first_name", "given_name", "fornavn"),
    "last_name": ("last_name", "surname", "family_name", "etternavn"),
    "email": ("email", "e_mail", "mail", "email_address", "epost", "e_post"),
    "role": ("role", "rolle"),
    "unit": ("unit", "department", "enhet", "avdeling"),
    "area": ("area", "programme_area", "programomrade", "programområde"),
    "kind": ("kind",),
    "count": ("count", "antall"),
    "approximate": ("approximate",),
}
_PLAIN_ID = re.compile(r"[a-z0-9][a-z0-9_.\-]*")  # values kept as ids; others become slugs


class Columns(NamedTuple):
    """Which column holds what: a header name, a 1-based number as text, or None (defaults)."""

    id: str | None = None
    manager: str | None = None
    title: str | None = None
    role: str | None = None
    unit: str | None = None
    area: str | None = None
    name: str | None = None


# A UTF-8 sequence of two or more bytes: a file that has one is UTF-8, not Windows-1252.
_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)


def decode(data: bytes, filename: str, encoding: str | None) -> tuple[str, str]:
    """Return the text and the encoding used; a located error when the bytes do not decode."""
    tried = [encoding] if encoding else ["utf-8-sig", "cp1252"]
    if not encoding and data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        tried = ["utf-16"]  # a spreadsheet's "Unicode text" (its BOM says which byte order)
    for name in tried:
        try:
            return data.decode(name), name
        except UnicodeDecodeError as exc:
            if name != tried[-1] and not (name == "utf-8-sig" and _MULTIBYTE.search(data)):
                continue  # no UTF-8 in it at all: a Windows-1252 export
            # Rows in UTF-8 and a byte that is not: a file of mixed encodings. Reading it all
            # as Windows-1252 would garble every æøå silently.
            mixed = name == "utf-8-sig" and name != tried[-1]
            row = data.count(b"\n", 0, exc.start) + 1
            raise DataFileError(
                [
                    Problem(
                        filename,
                        row,
                        1,
                        f"not valid {'utf-8' if mixed else name}: byte 0x{data[exc.start]:02X}"
                        + (
                            ", though other rows are UTF-8 (a file of mixed encodings)"
                            if mixed
                            else ""
                        )
                        + "; choose the file's encoding with --encoding",
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
_NOT_WORD = re.compile(r"[\W_]+")  # "Employee #" = "employee"


def header_key(name: str) -> str:
    """Return a header name as it is compared: camelCase split, case, spaces, punctuation and
    æøå spelling ignored (``Employee ID`` = ``employee_id`` = ``EmployeeId``)."""
    from orgroles.names import fold

    return _NOT_WORD.sub("", fold(_CAMEL.sub(" ", name.strip())))


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
    """A row: its line in the file and its cells by field (``title``, ``manager`` …)."""

    line: int
    cells: dict[str, str]

    def get(self, field: str) -> str:
        return self.cells.get(field, "")

    @property
    def id(self) -> str:
        return self.get("id")

    @property
    def kind(self) -> str:
        return self.get("kind") or "post"

    @property
    def manager(self) -> str:
        return self.get("manager")


class Table(NamedTuple):
    """The rows, and whether they are our own export's (every column read as written)."""

    rows: list[_Row]
    own: bool


# Our own export's columns, read under these field names; the others under their own.
_OWN_FIELDS = {"reports_to": "manager", "unit": "unit"}
# Fields that hold an id or a reference to one (``unit`` and ``area`` are ids only in our own
# export, but an HR export's unit names are slugged or kept, and composing them changes no letter).
_ID_FIELDS = frozenset(
    {"id", "manager", "role", "unit", "area", "reports_to_stated", "part_of", "unit_kind"}
)


DELIMITERS = ",;\t|"
_SEP_LINE = re.compile(r"sep=([^\w\r\n\"])\r?\n")
SAMPLE = 65536  # characters read to choose the delimiter


def _delimiter(sample: str) -> str:
    """The delimiter of a CSV text: of ``DELIMITERS``, one that splits the header record into
    two columns or more, and then the one that gives the first rows as many columns as the
    header, the most columns, the first in ``DELIMITERS`` (in that order). A name such as
    ``x;'y';z`` in every row made ``csv.Sniffer`` choose ``;`` for a comma-separated file; a
    quoted header cell with commas inside ties ``,`` with ``;`` on the header alone. A header
    of one column leaves it to the sniffer (else a comma)."""
    text = sample.lstrip("\r\n")
    if len(sample) >= SAMPLE:  # the last line may be cut short
        text = text[: text.rfind("\n") + 1] or text
    scores: dict[str, tuple[int, int, int]] = {}
    for rank, candidate in enumerate(DELIMITERS):
        try:
            records = [r for r in csv.reader(io.StringIO(text, newline=""), delimiter=candidate)]
        except csv.Error:
            continue
        records = [r for r in records if any(cell.strip() for cell in r)][:50]
        if records and len(records[0]) > 1:
            width = len(records[0])
            alike = sum(len(r) == width for r in records[1:])
            scores[candidate] = (alike, width, -rank)
    if scores:
        return max(scores, key=scores.__getitem__)
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        return ","


QUOTES_HINT = (
    "a cell that starts with a quote ends with one, and a quote inside it is written twice:"
    ' "Kari ""KN"" Nordmann"'
)


class _BadQuotes(Exception):
    """A cell's quotes do not follow CSV's rule: (line, what is wrong)."""


def _parse(text: str, delimiter: str, quoted: bool) -> list[tuple[int, list[str]]]:
    """Parse the CSV into (line, cells) records; quotes are read strictly (a cell with text
    after its closing quote, or a quote never closed, is not guessed at: ``_BadQuotes``, at
    the line the quote opened). Without ``quoted``, a quote is a character like any other."""
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))  # a cell may be long
    source = io.StringIO(text, newline="")
    reader = (
        csv.reader(source, delimiter=delimiter, strict=True)
        if quoted
        else csv.reader(source, delimiter=delimiter, quoting=csv.QUOTE_NONE, strict=True)
    )
    records: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for record in reader:
            records.append((start, record))
            start = reader.line_num + 1
    except csv.Error as exc:
        if "end of data" in str(exc):  # the quote of a cell in the record begun at ``start``
            raise _BadQuotes(start, "a quote opened in this row is never closed") from None
        if "expected after" in str(exc):  # csv's words for it
            raise _BadQuotes(reader.line_num, "text after a cell's closing quote") from None
        raise _BadQuotes(reader.line_num, str(exc)) from None
    return records


def _unquoted_tsv(text: str) -> list[tuple[int, list[str]]] | None:
    """A tab-separated file read with its quotes as plain characters, when that reading is
    the file's own: every row as wide as the header, and no cell quoted whole (a file that
    quotes some cells as CSV does and breaks the rule in others is not guessed at)."""
    try:
        records = _parse(text, "\t", quoted=False)
    except _BadQuotes:
        return None
    rows = [(n, r) for n, r in records if any(cell.strip() for cell in r)]
    width = len(rows[0][1]) if rows else 0
    for _, cells in rows:
        if len(cells) != width:
            return None
        if any(len(c) > 1 and c[0] == '"' and c[-1] == '"' for c in cells):
            return None
    return records


def _records(text: str, filename: str, delimiter: str | None) -> list[tuple[int, list[str]]]:
    """Parse the CSV into (line, cells) records, dropping empty ones."""
    sample = text[:SAMPLE]
    if delimiter is not None and (
        len(delimiter) != 1 or delimiter in '"\r\n' or delimiter.isalnum()
    ):
        _usage("--delimiter", f"expected one character such as , ; | or a tab, got {delimiter!r}")
    hint = _SEP_LINE.match(text)  # Excel's "sep=;" line names the delimiter
    if hint is not None:
        text = text[hint.end() - 1 :]  # (its line stays, empty: rows keep their numbers)
        sample = text[:SAMPLE]
        delimiter = delimiter or hint.group(1)
    if delimiter is None:
        delimiter = _delimiter(sample)
    # Tab-separated: a file that reads whole with its quotes as characters quotes nothing (two
    # stray quotes rows apart would otherwise make one cell of the rows between them).
    unquoted = _unquoted_tsv(text) if delimiter == "\t" and '"' in text else None
    try:
        records = unquoted or _parse(text, delimiter, quoted=True)
    except _BadQuotes as bad:
        problem = f"CSV: {bad.args[1]} ({QUOTES_HINT})"
        raise DataFileError([Problem(filename, bad.args[0], 1, problem)]) from None
    records = [(n, r) for n, r in records if any(cell.strip() for cell in r)]
    if not records:
        raise DataFileError([Problem(filename, 1, 1, "the file has no rows")])
    return records


def _hr_index(header: list[str] | None, columns: Columns, filename: str) -> dict[str, int | None]:
    """Find each field's column in an HR export; every required one, or a located error."""
    chosen = {
        "id": columns.id,
        "manager": columns.manager,
        "title": columns.title,
        "role": columns.role,
        "unit": columns.unit,
        "area": columns.area,
        "name": columns.name,
    }
    index = {
        field: _column(header, chosen.get(field), names, field, filename)
        for field, names in DEFAULTS.items()
    }
    if index["name"] is not None and index["name"] == index["title"]:
        if columns.name is not None and columns.title is not None:
            _usage("--name-col", "the same column as --title-col: a column holds titles or people")
        if columns.name is not None:  # --name-col title: that column is people
            index["title"] = None
        else:  # --title-col name: the column is the title
            index["name"] = None
    missing = [k for k in ("id", "manager") if index[k] is None]
    if index["title"] is None and index["name"] is None and index["last_name"] is None:
        missing.append("title")
    if missing:
        looked = {**DEFAULTS, "title": DEFAULTS["title"] + DEFAULTS["name"]}
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
                    + "; ".join(f"{m}: {', '.join(looked[m])}" for m in missing)
                    + "; or name them with "
                    + ", ".join(f"--{m}-col" for m in missing),
                )
            ]
        )
    return index


def read_rows(text: str, filename: str, columns: Columns, delimiter: str | None) -> Table:
    """Parse the CSV into rows of the fields we use; every structural problem located."""
    from orgroles.exports.table import COLUMNS as OWN_COLUMNS

    records = _records(text, filename, delimiter)
    first = [header_key(cell) for cell in records[0][1]]
    own = all(header_key(c) in first for c in ("kind", "title_nb", "unit_kind"))
    chosen = [c for c in columns if c and not _is_number(c)]
    known = {header_key(n) for n in [*chosen, *(n for names in DEFAULTS.values() for n in names)]}
    has_header = own or any(cell in known for cell in first)  # any column we know by name
    header = records[0][1] if has_header else None
    body = records[1:] if has_header else records
    if own:
        index: dict[str, int | None] = {
            _OWN_FIELDS.get(c, c): first.index(header_key(c)) if header_key(c) in first else None
            for c in OWN_COLUMNS
        }
    else:
        index = _hr_index(header, columns, filename)

    problems = []
    for line, record in body:
        for key, i in index.items():
            if i is None or i >= len(record):
                continue
            bad = forbidden_char(record[i])
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

    def cells(record: list[str]) -> dict[str, str]:
        # Our own export's cells as written (a leading tab or a trailing space is data, and
        # what protect() guarded); an HR system's without the spaces around them.
        found = {
            key: unprotect(record[i]) if own else unprotect(record[i]).strip()
            for key, i in index.items()
            if i is not None and i < len(record)
        }
        for key in _ID_FIELDS.intersection(found):  # ids compare composed, as the loader reads them
            if not found[key].isascii():
                found[key] = unicodedata.normalize("NFC", found[key])
        return found

    return Table([_Row(line, cells(r)) for line, r in body], own)


def person_name(row: _Row) -> str:
    """Return the person in a row: the name, or first and last name joined."""
    first, last, name = row.get("first_name"), row.get("last_name"), row.get("name")
    if last:
        return " ".join(part for part in (first or name, last) if part)
    return name or first


def check_rows(table: Table, filename: str) -> list[Problem]:
    """Return every problem of the rows: ids, titles, managers, cycles."""
    rows = table.rows
    problems: list[Problem] = []
    first: dict[str, int] = {}
    posts: set[str] = set()
    for row in rows:
        if not row.id:
            problems.append(Problem(filename, row.line, 1, "empty id"))
        elif not is_id(row.id):
            problems.append(
                Problem(
                    filename,
                    row.line,
                    1,
                    f"id {row.id!r} is not a valid id ({ID_RULE})",
                )
            )
        elif row.kind == "holder":
            if row.id not in posts:
                problems.append(
                    Problem(filename, row.line, 1, f"a holder of {row.id!r}, which no row above is")
                )
            continue
        elif row.id in first:
            problems.append(
                Problem(
                    filename, row.line, 1, f"duplicate id {row.id!r} (first in row {first[row.id]})"
                )
            )
        else:
            first[row.id] = row.line
        if row.kind == "post":
            posts.add(row.id)
        if table.own:
            if row.kind not in _OWN_KINDS:
                kinds = ", ".join(_OWN_KINDS)
                problems.append(
                    Problem(filename, row.line, 1, f"kind {row.kind!r} is not one of {kinds}")
                )
            elif row.kind in ("role", "class", "unit") and not (
                row.get("name_nb") or row.get("name_en")
            ):
                problems.append(Problem(filename, row.line, 1, f"empty name for {row.id!r}"))
            for field in ("role", "unit", "unit_kind", "reports_to_stated", "part_of"):
                value = row.get(field)
                if value and not is_id(value):
                    problem = f"{field} {value!r} is not a valid id ({ID_RULE})"
                    problems.append(Problem(filename, row.line, 1, problem))
        elif not row.get("title") and not person_name(row):
            problems.append(Problem(filename, row.line, 1, f"empty title for {row.id!r}"))
    problems += _cell_problems(rows, filename)
    known = set(first) | ({r.get("role") for r in rows if r.get("role")} - {""})
    manager = {r.id: r.manager for r in rows if r.id and r.manager and r.kind != "holder"}
    for row in rows:
        if row.kind == "holder":
            continue
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


_OWN_KINDS = ("class", "role", "post", "holder", "unit")


def _cell_problems(rows: list[_Row], filename: str) -> list[Problem]:
    """Dates and e-mail addresses checked as the format checks them, located at their row
    (not in the file the import writes)."""
    from orgroles.dataformat import DATE, EMAIL

    problems = []
    for row in rows:
        for field, spec in (
            ("from", DATE),
            ("until", DATE),
            ("email", EMAIL),
            ("holder_email", EMAIL),
        ):
            value = row.get(field)
            assert spec.pattern is not None
            if value and (
                not spec.pattern.fullmatch(value) or (spec.valid and not spec.valid(value))
            ):
                problems.append(
                    Problem(
                        filename,
                        row.line,
                        1,
                        f"{value!r} in the {field} column is not {spec.explain}",
                    )
                )
    return problems


def _show_cycle(cycle: list[str]) -> str:
    from orgroles.checks import _show_cycle as show

    return show(cycle)


Data = dict[str, Any]


def _holder(row: _Row, name: str) -> Data | str:
    """A holder in the file's long form (the short form when only a name is known)."""
    holder: Data = {"name": name}
    for field, key in (("email", "email"), ("holder_email", "email"), ("holder_id", "external_id")):
        if row.get(field):
            holder[key] = row.get(field)
    if row.get("acting").lower() == "true":
        holder["acting"] = True
    for key in ("from", "until"):
        if row.get(key):
            holder[key] = row.get(key)
    return holder if len(holder) > 1 else name


def _count(value: str, approximate: str) -> Data | None:
    if not value.isascii() or not value.isdigit():
        return None
    return {"value": int(value), "approximate": approximate.lower() == "true"}


def hr_data(rows: list[_Row], source_name: str, lang: str = "nb") -> Data:
    """Build the organisation of an HR export's rows (which passed ``check_rows``); the texts
    are in ``lang`` (a ``name_en``/``title_en`` column adds the English beside bokmål)."""

    def text(main: str, english: str = "") -> Data | str:
        if lang == "en":
            return {"en": main}
        return {"nb": main, "en": english} if english else main  # plain text is bokmål

    posts = [r for r in rows if r.kind != "class"]
    classes = {r.id: r for r in rows if r.kind == "class"}
    post_ids = {r.id for r in posts}
    role_ids: dict[str, str] = {}  # role value in the file -> role id
    for value in [*classes, *(r.get("role") for r in posts if r.get("role"))]:
        if value not in role_ids:
            candidate = value if _PLAIN_ID.fullmatch(value) else _slug(value)
            while candidate in post_ids or candidate in role_ids.values():
                candidate += "_role"
            role_ids[value] = candidate
    taken = post_ids | set(role_ids.values())
    unit_ids: dict[tuple[str, str], str] = {}
    wanted = [("unit", r.get("unit")) for r in posts if r.get("unit")]
    wanted += [("programme_area", r.get("area")) for r in posts if r.get("area")]
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

    roles_out = []
    for value, role_id in role_ids.items():
        row = classes.get(value)
        role: Data = {
            "id": role_id,
            "name": text(row.get("title") if row else value, row.get("title_en") if row else ""),
        }
        if row and row.manager:
            role["reports_to"] = superior(row.manager)
        count = _count(row.get("count"), row.get("approximate")) if row else None
        if count:
            role["count"] = count
        roles_out.append(role)
    posts_out = []
    for row in posts:
        post: Data = {"id": row.id}
        if row.get("title"):
            post["title"] = text(row.get("title"), row.get("title_en"))
        if row.get("role"):
            post["role"] = role_ids[row.get("role")]
        if row.manager:
            post["reports_to"] = superior(row.manager)
        heads = unit_ids.get(("unit", row.get("unit"))) or unit_ids.get(
            ("programme_area", row.get("area"))
        )
        boss = by_id.get(row.manager)
        if boss is not None and (boss.get("unit"), boss.get("area")) == (
            row.get("unit"),
            row.get("area"),
        ):
            heads = None  # a member of the unit, not its head: the format links heads only
        if heads:
            post["heads"] = heads
        if person_name(row):
            post["holders"] = [_holder(row, person_name(row))]
        posts_out.append(post)
    units_out = [
        {"id": unit_id, "kind": kind, "name": text(value)}
        for (kind, value), unit_id in unit_ids.items()
    ]
    title = ("Imported from " if lang == "en" else "Importert fra ") + source_name
    unit_kinds = [
        {"id": "unit", "name": {"nb": "enhet", "en": "unit"}},
        {"id": "programme_area", "name": {"nb": "programområde", "en": "programme area"}},
    ]
    return _organisation(text(title), unit_kinds, roles_out, posts_out, units_out)


def _organisation(
    title: Data | str,
    unit_kinds: list[Data],
    roles: list[Data],
    posts: list[Data],
    units: list[Data],
) -> Data:
    data: Data = {
        "format": "orgroles/1",
        "meta": {"title": title, "require_sources": False},
        "vocabulary": {"unit_kinds": unit_kinds},
    }
    for key, items in (("roles", roles), ("posts", posts), ("units", units)):
        if items:
            data[key] = items
    return data


def _texts(row: _Row, prefix: str) -> Data | None:
    found = {lang: row.get(f"{prefix}_{lang}") for lang in ("nb", "en")}
    found = {lang: value for lang, value in found.items() if value}
    return found or None


def own_data(rows: list[_Row], source_name: str) -> Data:
    """Build the organisation of our own export's rows (which passed ``check_rows``)."""
    roles_out: list[Data] = []
    posts_out: list[Data] = []
    units_out: list[Data] = []
    posts_by_id: dict[str, Data] = {}
    role_line: dict[str, str] = {}  # role -> the id its line reaches (a one-post role's post)
    role_posts: dict[str, list[str]] = {}
    for row in rows:
        if row.kind == "post" and row.get("role"):
            role_posts.setdefault(row.get("role"), []).append(row.id)
    for row in rows:
        if row.kind in ("role", "class"):
            role: Data = {"id": row.id, "name": _texts(row, "name")}
            if plural := _texts(row, "plural"):
                role["plural"] = plural
            if count := _count(row.get("count"), row.get("approximate")):
                role["count"] = count
            stated = row.get("reports_to_stated") if "reports_to_stated" in row.cells else None
            line = row.manager if stated is None else stated
            if line:
                role["reports_to"] = line
                sole = role_posts.get(line, [])
                role_line[row.id] = sole[0] if len(sole) == 1 else line
            roles_out.append(role)
        elif row.kind == "post":
            post: Data = {"id": row.id}
            for prefix in ("title", "portfolio"):
                if text := _texts(row, prefix):
                    post[prefix] = text
            if row.get("role"):
                post["role"] = row.get("role")
            if "reports_to_stated" in row.cells:  # what the original file states
                if row.get("reports_to_stated"):
                    post["reports_to"] = row.get("reports_to_stated")
            elif row.manager != role_line.get(row.get("role"), ""):  # else its role's line
                post["reports_to"] = row.manager or None
            if row.get("unit"):
                post["heads"] = row.get("unit")
            if staff := _count(row.get("staff"), row.get("staff_approximate")):
                post["staff"] = staff
            if row.get("holder"):
                post["holders"] = [_holder(row, row.get("holder"))]
            if row.get("vacant").lower() == "true":
                post["vacant"] = True
            posts_out.append(post)
            posts_by_id[row.id] = post
        elif row.kind == "holder":
            posts_by_id[row.id].setdefault("holders", []).append(_holder(row, row.get("holder")))
        elif row.kind == "unit":
            unit: Data = {"id": row.id, "kind": row.get("unit_kind"), "name": _texts(row, "name")}
            if row.get("part_of"):
                unit["part_of"] = row.get("part_of")
            units_out.append(unit)
    kinds = dict.fromkeys(u["kind"] for u in units_out)
    unit_kinds = [{"id": kind, "name": {"nb": kind}} for kind in kinds]
    title = {"nb": "Importert fra " + source_name, "en": "Imported from " + source_name}
    return _organisation(title, unit_kinds, roles_out, posts_out, units_out)


def to_yaml(data: Data, source_name: str) -> str:
    """Write an organisation as YAML, under a comment naming where it came from."""
    import yaml

    body = yaml.safe_dump(
        data, allow_unicode=True, sort_keys=False, default_flow_style=False, width=100
    )
    return "# Imported by orgroles import csv from " + source_name.replace("\n", " ") + "\n" + body


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
    table = read_rows(text, filename, columns or Columns(), delimiter)
    problems = check_rows(table, filename)
    if problems:
        raise DataFileError(problems)
    built = own_data(table.rows, filename) if table.own else hr_data(table.rows, filename, lang)
    yaml_text = to_yaml(built, filename)
    validate_data(yaml_text.encode("utf-8"), "(imported)")  # never write an invalid file
    return yaml_text
