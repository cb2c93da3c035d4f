"""CSV for spreadsheets and for the round trip through ``orgroles import csv``.

One row per role (``class`` when it has no listed posts and stands in the line itself, with a
count; ``role`` otherwise), per post, per unit, and a ``holder`` row for each holder of a post
after its first. ``reports_to`` is the post a line certainly ends at, or the role when it is
one of several posts (``reports_to_unspecified``); on a ``role`` row it is the role's own
``reports_to``. ``name_*`` is the display name; ``title_*``, ``portfolio_*`` and ``plural_*``
what the file states, so ``import csv`` gives the same organisation back (docs/exports.md says
what CSV leaves out)."""

import csv
import io
import re
from collections.abc import Iterator

from orgroles.index import OrgIndex
from orgroles.model import Count, Holder, Lang, LangText, Org, Post, Role, Term, Unit
from orgroles.names import IGNORABLE
from orgroles.queries.common import is_one_of, superior_of

COLUMNS = (
    "id",
    "kind",
    "name_nb",
    "name_en",
    "role",
    "reports_to",
    "reports_to_unspecified",
    "reports_to_stated",
    "unit",
    "count",
    "approximate",
    "staff",
    "staff_approximate",
    "title_nb",
    "title_en",
    "portfolio_nb",
    "portfolio_en",
    "plural_nb",
    "plural_en",
    "unit_kind",
    "part_of",
    "vacant",
    "holder",
    "holder_email",
    "holder_id",
    "acting",
    "from",
    "until",
)
HOLDER_COLUMNS = COLUMNS[COLUMNS.index("holder") :]
Row = dict[str, str]

# A cell a spreadsheet would run as a formula (OWASP's "CSV injection"): it starts with one of
# = + - @ tab CR (or their full-width and small forms), possibly after quotes that are
# themselves the data ("'=x") and after characters an import may trim or not show: white space
# of any kind and Unicode's default-ignorable characters (zero-width, joiners, soft hyphen …).
_SPACES = "\\s\u2800" + IGNORABLE  # (U+2800, the braille blank, shows nothing either)
_STARTS = "=+\\-@\t\r\uff1d\uff0b\uff0d\uff20\ufe66\ufe62\ufe63\ufe6b"
_FORMULA = re.compile(f"'*[{_SPACES}]*[{_STARTS}]")


def protect(cell: str) -> str:
    """Neutralise a cell as OWASP recommends: a leading single quote (shown by no spreadsheet).

    Cells that start with quotes followed by a formula character get one quote more, so
    ``unprotect`` gives every cell back exactly.
    """
    return "'" + cell if _FORMULA.match(cell) else cell


def unprotect(cell: str) -> str:
    """Undo ``protect``: drop the quote in front of a (quoted) formula character."""
    return cell[1:] if cell.startswith("'") and _FORMULA.match(cell, 1) else cell


def _flag(value: bool) -> str:
    return "true" if value else "false"


def _texts(prefix: str, text: LangText | None) -> Row:
    return {f"{prefix}_nb": text.nb or "", f"{prefix}_en": text.en or ""} if text else {}


def _count(prefix: str, count: Count | None) -> Row:
    if count is None:
        return {}
    return {prefix: str(count.value), f"{prefix}_approximate": _flag(count.approximate)}


def _holder(holder: Holder) -> Row:
    return {
        "holder": holder.name,
        "holder_email": holder.email or "",
        "holder_id": holder.external_id or "",
        "acting": _flag(holder.acting),
        "from": holder.from_ or "",
        "until": holder.until or "",
    }


def _role_rows(ix: OrgIndex, role: Role) -> Iterator[Row]:
    in_line = role.id not in ix.role_posts
    up = superior_of(ix, role.id) if in_line else (role.reports_to.id if role.reports_to else "")
    row = {
        "id": role.id,
        "kind": "class" if in_line else "role",
        "role": role.id,
        "reports_to": up or "",
        "reports_to_unspecified": _flag(is_one_of(ix, up)),
        "reports_to_stated": role.reports_to.id if role.reports_to else "",
        **_texts("name", role.name),
        **_count("count", role.count),
        **_texts("plural", role.plural),
    }
    if "count_approximate" in row:
        row["approximate"] = row.pop("count_approximate")
    yield row


def _post_rows(ix: OrgIndex, post: Post) -> Iterator[Row]:
    up = superior_of(ix, post.id) or ""
    first, *others = post.holders or (None,)
    yield {
        "id": post.id,
        "kind": "post",
        "role": post.role.id if post.role else "",
        "reports_to": up,
        "reports_to_unspecified": _flag(is_one_of(ix, up)),
        "reports_to_stated": post.reports_to.id if post.reports_to else "",
        "unit": post.heads.id if post.heads else "",
        **_count("staff", post.staff),
        **_texts("title", post.title),
        **_texts("portfolio", post.portfolio),
        "vacant": _flag(post.vacant),
        **(_holder(first) if first else {}),
    }
    for holder in others:
        yield {"id": post.id, "kind": "holder", **_holder(holder)}


def _unit_row(unit: Unit) -> Row:
    return {
        "id": unit.id,
        "kind": "unit",
        **_texts("name", unit.name),
        "unit_kind": unit.kind.id,
        "part_of": unit.part_of.id if unit.part_of else "",
    }


def rows(ix: OrgIndex) -> Iterator[Row]:
    """Yield the rows in file order: roles, posts (each followed by its further holders),
    units."""
    for role in ix.org.roles:
        yield from _role_rows(ix, role)
    for post in ix.org.posts:
        yield from _post_rows(ix, post)
    for unit in ix.org.units:
        yield _unit_row(unit)


# A cell that may need ``protect``, found in a row's cells joined by NULs (one search a row).
_MAYBE_FORMULA = re.compile(f"\x00['{_SPACES}{_STARTS}]")  # (searched in NUL + the cells)
_EMPTY = ("",) * len(COLUMNS)
# What a reader may take for the end of a line (str.splitlines does) besides "\n", which the
# csv module quotes itself: a row holding one is written with every cell quoted.
_BREAKS = re.compile("[\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


def csv_chunks(ix: OrgIndex, lang: Lang) -> Iterator[str]:
    """The CSV of ``to_csv``, a thousand rows at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    # With "\n" ending the lines, the csv module does not quote a cell for a carriage return
    # (or U+2028 …) inside it, which readers take for the end of a row: such a row is quoted.
    quoted = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writerow(COLUMNS)
    for number, row in enumerate(rows(ix), start=1):
        if row["kind"] == "post":  # its display name; what the file states is in title_*
            row["name_nb"], row["name_en"] = ix.label(row["id"], "nb"), ix.label(row["id"], "en")
        cells = list(map(row.get, COLUMNS, _EMPTY))
        joined = "\x00".join(cells)
        if _MAYBE_FORMULA.search("\x00" + joined):
            cells = [protect(cell) for cell in cells]
        (quoted if _BREAKS.search(joined) else writer).writerow(cells)
        if number % 1000 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def to_csv(ix: OrgIndex, lang: Lang) -> str:
    """Return the organisation as CSV with a header row (``lang`` is not used: both languages
    have their columns)."""
    return "".join(csv_chunks(ix, lang))


def carried(org: Org) -> Org:
    """Return ``org`` with only what the CSV carries (docs/exports.md): what ``import csv`` of
    the export gives back. ``orgroles diff`` of two such organisations shows what a round trip
    changed."""
    from orgroles.model import Meta, Ref, Vocabulary

    def ref(r: Ref | None) -> Ref | None:
        return Ref(r.id) if r is not None else None

    def count(c: Count | None) -> Count | None:
        return Count(c.value, c.approximate) if c is not None else None

    return Org(
        meta=Meta(LangText(None, None), require_sources=False),
        vocabulary=Vocabulary(
            unit_kinds=tuple(  # the kinds units use, in order of use, named by their ids
                Term(kind, LangText(kind, None))
                for kind in dict.fromkeys(u.kind.id for u in org.units)
            )
        ),
        roles=tuple(
            Role(r.id, r.name, r.plural, count=count(r.count), reports_to=ref(r.reports_to))
            for r in org.roles
        ),
        posts=tuple(
            Post(
                p.id,
                ref(p.role),
                p.title,
                p.portfolio,
                ref(p.heads),
                ref(p.reports_to),
                staff=count(p.staff),
                holders=tuple(h._replace(source=None, note=None) for h in p.holders),
                vacant=p.vacant,
            )
            for p in org.posts
        ),
        units=tuple(Unit(u.id, Ref(u.kind.id), u.name, part_of=ref(u.part_of)) for u in org.units),
        file=org.file,
    )
