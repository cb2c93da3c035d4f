"""Pieces every query shares: provenance, counts, how a node is named.

Answers hold names as the model's bilingual ``LangText`` and, where a person reads more than a
name, a small phrase (``OpenLine``, ``NodeList``, ``NameSet``): ``orgroles.render`` chooses the
language and every word (``render.labels.say``).
"""

from typing import NamedTuple

from orgroles.index import OrgIndex
from orgroles.model import LangText, Source


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


def label(ix: OrgIndex, node: str) -> LangText:
    """Return a node's display name in both languages (``OrgIndex.label``)."""
    if ix.kind(node) == "post":
        return LangText(ix.label(node, "nb"), ix.label(node, "en"))
    name: LangText = ix.obj(node).name
    return name


def plural(ix: OrgIndex, role_id: str) -> LangText:
    """Return a role's plural name in both languages (its name when it has none)."""
    role = ix.roles[role_id]
    return role.plural if role.plural else role.name


class OpenLine(NamedTuple):
    """That a line ends at one of a role's posts (``role``; None: one of several nodes), the
    source not saying which; ``render.labels`` words it."""

    role: str | None
    name: LangText | None = None
    plural: LangText | None = None


def open_line(ix: OrgIndex, target: str | None) -> OpenLine:
    """Return that a line ends at 'one of' ``target``'s posts (or of several nodes)."""
    if target is None or target not in ix.roles:
        return OpenLine(None)
    return OpenLine(target, ix.roles[target].name, plural(ix, target))


class NodeList(NamedTuple):
    """Several nodes at one step of the line, named together: the first of them (``names``),
    how many more, and their role's plural when they share one."""

    names: tuple[LangText, ...]
    more: int = 0
    role: LangText | None = None


class NameSet(NamedTuple):
    """Names shown sorted in the language they are read in."""

    names: tuple[LangText, ...]


class BothNames(NamedTuple):
    """A name in both languages, shown the chosen language first."""

    nb: str
    en: str


Name = LangText | NodeList
Text = LangText | NodeList | OpenLine


def role_count(ix: OrgIndex, node: str) -> tuple[int | None, bool]:
    if ix.kind(node) != "role":
        return None, False
    role = ix.roles[node]
    if role.count is not None:
        return role.count.value, role.count.approximate
    posts = ix.line.post_count(node)
    return (posts, False) if posts else (None, False)


def is_one_of(ix: OrgIndex, target: str | None) -> bool:
    """Tell whether a line to ``target`` ends at one of several posts, not stated which."""
    return target is not None and ix.line.post_count(target) > 1


def superior_of(ix: OrgIndex, node: str) -> str | None:
    """Return the id a line node reports to: its target, or a one-post role's post."""
    up = ix.superior(node)
    if up is None:
        return None
    return ix.line.role_posts[up][0] if ix.line.post_count(up) == 1 else up


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
    """A role, post, unit or forum as answers name it (a class by its plural)."""

    id: str
    kind: str
    name: Name


def name_of(ix: OrgIndex, node: str) -> LangText:
    """Return a node's name as answers give it: a role in the plural unless it has exactly one."""
    if ix.kind(node) == "role":
        count, approximate = role_count(ix, node)
        singular = count == 1 and not approximate
        return ix.roles[node].name if singular else plural(ix, node)
    return label(ix, node)


def named(ix: OrgIndex, node: str) -> Named:
    """Return a node with its kind and name (``name_of``)."""
    return Named(node, ix.kind(node), name_of(ix, node))
