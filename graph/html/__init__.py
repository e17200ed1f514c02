"""The interactive HTML explorer: one offline file, vis-network (as pyvis ships it) in our own template.

`generate_html(G)` returns the page as text and touches nothing; `write_html(G, path)` writes it;
`show(G)` displays it inline in Jupyter. The page inlines vis-network (from the pyvis package),
its own script and style, and the graph data as escaped JSON: it makes no network request.

The page data (`_data.py`: entities, relations, one drawn bundle per pair of entities and relation
family, the legend, the citations) is the only place the page learns label, type and property
names; its script (`js/*.js`, joined by `page_script`) knows none. The layout is computed here
(`_layout.py`: positions fixed in the file, shapes kept apart, physics off until the viewer turns
it on), so the page draws at once. Views whose options leave nothing issue an `EmptyViewWarning`.
Beyond `MAX_NODES` entities vis-network stops being responsive; the page then draws the most
connected `MAX_NODES` entities, says so, and a `ReducedViewWarning` is issued. Its search still
covers every entity: the others are indexed in the page with their relations (figures, sources;
within `INDEX_BUDGET` bytes), and the details of one not drawn give the command that writes its
focused view (``focus=...``).

>>> import graph
>>> from graph.html import generate_html
>>> page = generate_html(graph.load(), focus="St. Lucia")
>>> page.startswith("<!doctype html>")
True
"""

from __future__ import annotations

import base64
import hashlib
import html as _html
import importlib
import json
import re
import warnings
from collections.abc import Collection, Iterable, Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import networkx as nx
from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup

from ..errors import CubamedError
from ..explore import resolve
from ..files import write_text_atomic
from ..model import LABEL, TYPE, Model, no_gc
from ..project import model_for
from ..schema import Schema
from ._data import INDEX_BUDGET, Undrawn, page_data

__all__ = [
    "INDEX_BUDGET",
    "MAX_NODES",
    "EmptyViewWarning",
    "ReducedViewWarning",
    "generate_html",
    "page_script",
    "select_view",
    "show",
    "write_html",
]

MAX_NODES = 2000
"""Most entities one page draws: vis-network pans at about 10 frames/s at 2,000 nodes, 1 at 20,000."""

_HERE = Path(__file__).resolve().parent
# The page's script: these files, in this order, in one function scope (each reads what the earlier define).
SCRIPTS = ("base.js", "names.js", "filters.js", "details.js", "search.js", "paths.js", "view.js")


class ReducedViewWarning(UserWarning):
    """The graph was larger than one page can draw; the page shows its most connected part."""


class EmptyViewWarning(UserWarning):
    """The view's options (focus, labels, types, years) leave no entity: the page is empty."""


def _fail(message: str) -> CubamedError:
    return CubamedError(message)


def select_view(
    G: nx.MultiDiGraph,
    *,
    focus: str | None = None,
    depth: int = 1,
    labels: Iterable[str] | None = None,
    types: Iterable[str] | None = None,
    years: tuple[int, int] | None = None,
    include_sources: bool = False,
    schema: Schema | None = None,
) -> nx.MultiDiGraph:
    """The part of `G` a page shows (a new graph; `G` is not changed).

    Source documents are left out unless `include_sources`; `labels` keeps entities of those labels,
    `types` relations of those types, `years` (first, last) relations whose year or span meets the
    range (relations without a year are kept); with `types` or `years`, entities without relations
    are dropped. `focus` (an id, name or alias) keeps what lies within `depth` hops of it.
    `schema` defaults to the one `G` was loaded with (see `graph.project.model_for`).
    Raises `CubamedError` for an unknown label or type, a bad range, or an unknown focus.

    >>> import graph
    >>> sorted(select_view(graph.load(), focus="Conviasa", types=["SANCTIONED"]))
    ['conviasa', 'united-states']
    """
    model = model_for(G, schema)
    keep_labels = _checked(labels, model.labels, "label")
    keep_types = _checked(types, model.types, "relationship type")
    if years is not None and (len(years) != 2 or years[0] > years[1]):
        raise _fail(f"the year range {years!r} is not (first, last) with first <= last; e.g. (1998, 2010)")
    if depth < 0:
        raise _fail(f"depth must be 0 or more, not {depth}")
    nodes = _view_nodes(G, model, keep_labels, include_sources)
    H = nx.MultiDiGraph(G.subgraph(nodes))
    if keep_types is not None or years is not None:
        drop = []
        for u, v, k, d in H.edges(keys=True, data=True):
            span = model.years(d)
            if (keep_types is not None and d.get(TYPE) not in keep_types) or (
                years is not None and span is not None and (span[1] < years[0] or span[0] > years[1])
            ):
                drop.append((u, v, k))
        H.remove_edges_from(drop)
        H.remove_nodes_from([n for n in list(H) if H.degree(n) == 0])
    if focus is not None:
        center = resolve(G, focus)
        if center not in H:
            H.add_node(center, **G.nodes[center])
        H = nx.MultiDiGraph(nx.ego_graph(H, center, radius=depth, undirected=True))
    return H


def _view_nodes(G: nx.MultiDiGraph, model: Model, keep_labels: set[str] | None, include_sources: bool) -> list[Any]:
    """The entities of `G` a view keeps by label (source documents only with `include_sources`), in `G`'s order."""
    document = None if include_sources else model.document_label
    if document is None and keep_labels is None:
        return list(G)
    return [n for n, lab in G.nodes(data=LABEL) if lab != document and (keep_labels is None or lab in keep_labels)]


def _checked(values: Iterable[str] | None, allowed: Collection[str], what: str) -> set[str] | None:
    if values is None:
        return None
    chosen = set(values)
    unknown = sorted(chosen - set(allowed))
    if unknown:
        raise _fail(f"unknown {what} {', '.join(map(repr, unknown))}; the schema has: {', '.join(allowed)}")
    return chosen


def _reduce(H: nx.MultiDiGraph, max_nodes: int | None) -> tuple[nx.MultiDiGraph, str | None]:
    n = H.number_of_nodes()
    if max_nodes is None or n <= max_nodes:
        return H, None
    degree = dict(H.degree())
    top = sorted(H, key=lambda x: (-degree[x], str(x)))[:max_nodes]
    R = nx.MultiDiGraph(H.subgraph(top))
    note = (
        f"This page draws the {max_nodes:,} most connected of {n:,} entities "
        f"({R.number_of_edges():,} of {H.number_of_edges():,} relations): a page drawing more would not stay responsive. "
        "The search covers all of them; for any other part, write a focused view: cubamed html FILE --focus NAME --depth 1"
    )
    return R, note


def _reduce_whole(G: nx.MultiDiGraph, nodes: list[Any], max_nodes: int) -> tuple[nx.MultiDiGraph, str, Undrawn]:
    """`_reduce` for the view that keeps `nodes` and every relation of `G` between them, without copying it.

    One pass over `G`'s adjacency counts each entity's relations in the view; only the drawn part is
    copied; the entities and relations not drawn are read from `G` when the page's index asks for them.
    Drawn entities keep `G`'s order. The same choice as `_reduce` on `select_view`'s copy (a test holds
    it to networkx's degrees).
    """
    keep = set(nodes)
    succ, pred = G._succ, G._pred  # networkx's adjacency dicts, read only: its views cost a call per access
    degree = {x: sum(map(len, succ[x].values())) + sum(map(len, pred[x].values())) for x in nodes}
    if len(keep) < len(G):  # relations with an entity left out of the view do not count
        for x in G:
            if x in keep:
                continue
            for v, keyed in succ[x].items():
                if v in keep:
                    degree[v] -= len(keyed)
            for v, keyed in pred[x].items():
                if v in keep:
                    degree[v] -= len(keyed)
    edges_in_view = sum(degree.values()) // 2  # each relation counted at both ends (a loop twice at one)
    # the top `max_nodes` by (-degree, id) without sorting them all: those above the cut, then the ties at it by id
    cut = sorted(degree.values(), reverse=True)[max_nodes - 1]
    above = sorted((x for x in nodes if degree[x] > cut), key=lambda x: (-degree[x], str(x)))
    ties = sorted((x for x in nodes if degree[x] == cut), key=str)
    drawn = set(above + ties[: max_nodes - len(above)])
    R = nx.MultiDiGraph()
    R.graph.update(G.graph)
    order = [x for x in nodes if x in drawn]
    R.add_nodes_from((x, dict(G._node[x])) for x in order)
    for u in order:
        for v, keyed in succ[u].items():
            if v in drawn:
                for k, d in keyed.items():
                    R.add_edge(u, v, key=k, **d)
    note = (
        f"This page draws the {max_nodes:,} most connected of {len(nodes):,} entities "
        f"({R.number_of_edges():,} of {edges_in_view:,} relations): a page drawing more would not stay responsive. "
        "The search covers all of them; for any other part, write a focused view: cubamed html FILE --focus NAME --depth 1"
    )

    def undrawn_edges() -> Iterator[tuple[Any, Any, Any, dict[str, Any]]]:
        for u in nodes:
            for v, keyed in succ[u].items():
                if v in keep and not (u in drawn and v in drawn):
                    for k, d in keyed.items():
                        yield u, v, k, d

    rest = [(x, G._node[x]) for x in nodes if x not in drawn]
    return R, note, Undrawn(rest, undrawn_edges())


def _script_json(data: Any) -> Markup:
    """JSON safe inside a <script> element: no `<`, `>` or `&`, so no string can close the element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(text)


def _asset(text: str, *, where: str) -> Markup:
    if re.search(r"</(script|style)", text, re.IGNORECASE):
        raise _fail(f"{where} contains a closing </script> or </style> tag and cannot be inlined")
    return Markup(text)


def _csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


@no_gc()  # a million index rows would trigger collections that each walk the whole graph, for nothing
def generate_html(
    G: nx.MultiDiGraph,
    *,
    focus: str | None = None,
    depth: int = 1,
    labels: Iterable[str] | None = None,
    types: Iterable[str] | None = None,
    years: tuple[int, int] | None = None,
    include_sources: bool = False,
    max_nodes: int | None = MAX_NODES,
    title: str = "cubamed",
    schema: Schema | None = None,
    seed: int = 7,
) -> str:
    """The explorer page for `G` (or the view `select_view` makes of it) as one HTML document.

    Pure: reads only the package's own template and the vis-network files pyvis ships.
    With more than `max_nodes` entities the page draws the most connected ones, says so, and a
    `ReducedViewWarning` is issued; the others stay searchable, with their relations (see the module
    notes). ``max_nodes=None`` draws everything (slow beyond 2,000).
    """
    model = model_for(G, schema)
    undrawn = None
    whole = focus is None and types is None and years is None and depth >= 0  # every relation between the entities kept
    if whole and max_nodes is not None and max_nodes > 0 and G.is_directed() and G.is_multigraph():
        # the view is not copied, only what is drawn
        nodes = _view_nodes(G, model, _checked(labels, model.labels, "label"), include_sources)
        if len(nodes) > max_nodes:
            H, note, undrawn = _reduce_whole(G, nodes, max_nodes)
        else:
            H, note = nx.MultiDiGraph(G.subgraph(nodes)), None
    else:
        H = select_view(
            G, focus=focus, depth=depth, labels=labels, types=types, years=years, include_sources=include_sources, schema=model.schema
        )
        full = H
        H, note = _reduce(H, max_nodes)
        if note:
            undrawn = Undrawn.of(H, full)
    if note:
        warnings.warn(note, ReducedViewWarning, stacklevel=3)
    if H.number_of_nodes() == 0:
        note = _empty_note(focus, labels, types, years)
        warnings.warn(note, EmptyViewWarning, stacklevel=3)
    data = page_data(G, H, model, note=note, title=title, seed=seed, undrawn=undrawn)

    vis = resources.files("pyvis") / "lib" / "vis-9.1.2"  # the vis-network release pyvis ships
    vis_js = _asset(vis.joinpath("vis-network.min.js").read_text(encoding="utf-8"), where="vis-network.min.js")
    vis_css = _asset(vis.joinpath("vis-network.css").read_text(encoding="utf-8"), where="vis-network.css")
    page_js = _asset(page_script(), where="the page script (graph/html/js)")
    page_css = _asset((_HERE / "page.css").read_text(encoding="utf-8"), where="page.css")
    # Only these two scripts may run: an injected inline handler would be refused by the browser.
    csp = f"default-src 'none'; script-src {_csp_hash(str(vis_js))} {_csp_hash(str(page_js))}; style-src 'unsafe-inline'; img-src data:"
    env = Environment(loader=FileSystemLoader(str(_HERE)), autoescape=True)
    page = env.get_template("template.html").render(
        title=title, csp=csp, data_json=_script_json(data), vis_js=vis_js, vis_css=vis_css, page_js=page_js, page_css=page_css
    )
    return str(page)


def page_script() -> str:
    """The page's own script: the files of `SCRIPTS` joined in one function scope, in strict mode."""
    parts = [(_HERE / "js" / name).read_text(encoding="utf-8") for name in SCRIPTS]
    return '(function () {\n"use strict";\n' + "\n".join(parts) + "})();\n"


def _empty_note(focus: str | None, labels: Any, types: Any, years: tuple[int, int] | None) -> str:
    given = [
        f"{name} {value}"
        for name, value in (
            ("focus", focus),
            ("labels", ",".join(labels) if labels else None),
            ("types", ",".join(types) if types else None),
            ("years", f"{years[0]}-{years[1]}" if years else None),
        )
        if value
    ]
    return f"Nothing to draw: the options ({'; '.join(given) or 'none'}) leave no entity. Loosen them and write the page again."


def write_html(
    G: nx.MultiDiGraph,
    path: str | Path,
    *,
    focus: str | None = None,
    depth: int = 1,
    labels: Iterable[str] | None = None,
    types: Iterable[str] | None = None,
    years: tuple[int, int] | None = None,
    include_sources: bool = False,
    max_nodes: int | None = MAX_NODES,
    title: str = "cubamed",
    schema: Schema | None = None,
) -> Path:
    """Write the explorer page for `G` to `path` (UTF-8) and return the path.

    The same options as `generate_html`; the parent folder is created when missing (`cubamed html`
    refuses a missing folder instead: there it is more often a mistyped path).

    >>> import graph, tempfile, pathlib
    >>> G = graph.load("tests/fixtures/mini")
    >>> out = write_html(G, pathlib.Path(tempfile.mkdtemp()) / "lucia.html", focus="St. Lucia")
    >>> out.read_text(encoding="utf-8").startswith("<!doctype html>")
    True
    """
    page = generate_html(
        G,
        focus=focus,
        depth=depth,
        labels=labels,
        types=types,
        years=years,
        include_sources=include_sources,
        max_nodes=max_nodes,
        title=title,
        schema=schema,
    )
    out = Path(path)
    try:
        write_text_atomic(out, [page])
    except OSError as exc:
        raise _fail(f"{out}: cannot write the page ({exc.strerror}); choose a writable path") from exc
    return out


def show(G: nx.MultiDiGraph, *, height: int = 650, **options: Any) -> None:
    """Display the explorer for `G` inline in Jupyter (offline too: everything is in the page).

    Takes the options of `generate_html`. The page runs in a sandboxed iframe (`srcdoc`), so its
    scripts run without access to the notebook (its PNG button may download). In a notebook cell::

        import graph
        G = graph.load()
        graph.show(graph.ego(G, "conviasa", 2))
    """
    try:  # imported by name: IPython's type information differs between its releases
        ipd: Any = importlib.import_module("IPython.display")
    except ImportError as exc:
        raise _fail("graph.html.show needs IPython (Jupyter); elsewhere use write_html(G, 'graph.html') and open the file") from exc
    page = generate_html(G, **options)
    frame = (
        f'<div><iframe srcdoc="{_html.escape(page, quote=True)}" sandbox="allow-scripts allow-downloads" '
        f'style="width:100%;height:{int(height)}px;border:1px solid #ddd"></iframe></div>'
    )  # in a <div>: IPython warns about a bare <iframe>, though srcdoc (unlike IFrame's src) needs no file
    ipd.display(ipd.HTML(frame))
