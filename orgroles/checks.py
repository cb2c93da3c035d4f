"""Semantic checks on a structurally valid file: ids, references, the line, counts, sources.

Works on the plain data that ``orgroles.spec`` returns and reports ``Finding``s: a path into
the file (``("posts", 3, "reports_to")``) and a message. ``orgroles.load`` turns paths into
FILE:LINE:COL. Every check runs; nothing stops at the first finding.
"""

import unicodedata
from collections.abc import Callable, Iterable, Iterator
from typing import Any, NamedTuple

from orgroles.line import Line
from orgroles.suggest import Matcher

Path = tuple[str | int, ...]
Where = Callable[[Path], str]
MAX_SUGGESTED = 50  # suggestions cost a scan of all ids; only the first few errors get them
SUGGEST_BUDGET = 2_000_000  # and only while the ids scanned for suggestions stay below this

_ENTITY_LISTS = ("roles", "posts", "units", "forums")
_SINGULAR = {"roles": "role", "posts": "post", "units": "unit", "forums": "forum"}
_VOCABULARIES = {
    "authority_kinds": "authority kind",
    "qualifiers": "qualifier",
    "scopes": "scope",
    "unit_kinds": "unit kind",
    "forum_kinds": "forum kind",
}


def _many(n: int, noun: str) -> str:
    """Return ``1 post``, ``3 posts``: a count and its English noun."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


class Finding(NamedTuple):
    """A semantic problem at a path in the file."""

    path: Path
    message: str


def _nfc(text: str) -> str:
    return text if text.isascii() else unicodedata.normalize("NFC", text)


class _Checker:
    def __init__(self, data: dict[str, Any], where: Where) -> None:
        self.data = data
        self.where = where
        self.findings: list[Finding] = []
        self.warnings: list[Finding] = []
        self.line_model: Line | None = None
        self.entities: dict[str, str] = {}  # NFC id -> kind ("role", "post", ...)
        self.vocab: dict[str, set[str]] = {}
        self.suggested = 0
        self.scanned = 0
        self.matchers: dict[object, Matcher] = {}

    def add(self, path: Path, message: str) -> None:
        self.findings.append(Finding(path, message))

    def warn(self, path: Path, message: str) -> None:
        self.warnings.append(Finding(path, message))

    # --- ids ---------------------------------------------------------------------------------

    def index_ids(self) -> None:
        first: dict[str, Path] = {}
        for list_name in _ENTITY_LISTS:
            for i, entity in enumerate(self.data.get(list_name, ())):
                key = _nfc(entity["id"])
                path: Path = (list_name, i, "id")
                if key in first:
                    self.add(
                        path,
                        f"duplicate id {entity['id']!r} "
                        f"(first defined at {self.where(first[key])})",
                    )
                    continue
                first[key] = path
                self.entities[key] = _SINGULAR[list_name]
        vocabulary = self.data.get("vocabulary", {})
        for list_name, label in _VOCABULARIES.items():
            terms = vocabulary.get(list_name, ())
            self.vocab[list_name] = self.unique(terms, ("vocabulary", list_name), label)
        self.inner_ids()

    def unique(self, items: Any, at: Path, label: str) -> set[str]:
        """Report an id said twice in one list (after NFC); return the list's ids."""
        seen: dict[str, Path] = {}
        for i, item in enumerate(items):
            if "id" not in item:
                continue
            key = _nfc(item["id"])
            path: Path = (*at, i, "id")
            if key in seen:
                self.add(
                    path,
                    f"duplicate {label} id {item['id']!r} "
                    f"(first defined at {self.where(seen[key])})",
                )
            else:
                seen[key] = path
        return set(seen)

    def inner_ids(self) -> None:
        """Ids unique within their own list: a kind's categories, a role's functions, the
        principles, the scorecard's perspectives and the sketch's elements."""
        vocabulary = self.data.get("vocabulary", {})
        for i, kind in enumerate(vocabulary.get("authority_kinds", ())):
            at: Path = ("vocabulary", "authority_kinds", i, "categories")
            self.unique(kind.get("categories", ()), at, f"category (of {kind['id']!r})")
        for i, role in enumerate(self.data.get("roles", ())):
            at = ("roles", i, "functions")
            self.unique(role.get("functions", ()), at, f"function (of {role['id']!r})")
        self.unique(self.data.get("principles", ()), ("principles",), "principle")
        if scorecard := self.data.get("scorecard"):
            self.unique(scorecard["perspectives"], ("scorecard", "perspectives"), "perspective")
        if sketch := self.data.get("sketch"):
            self.unique(sketch["elements"], ("sketch", "elements"), "sketch element")

    # --- holders -----------------------------------------------------------------------------

    def holders(self) -> None:
        """A holder's dates in order, a person listed once per post, and a vacant post with no
        holder who has not left it. Messages name holders by position, never by name: the
        errors of a file read with --no-people hold no personal data either."""
        for i, post in enumerate(self.data.get("posts", ())):
            current: set[tuple[str, str, str]] = set()
            for j, holder in enumerate(post.get("holders", ())):
                path: Path = ("posts", i, "holders", j)
                who = f"holder {j + 1} of post {post['id']!r}"
                start, until = holder.get("from"), holder.get("until")
                if start and until and until < start:
                    self.add((*path, "until"), f"{who} holds it until {until}, before {start}")
                if until:
                    continue  # a former holder: the same person may hold the post again
                person = (
                    _nfc(holder["name"]).casefold(),
                    holder.get("email", "").casefold(),
                    holder.get("external_id", ""),
                )
                if person in current:
                    self.add((*path, "name"), f"{who} is listed twice (give one an 'until')")
                current.add(person)
                if post.get("vacant"):
                    self.add(
                        (*path, "name"),
                        f"post {post['id']!r} is vacant, but {who} holds it "
                        "(give the holder an 'until' date, or drop 'vacant')",
                    )

    # --- references --------------------------------------------------------------------------

    def ref(self, ref: dict[str, Any] | None, path: Path, kinds: Iterable[str]) -> None:
        """Check that an entity reference exists and is of one of ``kinds``."""
        if ref is None:
            return
        target = _nfc(ref["id"])
        kinds = tuple(kinds)
        kind = self.entities.get(target)
        if kind is None:
            wanted = " or ".join(kinds)
            self.add(path, f"unknown {wanted} {ref['id']!r}{self._suggest(target, kinds)}")
        elif kind not in kinds:
            self.add(path, f"{ref['id']!r} is a {kind}, but a {' or '.join(kinds)} is needed here")

    def term(self, ref: dict[str, Any] | None, path: Path, vocabulary: str) -> None:
        """Check that a vocabulary reference exists."""
        if ref is None:
            return
        pool = self.vocab.get(vocabulary, set())
        if _nfc(ref["id"]) not in pool:
            label = _VOCABULARIES[vocabulary]
            self.add(
                path,
                f"unknown {label} {ref['id']!r}{self._suggest(ref['id'], vocabulary)}"
                f" (declare it under vocabulary.{vocabulary})",
            )

    def _suggest(self, name: str, pool_name: str | tuple[str, ...]) -> str:
        """Suggest close ids of a pool: entity kinds (a tuple) or a vocabulary (its name).

        Bounded: only the first ``MAX_SUGGESTED`` unknown ids get suggestions, and only while
        the ids scanned stay under ``SUGGEST_BUDGET``, so a file with 100,000 dangling
        references costs no more than one with 50.
        """
        self.suggested += 1
        if self.suggested > MAX_SUGGESTED or self.scanned > SUGGEST_BUDGET:
            return ""
        matcher = self.matchers.get(pool_name)
        if matcher is None:
            if isinstance(pool_name, tuple):
                pool = [k for k, v in self.entities.items() if v in pool_name]
            else:
                pool = sorted(self.vocab.get(pool_name, ()))
            matcher = self.matchers[pool_name] = Matcher(pool)
            self.scanned += len(pool)
        self.scanned += len(matcher.pool)
        close = matcher.close(name, cutoff=0.6)  # ids are short: a lower bar
        return "; did you mean " + ", ".join(repr(c) for c in close) + "?" if close else ""

    def grants(self, grants: list[dict[str, Any]], path: Path) -> None:
        for i, grant in enumerate(grants):
            here = (*path, i)
            self.term(grant["kind"], (*here, "kind"), "authority_kinds")
            self.term(grant.get("qualifier"), (*here, "qualifier"), "qualifiers")
            self.term(grant.get("scope"), (*here, "scope"), "scopes")
            for j, over in enumerate(grant.get("over", ())):
                self.ref(over, (*here, "over", j), ("role", "post", "unit"))
            self.ref(grant.get("on_behalf_of"), (*here, "on_behalf_of"), ("role", "post"))

    def references(self) -> None:
        data = self.data
        vocabulary = data.get("vocabulary", {})
        for i, kind in enumerate(vocabulary.get("authority_kinds", ())):
            for j, related in enumerate(kind.get("related", ())):
                self.term(
                    {"id": related["kind"]},
                    ("vocabulary", "authority_kinds", i, "related", j, "kind"),
                    "authority_kinds",
                )
        for i, role in enumerate(data.get("roles", ())):
            self.ref(role.get("reports_to"), ("roles", i, "reports_to"), ("role", "post"))
            self.grants(role.get("authorities", ()), ("roles", i, "authorities"))
            for j, function in enumerate(role.get("functions", ())):
                self.grants(function.get("confers", ()), ("roles", i, "functions", j, "confers"))
            for section in ("focus", "challenges", "tasks", "duties"):
                for j, item in enumerate(role.get(section, ())):
                    self.ref(item.get("same_as"), ("roles", i, section, j, "same_as"), ("role",))
        for i, post in enumerate(data.get("posts", ())):
            self.ref(post.get("role"), ("posts", i, "role"), ("role",))
            self.ref(post.get("reports_to"), ("posts", i, "reports_to"), ("post", "role"))
            self.ref(post.get("heads"), ("posts", i, "heads"), ("unit",))
        for i, unit in enumerate(data.get("units", ())):
            self.term(unit["kind"], ("units", i, "kind"), "unit_kinds")
            self.ref(unit.get("part_of"), ("units", i, "part_of"), ("unit",))
        for i, forum in enumerate(data.get("forums", ())):
            self.term(forum["kind"], ("forums", i, "kind"), "forum_kinds")
            self.ref(forum.get("part_of"), ("forums", i, "part_of"), ("forum",))
            listed: dict[str, int] = {}
            for j, member in enumerate(forum.get("members", ())):
                self.ref(member, ("forums", i, "members", j), ("role", "post", "forum", "unit"))
                first = listed.setdefault(_nfc(member["id"]), j)
                if first != j:
                    self.add(
                        ("forums", i, "members", j),
                        f"{member['id']!r} is listed twice among the members of forum "
                        f"{forum['id']!r} (first as member {first + 1}); list each once, "
                        "with its participation",
                    )
        any_entity = ("role", "post", "unit", "forum")
        stated: dict[tuple[str, str, str | None], int] = {}
        for i, relation in enumerate(data.get("relations", ())):
            self.ref(relation["from"], ("relations", i, "from"), any_entity)
            self.ref(relation.get("to"), ("relations", i, "to"), any_entity)
            to = relation.get("to")
            same = (relation["type"], _nfc(relation["from"]["id"]), to and _nfc(to["id"]))
            first = stated.setdefault(same, i)
            if first != i and to is not None:
                self.add(
                    ("relations", i, "type"),
                    f"the relation {relation['type']!r} from {relation['from']['id']!r} to "
                    f"{to['id']!r} is stated twice (first as relation {first + 1}); "
                    "state it once, with every slide in its source",
                )
        sketch = data.get("sketch")
        if sketch:
            for i, element in enumerate(sketch["elements"]):
                for j, ref in enumerate(element.get("represents", ())):
                    self.ref(ref, ("sketch", "elements", i, "represents", j), any_entity)

    # --- the line ----------------------------------------------------------------------------

    def line(self) -> None:
        """Check self-reporting, cycles (through 'one of' lines too) and post/role agreement."""
        roles = {_nfc(r["id"]): r for r in self.data.get("roles", ())}
        path_of: dict[str, Path] = {}  # node -> where its line is declared

        def target(entity: dict[str, Any], list_name: str, i: int) -> str | None:
            ref = entity.get("reports_to")
            if ref is None or self.entities.get(_nfc(ref["id"])) not in ("role", "post"):
                return None
            node, up = _nfc(entity["id"]), _nfc(ref["id"])
            if up == node:
                self.add((list_name, i, "reports_to"), f"{entity['id']!r} reports to itself")
                return None
            path_of.setdefault(node, (list_name, i, "reports_to"))
            return up

        role_decls = []
        seen: set[str] = set()
        for i, role in enumerate(self.data.get("roles", ())):
            if _nfc(role["id"]) not in seen:
                seen.add(_nfc(role["id"]))
                role_decls.append((_nfc(role["id"]), target(role, "roles", i)))
        post_decls = []
        for i, post in enumerate(self.data.get("posts", ())):
            node = _nfc(post["id"])
            if node in seen:
                continue
            seen.add(node)
            role_id = _nfc(post["role"]["id"]) if post.get("role") else None
            if self.entities.get(role_id or "") != "role":
                role_id = None
            up = target(post, "posts", i)
            if post.get("reports_to") is None and role_id is not None:
                role = roles[role_id]
                inherited = role.get("reports_to")
                if inherited is not None and _nfc(inherited["id"]) == node:
                    self.add(
                        ("posts", i), f"{post['id']!r} reports to itself through its role's line"
                    )
                    role_id = None
                else:
                    path_of.setdefault(node, ("posts", i))
            post_decls.append((node, role_id, up))
        line = Line(role_decls, post_decls)
        for cycle in line.cycles():
            first = next(n for n in cycle if n in path_of)
            self.add(path_of[first], f"reporting cycle: {_show_cycle(cycle)}")
        self.line_model = line
        # A post's line must agree with its role's line, where both are given.
        for i, post in enumerate(self.data.get("posts", ())):
            node = _nfc(post["id"])
            role = roles.get(line.post_role.get(node, ""))
            if role is None or role.get("reports_to") is None or post.get("reports_to") is None:
                continue
            role_up = _nfc(role["reports_to"]["id"])
            up = _nfc(post["reports_to"]["id"])
            if up != role_up and line.post_role.get(up) != role_up:
                self.add(
                    ("posts", i, "reports_to"),
                    f"post {post['id']!r} reports to {post['reports_to']['id']!r}, but its "
                    f"role {role['id']!r} reports to {role['reports_to']['id']!r}",
                )

    # --- legal, but probably not what the author meant ----------------------------------

    def dubious(self) -> None:
        """Warn where the file is valid but its line probably says something unintended."""
        line = self.line_model
        if line is None:
            return
        posts = self.data.get("posts", ())
        for i, post in enumerate(posts):
            node = _nfc(post["id"])
            role = line.post_role.get(node)
            if role is None or node in line.target:
                continue
            others = [p for p in line.role_posts[role] if p in line.target]
            if others:
                self.warn(
                    ("posts", i, "id"),
                    f"post {post['id']!r} has no reports_to, nor has its role {role!r}: it is "
                    f"a top-level head, while {others[0]!r} and other posts of its role report "
                    "to someone (add reports_to; a head meant to be at the top may want a role "
                    "of its own)",
                )
        listed = {role: len(items) for role, items in line.role_posts.items()}
        for i, role in enumerate(self.data.get("roles", ())):
            count = role.get("count")
            n = listed.get(_nfc(role["id"]), 0)
            if count and n and count.get("approximate") and count["value"] != n:
                self.warn(
                    ("roles", i, "count"),
                    f"role {role['id']!r} has about {_many(count['value'], 'holder')} but lists "
                    f"{_many(n, 'post')}: only the listed posts are in the line "
                    "(list them all, or none)",
                )
        self._unit_heads(line)

    def _unit_heads(self, line: Line) -> None:
        heads: dict[str, list[str]] = {}
        for post in self.data.get("posts", ()):
            if post.get("heads"):
                heads.setdefault(_nfc(post["heads"]["id"]), []).append(_nfc(post["id"]))
        for i, unit in enumerate(self.data.get("units", ())):
            mine = heads.get(_nfc(unit["id"]), [])
            if len(mine) > 1:
                self.warn(
                    ("units", i, "id"),
                    f"unit {unit['id']!r} is headed by {len(mine)} posts "
                    f"({', '.join(mine)}): line commands cannot let it stand for one of them",
                )
            parent = unit.get("part_of")
            above_heads = heads.get(_nfc(parent["id"]), []) if parent else []
            for head in mine:
                if not above_heads or head in above_heads:
                    continue
                above = {n for step in line.steps((head,))[1:] for n in step.candidates}
                if not above & set(above_heads):
                    self.warn(
                        ("units", i, "part_of"),
                        f"unit {unit['id']!r} is part of {parent['id']!r}, but its head "
                        f"{head!r} does not report (directly or further up) to that unit's "
                        f"head {above_heads[0]!r}",
                    )

    # --- counts and sources ------------------------------------------------------------------

    def counts(self) -> None:
        listed: dict[str, int] = {}
        for post in self.data.get("posts", ()):
            if post.get("role"):
                key = _nfc(post["role"]["id"])
                listed[key] = listed.get(key, 0) + 1
        for i, role in enumerate(self.data.get("roles", ())):
            count = role.get("count")
            n = listed.get(_nfc(role["id"]), 0)
            if count and n and not count.get("approximate") and count["value"] != n:
                self.add(
                    ("roles", i, "count", "value"),
                    f"role {role['id']!r} declares {_many(count['value'], 'holder')} "
                    f"but {_many(n, 'post')} {'is' if n == 1 else 'are'} listed",
                )

    def sources(self) -> None:
        if not self.data["meta"].get("require_sources", False):
            return
        for path, obj in _facts(self.data):
            if "source" not in obj:
                self.add(
                    path,
                    "fact without a source: add source: {slides: [...]} "
                    "(meta.require_sources is true)",
                )


def _facts(data: dict[str, Any]) -> Iterator[tuple[Path, dict[str, Any]]]:
    """Yield every object that must carry its own source."""
    for list_name in ("roles", "posts", "units", "forums", "relations", "principles"):
        for i, obj in enumerate(data.get(list_name, ())):
            yield (list_name, i), obj
    for name in ("scorecard", "sketch"):
        if data.get(name):
            yield (name,), data[name]
    for i, role in enumerate(data.get("roles", ())):
        if role.get("count"):
            yield ("roles", i, "count"), role["count"]
        for section in ("functions", "authorities", "focus", "challenges", "tasks", "duties"):
            for j, obj in enumerate(role.get(section, ())):
                yield ("roles", i, section, j), obj


def _show_cycle(cycle: list[str], keep: int = 4) -> str:
    """Show a cycle as ``a -> b -> a``, abbreviating long ones to their ends and a count."""
    if len(cycle) <= 2 * keep + 1:
        return " -> ".join([*cycle, cycle[0]])
    head, tail = cycle[:keep], cycle[-keep:]
    return " -> ".join([*head, f"... ({len(cycle)} in the cycle) ...", *tail, cycle[0]])


def check(data: dict[str, Any], where: Where) -> tuple[list[Finding], list[Finding]]:
    """Run every semantic check; return the problems and the warnings.

    ``where`` names a path's place for cross-references. Warnings (legal, but probably not
    meant) are looked for only in a file without problems.
    """
    checker = _Checker(data, where)
    checker.index_ids()
    checker.references()
    checker.line()
    checker.counts()
    checker.holders()
    checker.sources()
    delegation_warnings = _delegations(checker)
    if not checker.findings:
        checker.dubious()
        checker.warnings.extend(delegation_warnings)
    return checker.findings, checker.warnings


def _delegations(checker: _Checker) -> list[Finding]:
    """Run the delegation checks (``orgroles.delegation``); return their warnings apart."""
    from orgroles import delegation

    kept = checker.warnings
    checker.warnings = []
    delegation.check(checker)
    found, checker.warnings = checker.warnings, kept
    return found
