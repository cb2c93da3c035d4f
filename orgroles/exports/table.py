"""CSV for spreadsheets: one row per post, and one per role that stands in the line without
listed posts (the tjenesteledere: a class with a count). ``reports_to`` is the post a line
certainly ends at, or the role when it is one of several posts (``reports_to_unspecified``);
``staff`` counts the people under a post who are not listed."""

import csv
import io
import re

from orgroles.index import OrgIndex
from orgroles.queries.common import is_one_of, superior_of

COLUMNS = (
    "id",
    "kind",
    "name_nb",
    "name_en",
    "role",
    "reports_to",
    "reports_to_unspecified",
    "unit",
    "count",
    "approximate",
    "staff",
    "staff_approximate",
)


# A cell a spreadsheet would run as a formula (OWASP's "CSV injection"): it starts with one of
# = + - @ tab CR, possibly after quotes that are themselves the data ("'=x").
_FORMULA = re.compile("'*[=+\\-@\t\r]")


def protect(cell: str) -> str:
    """Neutralise a cell as OWASP recommends: a leading single quote (shown by no spreadsheet).

    Cells that start with quotes followed by a formula character get one quote more, so
    ``unprotect`` gives every cell back exactly.
    """
    return "'" + cell if _FORMULA.match(cell) else cell


def unprotect(cell: str) -> str:
    """Undo ``protect``: drop the quote in front of a (quoted) formula character."""
    return cell[1:] if cell.startswith("'") and _FORMULA.match(cell, 1) else cell


def to_csv(ix: OrgIndex, lang: str) -> str:
    """Return the posts (and post-less roles) as CSV with a header row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    rows = [(r.id, "class") for r in ix.org.roles if r.id not in ix.role_posts]
    rows += [(p.id, "post") for p in ix.org.posts]
    for node, kind in sorted(rows, key=lambda item: ix.order(item[0])):
        up = superior_of(ix, node) or ""
        post = ix.posts.get(node)
        count = ix.roles[node].count if kind == "class" else None
        staff = post.staff if post else None
        writer.writerow(
            protect("" if cell is None else str(cell))
            for cell in [
                node,
                kind,
                ix.label(node, "nb"),
                ix.label(node, "en"),
                ix.role_of(node) if kind == "post" else node,
                up,
                "true" if is_one_of(ix, up) else "false",
                post.heads.id if post and post.heads else "",
                count.value if count else "",
                ("true" if count.approximate else "false") if count else "",
                staff.value if staff else "",
                ("true" if staff.approximate else "false") if staff else "",
            ]
        )
    return buffer.getvalue()
