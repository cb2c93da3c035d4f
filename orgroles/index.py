"""One loaded organisation and the lookups every query needs, computed once.

The reporting line is ``OrgIndex.line`` (``orgroles.line``: the one place its rules live); the
other lookups (``holds``, ``heads``, ``part_of``, relations) follow the graph conventions of
``orgroles.graph`` but are plain dicts built straight from the model: a question that needs no
graph algorithm never imports networkx. The networkx graph itself is ``OrgIndex.graph``, built
on first use from the same line; ``tests/test_index.py`` checks that both agree.
"""

from collections.abc import Iterator, MutableMapping
from functools import cached_property
from typing import Any

from orgroles.errors import OrgrolesError
from orgroles.line import line_of
from orgroles.model import (
    AuthorityKind,
    Forum,
    Org,
    Post,
    Relation,
    Role,
    Source,
    Term,
    Unit,
    line_source,
)
from orgroles.names import NameIndex, entity_index, fold, people_label, post_label


class OrgIndex:
    """An organisation, and lookups by id, by name and along the line."""

    def __init__(self, org: Org, graph: Any = None) -> None:
        self.org = org
        if graph is not None:
            self.__dict__["graph"] = graph
        self.line = line_of(org)
        self.role_posts = self.line.role_posts
        self.roles: MutableMapping[str, Role] = {r.id: r for r in org.roles}
        # The line read every post's id in file order: zip, not p.id a million times.
        self.posts: MutableMapping[str, Post] = dict(zip(self.line.posts, org.posts, strict=True))
        self.units: MutableMapping[str, Unit] = {u.id: u for u in org.units}
        self.forums: MutableMapping[str, Forum] = {f.id: f for f in org.forums}
        self.kinds: dict[str, AuthorityKind] = {k.id: k for k in org.vocabulary.authority_kinds}
        self.qualifiers: dict[str, Term] = {t.id: t for t in org.vocabulary.qualifiers}
        self.scopes: dict[str, Term] = {t.id: t for t in org.vocabulary.scopes}
        self.unit_kinds: dict[str, Term] = {t.id: t for t in org.vocabulary.unit_kinds}
        self.forum_kinds: dict[str, Term] = {t.id: t for t in org.vocabulary.forum_kinds}
        # Roles, posts, units, forums: the line's order (roles and posts) and the rest after.
        self._order: MutableMapping[str, int] = dict(self.line.order)
        self._kind: MutableMapping[str, str] = dict.fromkeys(self.roles, "role")
        self._kind.update(dict.fromkeys(self.posts, "post"))
        for kind, entities in (("unit", org.units), ("forum", org.forums)):
            for entity in entities:
                self._order[entity.id] = len(self._order)
                self._kind[entity.id] = kind
        self.heads_of: MutableMapping[str, list[str]] = {}
        self.parts: MutableMapping[str, list[str]] = {}
        self.memo: dict[tuple[object, ...], Any] = {}  # answers' parts, reused across questions
        self.relations_from: dict[str, list[Relation]] = {}
        self.relations_to: dict[str, list[Relation]] = {}
        for post in org.posts:
            if post.heads is not None:
                self.heads_of.setdefault(post.heads.id, []).append(post.id)
        for unit in org.units:
            if unit.part_of is not None:
                self.parts.setdefault(unit.part_of.id, []).append(unit.id)
        for forum in org.forums:
            if forum.part_of is not None:
                self.parts.setdefault(forum.part_of.id, []).append(forum.id)
        for relation in org.relations:
            self.relations_from.setdefault(relation.from_.id, []).append(relation)
            if relation.to is not None:
                self.relations_to.setdefault(relation.to.id, []).append(relation)

    # --- nodes ---------------------------------------------------------------------------

    @cached_property
    def graph(self) -> Any:
        """The networkx graph of the organisation (``orgroles.graph``), built on first use."""
        from orgroles.graph import build_graph

        return build_graph(self.org, self.line)

    def ids(self) -> Iterator[str]:
        """Every role, post, unit and forum id, in file order (roles, posts, units, forums)."""
        return iter(self._order)

    def order(self, node: str) -> int:
        """Return a node's position in the file (for stable output)."""
        return self._order[node]

    def kind(self, node: str) -> str:
        """Return ``role``, ``post``, ``unit`` or ``forum``."""
        return self._kind[node]

    def obj(self, node: str) -> Any:
        """Return the model object of a node."""
        kind = self._kind[node]
        table: MutableMapping[str, Any] = (
            self.roles
            if kind == "role"
            else self.posts
            if kind == "post"
            else self.units
            if kind == "unit"
            else self.forums
        )
        return table[node]

    def label(self, node: str, lang: str, people: bool = True) -> str:
        """Return a node's display name in ``lang`` (without ``people``: never a holder's
        name, as with the holders left out)."""
        if self._kind[node] == "post":
            post = self.posts[node]
            role = self.roles.get(post.role.id) if post.role else None
            unit = self.units.get(post.heads.id) if post.heads else None
            return (
                post_label(
                    post.title,
                    post.portfolio,
                    role.name if role else None,
                    unit.name if unit else None,
                    lang,
                )
                or (people_label(post.holders) if people else None)
                or post.id
            )
        return str(self.obj(node).name.get(lang))

    def plural(self, role_id: str, lang: str) -> str:
        """Return a role's plural name (its name when it has none)."""
        role = self.roles[role_id]
        return role.plural.get(lang) if role.plural else role.name.get(lang)

    def source_of(self, node: str) -> Source | None:
        """Return the source of a node's own entry."""
        source: Source | None = self.obj(node).source
        return source

    def ids_starting(self, prefix: str, limit: int) -> list[str]:
        """Return up to ``limit`` ids of roles, posts, units and forums that start with
        ``prefix``, in file order (roles, then posts, units, forums)."""
        found = []
        for id_ in self._order:
            if id_.startswith(prefix):
                found.append(id_)
                if len(found) >= limit:
                    break
        return found

    def large_answer(self, name: str, all_levels: bool) -> bool:
        """Tell whether everyone below ``name`` is a large part of the organisation, better
        answered from memory than row by row (never, for an index in memory)."""
        return False

    def stored_stats(self, limit: int | None) -> Any:
        """The measurements of ``queries.stats`` as a store keeps them, with spans over
        ``limit`` as warnings; None: measured from the line when asked for."""
        return None

    def stored_layout(self) -> tuple[Any, Any, Any] | None:
        """The tree's layout as a store keeps it (``queries.line.Layout``'s fields), or None:
        computed from the line when first asked for."""
        return None

    # --- the line ------------------------------------------------------------------------

    def superior(self, node: str) -> str | None:
        """Return the target of a line node's line (a post, class or role), None at the top."""
        return self.line.target.get(node)

    def is_open_target(self, node: str) -> bool:
        """Tell whether a line to ``node`` leaves open which post (a role with posts)."""
        return self.line.is_open(node)

    def line_source(self, node: str) -> Source | None:
        """Return the source of a line node's line (its declaring entry's, else the entry's)."""
        by = self.line.declared_by.get(node)
        if by is None:
            return None
        return line_source(self.obj(by))

    def line_node(self, node: str) -> tuple[str, str | None]:
        """Return the line node a name stands for, and the unit it was reached through.

        A unit stands for the post that heads it; a role or post for itself.
        """
        kind = self._kind[node]
        if kind in ("role", "post"):
            return node, None
        if kind == "unit":
            heads = self.heads_of.get(node, [])
            if len(heads) == 1:
                return heads[0], node
            label = self.label(node, "nb")
            if not heads:
                raise OrgrolesError(
                    f"no post heads the unit {label!r}, so it has no place in the line"
                )
            names = ", ".join(heads)
            raise OrgrolesError(f"the unit {label!r} has several heads ({names}); name one of them")
        raise OrgrolesError(
            f"{self.label(node, 'nb')!r} is a forum or body, not part of the reporting line"
        )

    def role_of(self, node: str) -> str | None:
        """Return the role id of a post (or the id itself for a role)."""
        if self._kind[node] == "role":
            return node
        post = self.posts.get(node)
        return post.role.id if post and post.role else None

    # --- names ---------------------------------------------------------------------------

    def readings(self) -> list[tuple[str, str]]:
        """Return (name, id) for each name resolved other than as written (a guess)."""
        return self.names.readings if "names" in self.__dict__ else []

    @cached_property
    def names(self) -> NameIndex:
        """The index of entity names (roles, posts, units, forums), built on first use."""
        return entity_index(self.org)

    @cached_property
    def kind_names(self) -> NameIndex:
        """The index of authority-kind names."""
        index = NameIndex()
        for kind in self.org.vocabulary.authority_kinds:
            index.add(kind.id, [kind.name.nb, kind.name.en, *kind.aliases])
            index.display[kind.id] = kind.name.get("nb")
        return index

    def resolve(self, name: str, by_words: bool = True) -> str:
        """Return the id of the role, post, unit or forum ``name`` names.

        An exact id answers at once; anything else goes through the name index (built once),
        which keeps in ``names.readings`` the names it read other than as written.
        """
        if name in self._kind:
            return name
        _require_text(name)
        return self.names.resolve(name, by_words)

    def resolve_kind(self, name: str) -> str:
        """Return the id of the authority kind ``name`` names."""
        if name in self.kinds:
            return name
        _require_text(name)
        return self.kind_names.resolve(name)

    def is_kind_name(self, name: str) -> bool:
        """Tell whether ``name`` names exactly one authority kind."""
        return len(self.kind_names.keys.get(fold(name), ())) == 1


def _require_text(name: str) -> None:
    """Reject a command-line argument that was not valid UTF-8 (Python keeps such bytes as
    lone surrogates)."""
    if any("\udc80" <= ch <= "\udcff" for ch in name):
        shown = name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        raise OrgrolesError(f"the name '{shown}' is not valid UTF-8")


def build_index(org: Org) -> OrgIndex:
    """Build the lookups for an organisation (the networkx graph waits until it is needed)."""
    return OrgIndex(org)
