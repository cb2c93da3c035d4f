"""One loaded organisation with its graph and the lookups every query needs, computed once."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from orgroles import graph as g
from orgroles.model import AuthorityKind, Forum, Org, Post, Role, Source, Term, Unit
from orgroles.names import NameIndex, entity_index, fold, post_label


class OrgIndex:
    """An organisation, its graph, and lookups by id, by name and along the line."""

    def __init__(self, org: Org, graph: Any) -> None:
        self.org = org
        self.graph = graph
        self.nodes = graph.nodes
        self.roles: dict[str, Role] = {r.id: r for r in org.roles}
        self.posts: dict[str, Post] = {p.id: p for p in org.posts}
        self.units: dict[str, Unit] = {u.id: u for u in org.units}
        self.forums: dict[str, Forum] = {f.id: f for f in org.forums}
        self.kinds: dict[str, AuthorityKind] = {k.id: k for k in org.vocabulary.authority_kinds}
        self.qualifiers: dict[str, Term] = {t.id: t for t in org.vocabulary.qualifiers}
        self.scopes: dict[str, Term] = {t.id: t for t in org.vocabulary.scopes}
        self.unit_kinds: dict[str, Term] = {t.id: t for t in org.vocabulary.unit_kinds}
        self.forum_kinds: dict[str, Term] = {t.id: t for t in org.vocabulary.forum_kinds}
        self.superiors: dict[str, str] = {}
        self.subordinates: dict[str, list[str]] = {}
        self.role_posts: dict[str, list[str]] = {}
        self.heads_of: dict[str, list[str]] = {}
        for node, target, key in graph.edges(keys=True):
            if key == g.LINE:
                self.superiors[node] = target
                self.subordinates.setdefault(target, []).append(node)
            elif key == "holds":
                self.role_posts.setdefault(target, []).append(node)
            elif key == "heads":
                self.heads_of.setdefault(target, []).append(node)
        for lists in (self.subordinates, self.role_posts, self.heads_of):
            for items in lists.values():
                items.sort(key=self.order)

    # --- nodes ---------------------------------------------------------------------------

    def order(self, node: str) -> int:
        """Return a node's position in the file (for stable output)."""
        return int(self.nodes[node]["order"])

    def kind(self, node: str) -> str:
        """Return ``role``, ``post``, ``unit`` or ``forum``."""
        return str(self.nodes[node]["kind"])

    def obj(self, node: str) -> Any:
        """Return the model object of a node."""
        return self.nodes[node]["obj"]

    def label(self, node: str, lang: str) -> str:
        """Return a node's display name in ``lang``."""
        kind = self.kind(node)
        if kind == "post":
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
                or post.id
            )
        name = self.obj(node).name
        return str(name.get(lang))

    def plural(self, role_id: str, lang: str) -> str:
        """Return a role's plural name (its name when it has none)."""
        role = self.roles[role_id]
        return role.plural.get(lang) if role.plural else role.name.get(lang)

    def source_of(self, node: str) -> Source | None:
        """Return the source of a node's own entry."""
        source: Source | None = self.obj(node).source
        return source

    # --- the line ------------------------------------------------------------------------

    def superior(self, node: str) -> str | None:
        """Return the node ``node`` reports to in the line, or None at the top."""
        return self.superiors.get(node)

    def is_open_target(self, node: str) -> bool:
        """Tell whether a line to ``node`` leaves open which post (a role with posts)."""
        return self.kind(node) == "role" and node in self.role_posts

    def line_source(self, node: str) -> Source | None:
        """Return the source of ``node``'s line edge (its own, else its entry's)."""
        up = self.superior(node)
        if up is None:
            return None
        data = self.graph.get_edge_data(node, up, key=g.LINE)
        source: Source | None = data["source"] if data else None
        return source

    def role_of(self, node: str) -> str | None:
        """Return the role id of a post (or the id itself for a role)."""
        if self.kind(node) == "role":
            return node
        post = self.posts.get(node)
        return post.role.id if post and post.role else None

    # --- names ---------------------------------------------------------------------------

    @cached_property
    def names(self) -> NameIndex:
        """The index of entity names (roles, posts, units, forums)."""
        return entity_index(self.org)

    @cached_property
    def kind_names(self) -> NameIndex:
        """The index of authority-kind names."""
        index = NameIndex()
        for kind in self.org.vocabulary.authority_kinds:
            index.add(kind.id, [kind.name.nb, kind.name.en, *kind.aliases])
            index.display[kind.id] = kind.name.get("nb")
        return index

    def resolve(self, name: str) -> str:
        """Return the id of the role, post, unit or forum ``name`` names."""
        return self.names.resolve(name)

    def resolve_kind(self, name: str) -> str:
        """Return the id of the authority kind ``name`` names."""
        return self.kind_names.resolve(name)

    def is_kind_name(self, name: str) -> bool:
        """Tell whether ``name`` names exactly one authority kind."""
        return len(self.kind_names.keys.get(fold(name), ())) == 1


def build_index(org: Org) -> OrgIndex:
    """Build the graph and the lookups for an organisation."""
    return OrgIndex(org, g.build_graph(org))
