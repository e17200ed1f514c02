"""The interactive HTML explorer: one offline file, built with pyvis through our own template.

`generate_html(G)` returns the page as text and touches nothing; `write_html(G, path)` writes it;
`show(G)` displays it inline in Jupyter. The page inlines vis-network (from the pyvis package),
its own script and style, and the graph data as escaped JSON: it makes no network request.

The layout is computed here (positions fixed in the file, physics off until the viewer turns it
on), so the page draws at once. Names are drawn for the most connected entities at first and for
all of them as one zooms in. Beyond `MAX_NODES` entities vis-network stops being responsive; the
page then draws the most connected `MAX_NODES` entities, says so, and a `ReducedViewWarning` is
issued. Its search still covers every entity: the others are indexed in the page with their
relations (figures, sources; within `INDEX_BUDGET` bytes), and the details of one not drawn give
the command that writes its focused view (``focus=...``).

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
import math
import re
import warnings
from collections import Counter
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Any

import networkx as nx
from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup

from ..errors import CubamedError
from ..explore import resolve
from ..files import write_text_atomic
from ..schema import Schema, load_schema
from ._layout import spring_positions

__all__ = ["INDEX_BUDGET", "MAX_NODES", "ReducedViewWarning", "generate_html", "select_view", "show", "write_html"]

MAX_NODES = 2000
"""Most entities one page draws: vis-network pans at about 10 frames/s at 2,000 nodes, 1 at 20,000."""

INDEX_BUDGET = 16_000_000
"""Most bytes of page data for the relations of entities a reduced page does not draw; beyond it, only their index entries."""

_HERE = Path(__file__).resolve().parent
_SKIP_NODE = {"label", "name", "aliases", "sanctioned", "sanctioned_by"}
_SKIP_EDGE = {"type", "source_id"}
_REFS = ("event", "program", "claimed_by")
_SANCTIONED_BORDER = "#e00000"


class ReducedViewWarning(UserWarning):
    """The graph was larger than one page can draw; the page shows its most connected part."""


def _fail(message: str) -> CubamedError:
    return CubamedError(message)


def _edge_years(d: dict[str, Any]) -> tuple[int, int] | None:
    """The span of years a relation holds: `year`, else `start_year`-`end_year`, else the year of `date`."""
    if d.get("year") is not None:
        return int(d["year"]), int(d["year"])
    given = [int(d[k]) for k in ("start_year", "end_year") if d.get(k) is not None]
    if given:
        return min(given), max(given)
    date = d.get("date")
    if date is not None and re.match(r"^\d{4}", str(date)):
        y = int(str(date)[:4])
        return y, y
    return None


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
    Raises `CubamedError` for an unknown label or type, a bad range, or an unknown focus.

    >>> import graph
    >>> sorted(select_view(graph.load(), focus="Conviasa", types=["SANCTIONED"]))
    ['conviasa', 'united-states']
    """
    sch = schema or load_schema()
    keep_labels = _checked(labels, sch.labels, "label")
    keep_types = _checked(types, sch.relationships, "relationship type")
    if years is not None and (len(years) != 2 or years[0] > years[1]):
        raise _fail(f"the year range {years!r} is not (first, last) with first <= last; e.g. (1998, 2010)")
    if depth < 0:
        raise _fail(f"depth must be 0 or more, not {depth}")
    nodes = [
        n
        for n, d in G.nodes(data=True)
        if (include_sources or d.get("label") != "Source") and (keep_labels is None or d.get("label") in keep_labels)
    ]
    H = nx.MultiDiGraph(G.subgraph(nodes))
    if keep_types is not None or years is not None:
        drop = []
        for u, v, k, d in H.edges(keys=True, data=True):
            span = _edge_years(d)
            if (keep_types is not None and d.get("type") not in keep_types) or (
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


def _checked(values: Iterable[str] | None, allowed: dict[str, Any], what: str) -> set[str] | None:
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


_PALETTE = [
    *("#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#42d4f4"),
    *("#f032e6", "#9a6324", "#469990", "#800000", "#808000", "#000075"),
]


def _type_colors(names: list[str]) -> dict[str, str]:
    """Distinct colours for relationship types, most frequent first: a categorical palette, then golden-angle hues."""
    out = {}
    for i, name in enumerate(names):
        out[name] = _PALETTE[i] if i < len(_PALETTE) else _hsl_hex((i * 137.508) % 360, 0.55, 0.45)
    return out


def _hsl_hex(h: float, s: float, lum: float) -> str:
    c = (1 - abs(2 * lum - 1)) * s
    x = c * (1 - abs((h / 60) % 2 - 1))
    m = lum - c / 2
    r, g, b = [(c, x, 0), (x, c, 0), (0, c, x), (0, x, c), (x, 0, c), (c, 0, x)][int(h // 60) % 6]
    return "#" + "".join(f"{round((v + m) * 255):02x}" for v in (r, g, b))


def _plain(value: Any) -> Any:
    """A JSON-friendly copy: lists stay lists, numbers stay numbers, anything else becomes text."""
    if isinstance(value, (list, tuple, set)):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    return str(value)


def _edge_props(G: nx.MultiDiGraph, d: dict[str, Any]) -> dict[str, Any]:
    """A relation's properties for the page: figures, evidence, locator; references as "name (id)"."""
    props = {p: _plain(val) for p, val in d.items() if p not in _SKIP_EDGE and val is not None}
    for ref in _REFS:
        if ref in props and d[ref] in G:
            props[ref] = f"{G.nodes[d[ref]].get('name', d[ref])} ({d[ref]})"
    return props


def _source_title(G: nx.MultiDiGraph, src: Any) -> str:
    return str(G.nodes[src].get("title") or G.nodes[src].get("name") or src)


def _page_data(
    G: nx.MultiDiGraph,
    H: nx.MultiDiGraph,
    sch: Schema,
    *,
    note: str | None,
    title: str,
    seed: int,
    full: nx.MultiDiGraph | None = None,
) -> dict[str, Any]:
    def name_of(node: Any) -> str:
        return str(G.nodes[node].get("name", node)) if node in G else str(node)

    degree = dict(H.degree())
    pos = spring_positions(list(H), [(u, v) for u, v in H.edges()], seed=seed, scale=max(300.0, 60.0 * math.sqrt(len(H))))
    nodes = []
    for node, d in H.nodes(data=True):
        lab = sch.labels.get(str(d.get("label")))
        color = lab.color if lab else "#999999"
        sanctioned = bool(d.get("sanctioned"))
        border = _SANCTIONED_BORDER if sanctioned else color
        x, y = pos[node]
        nodes.append(
            {
                "id": str(node),
                "label": str(d.get("name", node)),
                "x": x,
                "y": y,
                "shape": lab.shape if lab else "dot",
                "size": round(min(40.0, 8.0 + 4.0 * math.sqrt(degree[node])), 1),
                "borderWidth": 4 if sanctioned else 1,
                "color": {
                    "background": color,
                    "border": border,
                    "highlight": {"background": color, "border": border if sanctioned else "#000000"},
                },
                "lab": str(d.get("label", "")),
                "al": [str(a) for a in d.get("aliases", []) or []],
                "sb": [name_of(s) for s in d.get("sanctioned_by", []) or []] if sanctioned else None,
                "p": {k: _plain(v) for k, v in d.items() if k not in _SKIP_NODE and v is not None},
            }
        )
    type_counts = Counter(str(t) for *_, t in H.edges(data="type"))
    colors = _type_colors(sorted(type_counts, key=lambda t: (-type_counts[t], t)))
    sources: dict[str, str] = {}
    edges = []
    for i, (u, v, k, d) in enumerate(H.edges(keys=True, data=True)):
        t = str(d.get("type", ""))
        span = _edge_years(d)
        src = d.get("source_id")
        if src is not None and src in G:
            sources[str(src)] = _source_title(G, src)
        c = colors.get(t, "#888888")
        edges.append(
            {
                "id": f"e{i}",
                "from": str(u),
                "to": str(v),
                "title": t if span is None else f"{t} ({span[0]}{'' if span[0] == span[1] else f'-{span[1]}'})",
                "color": {"color": c, "highlight": c, "hover": c, "opacity": 1},
                "t": t,
                "rid": str(k),
                "y0": span[0] if span else None,
                "y1": span[1] if span else None,
                "s": None if src is None else str(src),
                "p": _edge_props(G, d),
            }
        )
    label_counts = Counter(n["lab"] for n in nodes)
    spans: list[tuple[int, int]] = [span for _, _, d in H.edges(data=True) if (span := _edge_years(d)) is not None]
    big = len(edges) > 3000 or len(nodes) > 1000
    options = {
        "autoResize": True,
        "physics": {"enabled": False, "solver": "barnesHut", "stabilization": {"enabled": False}},
        "layout": {"improvedLayout": False},
        # names: page.js sizes each name so that the most connected show at the first zoom and the rest as one zooms in
        "nodes": {
            "font": {"size": 12, "face": "system-ui, sans-serif", "strokeWidth": 3, "strokeColor": "rgba(255,255,255,0.85)"},
            "scaling": {"label": {"drawThreshold": 10}},
        },
        "edges": {"smooth": False, "width": 1, "selectionWidth": 2, "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}}},
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": big, "hideEdgesOnZoom": big, "keyboard": False},
    }
    index = None if full is None or full.number_of_nodes() <= H.number_of_nodes() else _index(G, H, full, sch, sources, INDEX_BUDGET)
    return {
        "title": title,
        "nodes": nodes,
        "edges": edges,
        "sources": sources,
        "options": options,
        "note": note,
        "index": index,
        "total": {"nodes": G.number_of_nodes(), "edges": G.number_of_edges()},
        "labels": [
            {"name": name, "color": lab.color, "shape": lab.shape, "count": label_counts[name], "doc": lab.doc}
            for name, lab in sch.labels.items()
            if label_counts[name]
        ],
        "types": [
            {"name": t, "color": colors.get(t, "#888888"), "count": n, "doc": sch.relationships[t].doc if t in sch.relationships else ""}
            for t, n in sorted(type_counts.items(), key=lambda kv: (-kv[1], kv[0]))
        ],
        "years": [min(s[0] for s in spans), max(s[1] for s in spans)] if spans else None,
    }


def _index(
    G: nx.MultiDiGraph, H: nx.MultiDiGraph, full: nx.MultiDiGraph, sch: Schema, sources: dict[str, str], budget: int
) -> dict[str, Any]:
    """The entities of `full` not drawn (not in `H`), for search, and the relations not drawn, for their details.

    Compact: `n` rows [id, name, aliases, label number, properties, sanctioned by] (label numbers index
    `labels`); `r` rows [from, to, type number, first year, last year, source id, properties], where
    from/to number the drawn entities (in the order of the page's nodes) and then the rows of `n`.
    Relations are left out (`r` is null, `dropped` true) when they would take more than `budget` bytes.
    """
    drawn = list(H)
    rest = [n for n in full if n not in H]
    number = {n: i for i, n in enumerate(drawn + rest)}
    labels = sorted({str(full.nodes[n].get("label", "")) for n in rest} | set(sch.labels))
    label_no = {lab: i for i, lab in enumerate(labels)}
    rows = []
    for n in rest:
        d = full.nodes[n]
        props = {k: _plain(v) for k, v in d.items() if k not in _SKIP_NODE and v is not None}
        sb = [str(G.nodes[s].get("name", s)) if s in G else str(s) for s in d.get("sanctioned_by", []) or []]
        aliases = [str(a) for a in d.get("aliases", []) or []]
        rows.append([str(n), str(d.get("name", n)), aliases, label_no[str(d.get("label", ""))], props, sb if d.get("sanctioned") else None])
    types: list[str] = []
    type_no: dict[str, int] = {}
    rels: list[list[Any]] = []
    dropped = False
    more_sources: dict[str, str] = {}
    size = 0
    for u, v, d in full.edges(data=True):
        if u in H and v in H:
            continue
        t = str(d.get("type", ""))
        if t not in type_no:
            type_no[t] = len(types)
            types.append(t)
        span = _edge_years(d)
        src = d.get("source_id")
        if src is not None and src in G and str(src) not in sources:
            more_sources[str(src)] = _source_title(G, src)
        y0, y1 = span if span else (None, None)
        row = [number[u], number[v], type_no[t], y0, y1, None if src is None else str(src), _edge_props(G, d)]
        size += len(json.dumps(row, ensure_ascii=False, separators=(",", ":")))
        if size > budget:
            dropped = True
            break
        rels.append(row)
    if not dropped:
        sources.update(more_sources)
    return {"n": rows, "labels": labels, "types": types, "r": None if dropped else rels, "dropped": dropped}


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
    sch = schema or load_schema()
    H = select_view(G, focus=focus, depth=depth, labels=labels, types=types, years=years, include_sources=include_sources, schema=sch)
    full = H
    H, note = _reduce(H, max_nodes)
    if note:
        warnings.warn(note, ReducedViewWarning, stacklevel=2)
    data = _page_data(G, H, sch, note=note, title=title, seed=seed, full=full)

    # pyvis holds the network and its options and loads our template (autoescape on).
    from pyvis.network import Network  # imported here: `import graph` stays light

    net = Network(height="100%", width="100%", directed=True, cdn_resources="in_line")
    net.nodes = data.pop("nodes")
    net.edges = data.pop("edges")
    net.options = data.pop("options")
    net.set_template_dir(str(_HERE) + "/", "template.html")
    net.templateEnv = Environment(loader=FileSystemLoader(str(_HERE)), autoescape=True)
    nodes, edges, _heading, _height, _width, options = net.get_network_data()
    data.update(nodes=nodes, edges=edges, options=json.loads(options))

    vis = resources.files("pyvis") / "lib" / "vis-9.1.2"
    vis_js = _asset(vis.joinpath("vis-network.min.js").read_text(encoding="utf-8"), where="vis-network.min.js")
    vis_css = _asset(vis.joinpath("vis-network.css").read_text(encoding="utf-8"), where="vis-network.css")
    page_js = _asset((_HERE / "page.js").read_text(encoding="utf-8"), where="page.js")
    page_css = _asset((_HERE / "page.css").read_text(encoding="utf-8"), where="page.css")
    # Only these two scripts may run: an injected inline handler would be refused by the browser.
    csp = f"default-src 'none'; script-src {_csp_hash(str(vis_js))} {_csp_hash(str(page_js))}; style-src 'unsafe-inline'; img-src data:"
    template = net.templateEnv.get_template(net.path)
    page = template.render(
        title=title, csp=csp, data_json=_script_json(data), vis_js=vis_js, vis_css=vis_css, page_js=page_js, page_css=page_css
    )
    return str(page)


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

    The same options as `generate_html`; the parent folder is created when missing.

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
    scripts run without access to the notebook. In a notebook cell::

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
        f'<div><iframe srcdoc="{_html.escape(page, quote=True)}" sandbox="allow-scripts" '
        f'style="width:100%;height:{int(height)}px;border:1px solid #ddd"></iframe></div>'
    )  # in a <div>: IPython warns about a bare <iframe>, though srcdoc (unlike IFrame's src) needs no file
    ipd.display(ipd.HTML(frame))
