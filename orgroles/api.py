"""The Python API for scripts: load an organisation, ask the CLI's questions, get its answers.

Each question returns the answer the CLI renders (a NamedTuple), read in the language asked
for: names and phrases are strings, as the JSON has them (``render.jsonout.localise``), so
``to_json(answer)`` is exactly what ``orgroles ... --json`` prints. ``Organisation.graph()``
hands out the reporting line as a ``networkx.DiGraph`` (conventions in ``orgroles.apigraph``).
Every error is an ``orgroles.errors.OrgrolesError``; nothing here exits. See docs/api.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

from orgroles.errors import OrgrolesError, UnknownNameError
from orgroles.index import OrgIndex, build_index
from orgroles.load import load_org

if TYPE_CHECKING:
    from orgroles.model import Lang, Org
    from orgroles.queries.authority import AuthorityAnswer, AuthorityMatrix
    from orgroles.queries.catalogue import RolesAnswer
    from orgroles.queries.delegation import CanAnswer
    from orgroles.queries.detail import Detail
    from orgroles.queries.line import ChainAnswer, CommonAnswer, ReportsAnswer, TreeAnswer
    from orgroles.queries.search import SearchAnswer
    from orgroles.queries.stats import StatsAnswer

__all__ = ["Organisation", "load", "to_json"]


def load(path: str | Path | None = None, *, use_cache: bool = True) -> Organisation:
    """Load and validate an organisation file; ``None`` loads the bundled data (Bærum kommune).

    Raises ``DataPathError`` (missing, unreadable) or ``DataFileError`` (every problem, each
    located as FILE:LINE:COL in its ``problems``). ``use_cache`` as the CLI's ``--no-cache``.
    """
    if path is None:
        from orgroles.bundled import bundled_data_path

        path = bundled_data_path()
    return Organisation(
        build_index(load_org(Path(path), display_name=str(path), use_cache=use_cache))
    )


def to_json(answer: Any, *, indent: bool = False) -> str:
    """Return an answer (or a list of answers) as the CLI's ``--json`` prints it.

    The words in an answer are already in the language it was asked in.
    """
    from orgroles.render.jsonout import to_json as render

    return render(answer, indent=indent)


def _lang(lang: str) -> Lang:
    if lang not in ("nb", "en"):
        raise OrgrolesError(f"unknown language {lang!r}: expected nb or en")
    return cast("Lang", lang)


Answer = TypeVar("Answer")


def _read(answer: Answer, lang: Lang) -> Answer:
    """Return an answer as it reads in ``lang``: its names and phrases as strings, as the JSON
    has them (the same record types, where a field's text depends on the language)."""
    from orgroles.render.jsonout import localise

    return cast(Answer, localise(answer, lang))


class Organisation:
    """One loaded organisation, and the questions the CLI answers about it.

    Names are resolved as on the command line (any inflection, æøå spellings, ids);
    ``lang`` is ``"nb"`` (bokmål) or ``"en"``.
    """

    def __init__(self, index: OrgIndex) -> None:
        self._ix = index

    @property
    def model(self) -> Org:
        """The validated file as immutable NamedTuples (``orgroles.model.Org``)."""
        return self._ix.org

    @property
    def file(self) -> str:
        """The file the organisation was loaded from, as errors name it."""
        return self._ix.org.file

    def resolve(self, name: str) -> str:
        """Return the id of the role, post, unit or forum ``name`` names."""
        return self._ix.resolve(name)

    def name(self, node: str, lang: str = "nb") -> str:
        """Return the display name of an id (a role, post, unit or forum)."""
        return self._ix.label(self.resolve(node), _lang(lang))

    def tree(
        self, name: str | None = None, depth: int | None = None, lang: str = "nb"
    ) -> TreeAnswer:
        """The reporting line as a tree (``orgroles tree``); ``depth`` None shows every level."""
        from orgroles.queries.line import line_tree

        language = _lang(lang)
        if depth is not None and depth < 0:
            raise OrgrolesError(f"depth must be 0 or more, not {depth}")
        return _read(line_tree(self._ix, name=name, depth=depth), language)

    def who_reports_to(
        self, name: str, all_levels: bool = False, lang: str = "nb"
    ) -> ReportsAnswer:
        """Who reports to a role or post, directly or at every level (``who-reports-to``)."""
        from orgroles.queries.line import who_reports_to

        language = _lang(lang)
        return _read(who_reports_to(self._ix, name, all_levels=all_levels), language)

    def reports_to(self, name: str, lang: str = "nb") -> ChainAnswer:
        """The line upward to the top and the political level (``orgroles reports-to``)."""
        from orgroles.queries.line import reports_to

        language = _lang(lang)
        return _read(reports_to(self._ix, name), language)

    def common(self, a: str, b: str, lang: str = "nb") -> CommonAnswer:
        """Where the lines of two roles or posts meet (``orgroles common``)."""
        from orgroles.queries.line import common

        language = _lang(lang)
        return _read(common(self._ix, a, b), language)

    def show(self, name: str, lang: str = "nb") -> Detail | AuthorityAnswer:
        """Everything about a role, post, unit or forum, or the holders of an authority kind
        of that name (``orgroles show``)."""
        from orgroles.queries.authority import authority_holders
        from orgroles.queries.detail import show

        language = _lang(lang)
        try:
            return _read(show(self._ix, name), language)
        except UnknownNameError:
            if not self._ix.is_kind_name(name):
                raise
        return _read(authority_holders(self._ix, name), language)

    def roles(self, lang: str = "nb") -> RolesAnswer:
        """Every role with its count and line superior (``orgroles roles``)."""
        from orgroles.queries.catalogue import roles

        language = _lang(lang)
        return _read(roles(self._ix), language)

    def authority(
        self, kind: str | None = None, lang: str = "nb"
    ) -> AuthorityAnswer | AuthorityMatrix:
        """The holders of one authority kind, or (no kind) the matrix (``orgroles authority``)."""
        from orgroles.queries.authority import authority_holders, authority_matrix

        language = _lang(lang)
        if kind is None:
            return _read(authority_matrix(self._ix), language)
        return _read(authority_holders(self._ix, kind), language)

    def search(self, text: str, lang: str = "nb") -> SearchAnswer:
        """Where a word occurs (``orgroles search``)."""
        from orgroles.queries.search import search

        language = _lang(lang)
        return _read(search(self._ix, text), language)

    def stats(self, max_span: int | None = None, lang: str = "nb") -> StatsAnswer:
        """Levels, leaders per level, spans of control, authorities per role (``stats``)."""
        from orgroles.queries.stats import statistics

        language = _lang(lang)
        return _read(statistics(self._ix, max_span=max_span), language)

    def can(
        self,
        who: str,
        kind: str,
        amount: int | None = None,
        category: str | None = None,
        scope: str | None = None,
        currency: str | None = None,
        lang: str = "nb",
    ) -> CanAnswer:
        """May ``who`` decide a case of ``kind``, and by whose delegation (``orgroles can``)."""
        from orgroles.delegation import parse_currency
        from orgroles.queries.delegation import can

        language = _lang(lang)
        code = parse_currency(currency, language) if currency is not None else None
        answer = can(self._ix, who, kind, amount, category, scope, code)
        return _read(answer, language)

    def to_json(self, answer: Any, *, indent: bool = False) -> str:
        """Return an answer as ``--json`` prints it (the same as ``orgroles.api.to_json``)."""
        return to_json(answer, indent=indent)

    def graph(self) -> Any:
        """Return the reporting line as a new ``networkx.DiGraph`` (``orgroles.apigraph``)."""
        from orgroles.apigraph import line_graph

        return line_graph(self._ix)
