"""orgroles import csv: HR exports in their real encodings and shapes, every problem by row."""

import csv
import io
from pathlib import Path

import pytest

from orgroles.csvimport import Columns, import_csv
from orgroles.errors import DataFileError
from orgroles.exports import export
from orgroles.index import OrgIndex, build_index
from orgroles.load import load_bytes
from tests.conftest import FIXTURES, Invoke


def imported(data: bytes, columns: Columns | None = None, **options: str) -> OrgIndex:
    text = import_csv(data, "hr.csv", columns, options.get("encoding"), options.get("delimiter"))
    return build_index(load_bytes(text.encode("utf-8"), "imported.yaml", use_cache=False))


def problems(data: bytes, columns: Columns | None = None, encoding: str | None = None) -> list[str]:
    with pytest.raises(DataFileError) as info:
        import_csv(data, "hr.csv", columns, encoding)
    return [str(p) for p in info.value.problems]


def test_round_trip_of_our_own_export(ix: OrgIndex) -> None:
    again = imported(export(ix, "csv").encode("utf-8"))
    assert sorted(again.posts) == sorted(ix.posts)
    for post in ix.posts:
        assert again.superior(post) == ix.superior(post), post
        assert again.role_of(post) == ix.role_of(post), post
        assert again.is_open_target(again.superior(post) or "") == ix.is_open_target(
            ix.superior(post) or ""
        ), post
        assert again.label(post, "nb") == ix.label(post, "nb")
        before, after = ix.posts[post].heads, again.posts[post].heads
        assert (before.id if before else None) == (after.id if after else None)
    assert {
        r: (again.roles[r].count.value, again.roles[r].count.approximate)  # type: ignore[union-attr]
        for r in ("radmann", "tjenesteleder")
    } == {"radmann": (1, False), "tjenesteleder": (200, True)}
    assert again.superior("tjenesteleder") == "kommunalsjef"


def test_a_windows_1252_export_with_semicolons_and_norwegian_headers() -> None:
    text = (
        "ansattnr;navn;stilling;leder_id;avdeling\r\n"
        "1;Åse Ødegård;Rådmann;;Rådmannens stab\r\n"
        "2;Øystein Bø;Økonomisjef;1;Økonomi\r\n"
        "3;Ærle Kråkenes;Lønnsleder;2;Økonomi\r\n"
    )
    org = imported(text.encode("cp1252"))
    assert org.label("2", "nb") == "Økonomisjef"
    assert [h.name for h in org.posts["3"].holders] == ["Ærle Kråkenes"]
    assert org.superior("3") == "2" and org.superior("1") is None
    assert sorted(u.name.nb or "" for u in org.org.units) == ["Rådmannens stab", "Økonomi"]
    heads = {p.id: p.heads.id if p.heads else None for p in org.org.posts}
    assert heads == {"1": "radmannens_stab", "2": "okonomi", "3": None}  # 3 is in 2's unit


def test_utf8_with_a_bom_and_commas() -> None:
    text = "\ufeffid,title,manager_id,role\nceo,Chief,,Leder\ncfo,Finance,ceo,Leder\n"
    org = imported(text.encode("utf-8"))
    assert org.superior("cfo") == "ceo" and org.role_of("cfo") == "leder"


def test_a_file_without_header_by_column_numbers() -> None:
    text = "a;Alpha;\nb;Beta;a\n"
    org = imported(text.encode(), Columns(id="1", title="2", manager="3"))
    assert org.superior("b") == "a"


def test_every_problem_with_its_row() -> None:
    text = (
        "id,title,manager\n"
        "a,A,\n"  # row 2: fine
        "b,B,zz\n"  # row 3: unknown manager
        "a,Again,\n"  # row 4: duplicate
        "c,,a\n"  # row 5: empty title
        "d d,D,a\n"  # row 6: invalid id
        "e,E,f\n"  # row 7: cycle e -> f -> e
        "f,F,e\n"
        "g,G,g\n"
    )  # row 9: itself
    assert problems(text.encode()) == [
        "hr.csv:3:1: 'b' reports to 'zz', which is not in the file",
        "hr.csv:4:1: duplicate id 'a' (first in row 2)",
        "hr.csv:5:1: empty title for 'c'",
        "hr.csv:6:1: id 'd d' is not a valid id (letters, digits, '_', '.', '-'; no spaces or invisible characters)",
        "hr.csv:7:1: reporting cycle: e -> f -> e",
        "hr.csv:9:1: 'g' reports to itself",
    ]


def test_encoding_problems_are_located() -> None:
    data = "id,title,manager\na,Bærum,\n".encode("latin-1")
    assert imported(data).label("a", "nb") == "Bærum"  # the Windows-1252 fallback decodes æ
    undefined = data + b"b,\x81x,a\n"  # 0x81 is undefined in Windows-1252 too
    assert problems(undefined) == [
        "hr.csv:3:1: not valid cp1252: byte 0x81; choose the file's encoding with --encoding"
    ]
    assert problems("id,title,manager\na,Bærum,\n".encode("latin-1"), encoding="utf-8") == [
        "hr.csv:2:1: not valid utf-8: byte 0xE6; choose the file's encoding with --encoding"
    ]


def test_missing_columns_are_named() -> None:
    assert problems(b"id,name\na,A\n") == [
        "hr.csv:1:1: cannot find the manager column(s) in the header (id, name); looked for "
        "manager: reports_to, reporting_to, manager_id, manager, parent_id, parent, pid, supervisor_id, "
        "supervisor, leder_id, rapporterer_til, leder, nærmeste_leder, overordnet; or name "
        "them with --manager-col"
    ]
    assert problems(b"id,title,boss\na,A,\n", Columns(manager="chef")) == [
        "hr.csv:1:1: no column 'chef' for --manager-col (the header has: id, title, boss)"
    ]


def test_cli_writes_and_never_overwrites_without_force(invoke: Invoke, tmp_path: Path) -> None:
    source = tmp_path / "hr.csv"
    source.write_text("id,title,manager\na,A,\nb,B,a\n", encoding="utf-8")
    result = invoke("import", "csv", str(source))
    assert result.exit_code == 0 and result.stdout.startswith("# Imported by orgroles")
    target = tmp_path / "org.yaml"
    assert invoke("import", "csv", str(source), "-o", str(target)).exit_code == 0
    assert invoke("--data", str(target), "validate").exit_code == 0
    again = invoke("import", "csv", str(source), "-o", str(target))
    assert (again.exit_code, again.stderr) == (
        1,
        f"orgroles: {target}: exists; use --force to overwrite it\n",
    )
    assert invoke("import", "csv", str(source), "-o", str(target), "--force").exit_code == 0
    bad = tmp_path / "bad.csv"
    bad.write_text("id,title,manager\na,A,b\n", encoding="utf-8")
    result = invoke("import", "csv", str(bad))
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == f"orgroles: {bad}:2:1: 'a' reports to 'b', which is not in the file\n"


def test_the_cli_round_trip(invoke: Invoke, tmp_path: Path) -> None:
    exported = tmp_path / "org.csv"
    exported.write_text(invoke("export", "-f", "csv").stdout, encoding="utf-8")
    result = invoke("import", "csv", str(exported), "-o", str(tmp_path / "org.yaml"))
    assert result.exit_code == 0
    tree = invoke("--data", str(tmp_path / "org.yaml"), "tree", "--json")
    assert tree.exit_code == 0


def test_import_reads_the_export_from_stdin(invoke: Invoke) -> None:
    raw = (FIXTURES / "hr-export.csv").read_bytes().decode("cp1252")
    result = invoke("import", "csv", "-", input=raw.encode("utf-8").decode("utf-8"))
    assert result.exit_code == 0 and result.stdout.startswith("# ")
    tree = invoke("--data", "-", "tree", input=result.stdout)
    assert tree.stdout.splitlines()[0] == "Kommunedirektør — Kari Nordmann"


@pytest.mark.parametrize(
    ("header", "rows", "people"),
    [
        ("Employee ID,Job Title,Manager ID", ["1,Boss,", "2,Clerk,1"], [[], []]),
        ("EmployeeId,JobTitle,ManagerId", ["1,Boss,", "2,Clerk,1"], [[], []]),
        (
            "id,parentId,name,position",
            ["1,,Ola Hansen,Boss", "2,1,Kari Nordmann,Clerk"],
            [["Ola Hansen"], ["Kari Nordmann"]],
        ),
        (
            "Ansattnummer;Navn;Nærmeste leder;Stillingstittel",
            ["1;Ola;;Boss", "2;Kari;1;Clerk"],
            [["Ola"], ["Kari"]],
        ),
        (  # d3-org-chart's shape: a first name in "name", and "lastName"
            "id,parentId,name,lastName,positionName,area",
            ["1,,Ola,Hansen,Boss,Sales", "2,1,Kari,Nordmann,Clerk,Sales"],
            [["Ola Hansen"], ["Kari Nordmann"]],
        ),
        (
            "Employee ID,First Name,Last Name,Title,Manager ID,Department",
            ["1,Ola,Hansen,Boss,,Sales", "2,Kari,Nordmann,Clerk,1,Sales"],
            [["Ola Hansen"], ["Kari Nordmann"]],
        ),
    ],
)
def test_headers_match_whatever_their_case_spacing_or_camel_case(
    header: str, rows: list[str], people: list[list[str]]
) -> None:
    """A title goes to the title, a person's name to the holder: never the one for the other."""
    raw = "\n".join([header, *rows]).encode() + b"\n"
    org = build_index(load_bytes(import_csv(raw, "hr.csv").encode(), "x.yaml", use_cache=False))
    titles = [p.title.nb if p.title else None for p in org.org.posts]
    assert titles == ["Boss", "Clerk"]
    assert [[h.name for h in p.holders] for p in org.org.posts] == people
    assert org.superior("2") == "1"


def test_lang_en_stores_the_exports_texts_as_english(invoke: Invoke) -> None:
    csv_text = "Employee ID,Job Title,Manager ID\n1,Chief executive,\n2,Clerk,1\n"
    result = invoke("import", "csv", "-", "--lang", "en", input=csv_text)
    assert result.exit_code == 0
    assert "  title:\n    en: Chief executive\n" in result.stdout
    assert "nb:" not in result.stdout.split("posts:")[1]
    default = invoke("import", "csv", "-", input=csv_text)
    assert "  title: Chief executive\n" in default.stdout  # plain text is bokmål


@pytest.mark.parametrize(
    ("fixture", "people"),
    [
        (  # d3-org-chart's sample shape: name,imageUrl,area,…,positionName,id,parentId,size
            "d3-org-chart.csv",
            {
                "O-1": ("Chief Executive Officer", "Ingrid Solberg"),
                "O-2": ("Chief Financial Officer", "Tor Aasen"),
                "O-3": ("Controller", "Mette Dahl"),
                "O-4": ("Chief Technology Officer", "Jon Vik"),
                "O-5": ("Platform Engineer", "Lise Moe"),
            },
        ),
        (  # id,parentId,name,lastName,position: first and last name joined
            "people-export.csv",
            {
                "1": ("Chief Executive Officer", "Ingrid Solberg"),
                "2": ("Chief Financial Officer", "Tor Aasen"),
                "3": ("Controller", "Mette Dahl"),
                "4": ("Chief Technology Officer", "Jon Vik"),
            },
        ),
    ],
)
def test_people_exports_import_with_no_options(
    invoke: Invoke, fixture: str, people: dict[str, tuple[str, str]]
) -> None:
    result = invoke("import", "csv", str(FIXTURES / fixture))
    assert result.exit_code == 0, result.stderr
    org = build_index(load_bytes(result.stdout.encode(), "x.yaml", use_cache=False))
    assert {
        p.id: (p.title.nb if p.title else None, ", ".join(h.name for h in p.holders))
        for p in org.org.posts
    } == people
    first = next(iter(people))
    assert {p.id: org.superior(p.id) for p in org.org.posts}[first] is None
    assert all(org.superior(p) is not None for p in list(people)[1:])


def test_emails_go_to_the_holder(invoke: Invoke) -> None:
    result = invoke("import", "csv", str(FIXTURES / "people-export.csv"))
    org = build_index(load_bytes(result.stdout.encode(), "x.yaml", use_cache=False))
    assert [h.email for h in org.posts["2"].holders] == ["tor.aasen@example.org"]
    assert [h.email for h in org.posts["3"].holders] == [None]


def test_name_col_chooses_the_persons_column(invoke: Invoke) -> None:
    csv_text = "id,boss,who,job\n1,,Ola Hansen,Boss\n2,1,Kari,Clerk\n"
    result = invoke(
        "import",
        "csv",
        "-",
        "--manager-col",
        "boss",
        "--name-col",
        "who",
        "--title-col",
        "job",
        input=csv_text,
    )
    assert result.exit_code == 0, result.stderr
    org = build_index(load_bytes(result.stdout.encode(), "x.yaml", use_cache=False))
    assert [
        (p.title.nb if p.title else "", [h.name for h in p.holders]) for p in org.org.posts
    ] == [
        ("Boss", ["Ola Hansen"]),
        ("Clerk", ["Kari"]),
    ]
    missing = invoke(
        "import", "csv", "-", "--manager-col", "boss", "--name-col", "x", input=csv_text
    )
    assert (missing.exit_code, missing.stdout) == (1, "")
    assert "no column 'x' for --name-col (the header has: id, boss, who, job)" in missing.stderr


def test_title_col_on_the_name_column_makes_it_the_title(invoke: Invoke) -> None:
    result = invoke("import", "csv", "-", "--title-col", "name", input="id,name,parent\na,CEO,\n")
    org = build_index(load_bytes(result.stdout.encode(), "x.yaml", use_cache=False))
    assert (org.org.posts[0].title, org.org.posts[0].holders) == (("CEO", None), ())


def test_a_file_of_mixed_encodings_is_refused_at_its_row() -> None:
    data = "id,navn,stilling,leder\n1,Kåre Ødegård,Rådmann,\n".encode() + b"2,Ren\xe9,Konsulent,1\n"
    assert problems(data) == [
        "hr.csv:3:1: not valid utf-8: byte 0xE9, though other rows are UTF-8 (a file of mixed encodings);"
        " choose the file's encoding with --encoding"
    ]


def test_name_col_on_the_title_column_makes_it_people(invoke: Invoke) -> None:
    csv_text = "id,manager,title\n1,,Kari Nordmann\n2,1,Ola Hansen\n"
    result = invoke("import", "csv", "-", "--name-col", "title", input=csv_text)
    org = build_index(load_bytes(result.stdout.encode(), "x.yaml", use_cache=False))
    assert [(p.title, [h.name for h in p.holders]) for p in org.org.posts] == [
        (None, ["Kari Nordmann"]),
        (None, ["Ola Hansen"]),
    ]
    both = invoke(
        "import", "csv", "-", "--name-col", "title", "--title-col", "title", input=csv_text
    )
    assert both.exit_code == 2 and "a column holds titles or people" in both.stderr


def test_a_header_is_known_by_any_column_not_only_the_id() -> None:
    text = b"Employee #,Name,Job Title,Reporting to\n1,Ola,Boss,\n2,Kari,Clerk,1\n"
    org = imported(text)
    assert sorted(org.posts) == ["1", "2"] and org.superior("2") == "1"
    by_number = b"EmpNo,Name,JobTitle,Boss\n1,Ola,Boss,\n2,Kari,Clerk,1\n"
    org = imported(by_number, Columns(id="1", manager="4", title="3"))
    assert sorted(org.posts) == ["1", "2"]  # the header is not a post


def test_bad_dates_and_emails_are_located_at_their_csv_row() -> None:
    text = b"id,title,manager,name,email\n1,Boss,,Ola,ola@example\n"
    assert problems(text) == [
        "hr.csv:2:1: 'ola@example' in the email column is not an e-mail address (name@example.org)"
    ]


def test_our_own_csv_with_a_holder_row_for_an_unknown_post_is_located() -> None:
    from orgroles.exports.table import COLUMNS

    header = ",".join(COLUMNS)
    blank = "," * (len(COLUMNS) - 2)
    text = f"{header}\nzz,holder{blank}\n"
    assert problems(text.encode()) == ["hr.csv:2:1: a holder of 'zz', which no row above is"]


def test_ids_and_managers_compare_in_their_composed_form() -> None:
    """An id written decomposed and its manager reference composed (or the other way round)
    are the same id, as they are in YAML; a duplicate in two forms is a duplicate at its row."""
    text = "id,title,manager\nr\u00e5d,Boss,\nb,B,ra\u030ad\nra\u030ad2,C,r\u00e5d\n"
    org = imported(text.encode("utf-8"))
    assert org.superior("b") == "r\u00e5d" and org.superior("r\u00e5d2") == "r\u00e5d"
    duplicate = "id,title,manager\nr\u00e5d,A,\nra\u030ad,B,\n"
    assert problems(duplicate.encode("utf-8")) == [
        "hr.csv:3:1: duplicate id 'r\u00e5d' (first in row 2)"
    ]


def test_our_own_csv_keeps_every_character_through_a_round_trip(
    invoke: Invoke, tmp_path: Path
) -> None:
    """A carriage return inside a name stays inside its (quoted) cell, where no spreadsheet
    reads the formula after it; leading tabs, trailing spaces and line separators come back
    as written; unit kinds compare composed (an attack found each of these)."""
    import csv as csvmodule
    import io

    path = tmp_path / "odd.yaml"
    path.write_text(
        "format: orgroles/1\nmeta: {title: T}\n"
        "vocabulary:\n  unit_kinds:\n    - {id: omr\u00e5de, name: Område}\n"
        "roles:\n"
        '  - {id: r, name: "Leder\\r=2+5", plural: "\\t=tab"}\n'
        '  - {id: s, name: "\\r@SUM(1+9)", reports_to: r}\n'
        '  - {id: t, name: "trailing ", reports_to: r}\n'
        '  - {id: u, name: "linje\\u2028to", reports_to: r}\n'
        "units:\n  - {id: a, kind: omra\u030ade, name: A}\n  - {id: b, kind: omr\u00e5de, name: B}\n",
        encoding="utf-8",
    )
    first = tmp_path / "odd.csv"
    result = invoke("--no-cache", "--data", str(path), "export", "-f", "csv", "-o", str(first))
    assert result.exit_code == 0, result.stderr
    text = first.read_text(encoding="utf-8")
    rows = list(csvmodule.reader(io.StringIO(text, newline="")))
    assert len(rows) == 1 + 4 + 2  # the header, four roles, two units: no row split at a CR
    assert len(list(csvmodule.reader(text.splitlines()))) < len(text.splitlines())  # quoted
    assert all(not row[0].startswith(("=", "@")) for row in rows)
    back = tmp_path / "back.yaml"
    result = invoke("import", "csv", str(first), "-o", str(back))
    assert result.exit_code == 0, result.stderr
    again = tmp_path / "again.csv"
    result = invoke("--no-cache", "--data", str(back), "export", "-f", "csv", "-o", str(again))
    assert result.exit_code == 0, result.stderr
    assert again.read_text(encoding="utf-8") == text


@pytest.mark.parametrize("name", ["x;'y';z", "a|'b'|c", "t\t'u'\tv", "p;q;r;s"])
def test_our_own_export_comes_back_whatever_its_names_hold(
    invoke: Invoke, tmp_path: Path, name: str
) -> None:
    """The delimiter is read from the header row: names full of semicolons, bars or tabs in
    every row (an attack found ';' chosen for our comma-separated export) come back."""
    import json

    text = (
        "format: orgroles/1\nmeta: {title: T}\nroles:\n"
        f"  - {{id: r0, name: {json.dumps(name)}}}\n"
        f"  - {{id: r1, name: {json.dumps(name + '2')}, reports_to: r0}}\n"
    )
    source = tmp_path / "m.yaml"
    source.write_text(text, encoding="utf-8")
    exported = tmp_path / "m.csv"
    assert invoke("--data", str(source), "export", "-f", "csv", "-o", str(exported)).exit_code == 0
    back = invoke("import", "csv", str(exported))
    assert back.exit_code == 0, back.stderr
    again = tmp_path / "back.yaml"
    again.write_text(back.stdout, encoding="utf-8")
    shown = json.loads(invoke("--data", str(again), "tree", "--json").stdout)
    assert {r["name"] for r in shown["rows"]} == {name, name + "2"}


@pytest.mark.parametrize(
    ("text", "delimiter"),
    [("id;name;manager\n1;a;\n", ";"), ("id|name|manager\n1|a|\n", "|"),
     ("id\tname\tmanager\n1\ta\t\n", "\t"), ("id,name,manager\n1,a,\n", ","),
     ('"Name, full";Manager;Id\n"B, A";;1\n', ";"), ("id\n1\n", ","),
     # found by attacks: a quoted header cell with as many commas as the real delimiter
     ('Ansattnr;Leder;Stilling;"Org. enhet (sektor, avdeling, seksjon, team)"\n'
      '1;;Sjef;"Økonomi, lønn, regnskap, innkjøp"\n2;1;Rådgiver;IKT\n', ";"),
     ('Employee ID\tManager ID\tJob Title\tOrg path (Division, Department, Section, Team)\n'
      "1\t\tCEO\tHQ\n2\t1\tCFO\tHQ, Finance\n", "\t"),
     # a header cell broken over two lines (Alt+Enter in a spreadsheet)
     ('Navn (etternavn, fornavn);"Ansatt-\nnummer";Leder;Stilling\n"Berg, Siri";1;;Sjef\n', ";"),
     # every name full of the other delimiter
     ("id,name\n1,x;'y';z\n2,x;'y';w\n", ",")],
)  # fmt: skip
def test_the_delimiter_is_the_one_that_splits_the_header(text: str, delimiter: str) -> None:
    from orgroles.csvimport import _delimiter

    assert _delimiter(text) == delimiter


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_a_spreadsheets_unicode_text_is_read_as_utf16(
    invoke: Invoke, tmp_path: Path, codec: str
) -> None:
    """Excel's "Unicode text" is UTF-16 with a BOM, tab-separated (an attack found it read as
    Windows-1252, with NULs in the error)."""
    import codecs

    rows = "Ansattnr\tLeder\tStilling\r\n1\t\tRådmann\r\n2\t1\tØkonomisjef\r\n"
    bom = {"utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE}.get(codec, b"")
    path = tmp_path / "hr.txt"
    path.write_bytes(bom + rows.encode(codec))
    result = invoke("import", "csv", str(path))
    assert result.exit_code == 0, result.stderr
    assert "Økonomisjef" in result.stdout and "Rådmann" in result.stdout


@pytest.mark.parametrize("ending", ["\n", "\r\n"])
def test_excels_sep_line_names_the_delimiter(invoke: Invoke, tmp_path: Path, ending: str) -> None:
    """A first line ``sep=;`` (Excel's hint) is not the header: it names the delimiter, and
    the rows keep their line numbers in messages."""
    rows = ["sep=;", "Ansattnr;Navn;Stilling;Leder", "1;Kari Nordmann;Direktør;", "2;Ola;Sjef;9"]
    path = tmp_path / "hr.csv"
    path.write_bytes(ending.join(rows).encode("cp1252") + ending.encode())
    result = invoke("import", "csv", str(path))
    assert result.exit_code == 1  # the manager 9 is unknown: said at its line, the fourth
    assert f"{path}:4:" in result.stderr, result.stderr
    path.write_bytes(ending.join(rows[:3]).encode("cp1252") + ending.encode())
    result = invoke("import", "csv", str(path))
    assert result.exit_code == 0, result.stderr
    assert "Direktør" in result.stdout


def test_a_cell_with_text_after_its_closing_quote_is_a_located_error(
    invoke: Invoke, tmp_path: Path
) -> None:
    """The csv module's lenient reading made ``"KN" Nordmann`` into ``KN Nordmann`` and an
    unclosed quote swallowed the rest of the file, silently: now each is an error at its line."""
    for text, line in (
        ('Ansattnr,Leder,Stilling\n1,,Sjef\n2,1,"KN" Nordmann\n', 3),
        # an unclosed quote: the row it opens in (not the end of the file), also in the header
        ('Ansattnr,Leder,Stilling\n1,,Sjef\n2,1,"Rådgiver\n3,1,IKT\n4,1,IKT\n', 3),
        ('Ansattnr,"Leder,Stilling\n1,,Sjef\n2,1,IKT\n', 1),
        # tab-separated, quoted as CSV in one row and not in another: not guessed at
        ('Ansattnr\tLeder\tStilling\n1\t\t"Sjef\tog leder"\n2\t1\t"KN" leder\n', 3),
        ('Ansattnr\tLeder\tStilling\n1\t\t"Sjef\nog leder"\n2\t1\t"KN" leder\n', 4),
    ):
        path = tmp_path / "hr.csv"
        path.write_text(text, encoding="utf-8")
        result = invoke("import", "csv", str(path))
        assert result.exit_code == 1 and result.stdout == ""
        assert result.stderr.startswith(f"orgroles: {path}:{line}:1: CSV: "), result.stderr
        assert '"Kari ""KN"" Nordmann"' in result.stderr and "Traceback" not in result.stderr


def test_a_tab_separated_file_that_quotes_nothing_keeps_its_quotes() -> None:
    """A tab-separated export that does not quote (most databases' TSV): a title that starts
    with a quote is read as written. One that quotes as Excel does is read as Excel means."""
    raw = 'Ansattnr\tLeder\tStilling\n1\t\tSjef\n2\t1\t"Kari" (konstituert)\n'
    ix = imported(raw.encode())
    assert ix.label("2", "nb") == '"Kari" (konstituert)'
    excel = 'Ansattnr\tLeder\tStilling\n1\t\tSjef\n2\t1\t"""Kari"" (konstituert)"\n'
    assert imported(excel.encode()).label("2", "nb") == '"Kari" (konstituert)'
    # two stray quotes rows apart: not one cell of the rows between them (an attack's file)
    stray = 'id\tmanager\ttitle\n1\t\tBoss\n2\t1\t"Spesial\n3\t1\t12"\n4\t1\tX\n'
    ix = imported(stray.encode())
    assert (ix.label("2", "nb"), ix.label("3", "nb")) == ('"Spesial', '12"')
    # quoted as Excel does, with a tab and a line break inside cells: read as Excel means
    excel = 'id\tmanager\ttitle\n1\t\t"Sjef\tog leder"\n2\t1\t"Salg og\nmarked"\n'
    ix = imported(excel.encode())
    assert (ix.label("1", "nb"), ix.label("2", "nb")) == ("Sjef\tog leder", "Salg og\nmarked")


def test_a_cell_longer_than_the_csv_modules_limit_is_read(tmp_path: Path) -> None:
    """The csv module refuses cells over 131,072 characters; a file's title may be longer (and
    our own export then could not be imported back)."""
    long = "B" * 140_000
    for raw in (f"id\tmanager\ttitle\n1\t\t{long}\n", f'id,manager,title\n1,,"{long}"\n'):
        assert imported(raw.encode()).label("1", "nb") == long


def test_a_bad_id_in_our_own_exports_reference_columns_is_located_at_its_row(
    ix: OrgIndex,
) -> None:
    """``role``, ``unit``, ``unit_kind``, ``part_of`` and ``reports_to_stated`` hold ids: one
    that is not valid is reported at its CSV row, not at a line of the YAML made from it."""
    rows = list(csv.reader(io.StringIO(export(ix, "csv"), newline="")))
    column = rows[0].index("unit")
    row = next(i for i, r in enumerate(rows) if i and r[column])
    rows[row][column] += "\u200b"
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    found = problems(buffer.getvalue().encode())
    assert found and all(p.startswith(f"hr.csv:{row + 1}:1: unit ") for p in found), found
