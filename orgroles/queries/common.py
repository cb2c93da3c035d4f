"""Pieces every query shares: provenance, counts, how a node is named, the line's wording."""

from typing import NamedTuple

from orgroles.index import OrgIndex
from orgroles.model import Source


def slides_of(*sources: Source | None) -> tuple[int, ...]:
    """Return the sorted slide numbers of several sources together."""
    return tuple(sorted({s for source in sources if source for s in source.slides}))


def status_of(*sources: Source | None) -> str:
    """Return the weakest status of several sources (unspecified < inferred < stated)."""
    statuses = {source.status for source in sources if source}
    for status in ("unspecified", "inferred"):
        if status in statuses:
            return status
    return "stated"


def open_line_note(ix: OrgIndex, target: str | None, lang: str) -> str:
    """Say that a line ends at 'one of' a role's posts (or of several), without saying which."""
    if target is None or target not in ix.roles:
        if lang == "en":
            return "reports to one of these; the source does not say which"
        return "rapporterer til en av disse; kilden sier ikke hvilken"
    if lang == "en":
        return f"reports to one of the {ix.plural(target, 'en')}; the source does not say which"
    return f"rapporterer til en {ix.roles[target].name.get('nb')}; kilden sier ikke hvilken"


def role_count(ix: OrgIndex, node: str) -> tuple[int | None, bool]:
    if ix.kind(node) != "role":
        return None, False
    role = ix.roles[node]
    if role.count is not None:
        return role.count.value, role.count.approximate
    posts = ix.role_posts.get(node)
    return (len(posts), False) if posts else (None, False)


def is_one_of(ix: OrgIndex, target: str | None) -> bool:
    """Tell whether a line to ``target`` ends at one of several posts, not stated which."""
    return target is not None and len(ix.line.role_posts.get(target, ())) > 1


def superior_of(ix: OrgIndex, node: str) -> str | None:
    """Return the id a line node reports to: its target, or a one-post role's post."""
    up = ix.superior(node)
    if up is None:
        return None
    posts = ix.line.role_posts.get(up)
    return posts[0] if posts is not None and len(posts) == 1 else up


def staff_of(ix: OrgIndex, node: str) -> tuple[int | None, bool]:
    """Return the people under a post who are not listed (its ``staff``), and 'about'."""
    post = ix.posts.get(node)
    if post is None or post.staff is None:
        return None, False
    return post.staff.value, post.staff.approximate


class Person(NamedTuple):
    """Someone who holds a post, as answers show them (``from``/``until`` as the file has them)."""

    name: str
    email: str | None
    external_id: str | None
    acting: bool
    from_: str | None
    until: str | None
    slides: tuple[int, ...]
    status: str
    note: str | None


def holders_of(ix: OrgIndex, node: str) -> tuple[Person, ...]:
    """Return who holds a post, as the file lists them (none for other nodes)."""
    post = ix.posts.get(node)
    if post is None or not post.holders:
        return ()
    return tuple(
        Person(
            h.name,
            h.email,
            h.external_id,
            h.acting,
            h.from_,
            h.until,
            slides_of(h.source),
            status_of(h.source),
            h.note,
        )
        for h in post.holders
    )


def is_vacant(ix: OrgIndex, node: str) -> bool:
    """Tell whether the file marks a post vacant."""
    post = ix.posts.get(node)
    return post is not None and post.vacant


class Named(NamedTuple):
    """A role, post, unit or forum as answers name it."""

    id: str
    kind: str
    name: str


def named(ix: OrgIndex, node: str, lang: str) -> Named:
    if ix.kind(node) == "role":
        count, approximate = role_count(ix, node)
        name = (
            ix.roles[node].name.get(lang)
            if count == 1 and not approximate
            else ix.plural(node, lang)
        )
        return Named(node, "role", name)
    return Named(node, ix.kind(node), ix.label(node, lang))
