"""The interactive HTML view: one self-contained page (vis-network via pyvis) that works offline.

The page carries everything it needs: vis-network's standalone build (shipped in ``kg/view/``,
see ``kg/view/VENDOR.md``), our script and style, and the graph as JSON, so it opens from
``file://`` with no network and nothing leaves it. Input strings never become markup: they are
embedded as JSON data (escaped for a ``<script>`` block) and put on the page with ``textContent``.
The bytes depend only on the graph and the options, so the same graph gives the same file.
"""
from __future__ import annotations

import json
import math
import os
import re
from collections import defaultdict
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Mapping

import jinja2
import networkx as nx
import numpy as np
from pyvis.network import Network

from kg.atomic import atomic_write
from kg.graph import KnowledgeGraph
from kg.names import name_key
from kg.records import ENTITY_TYPES

VIEW_DIR = Path(__file__).resolve().parent.parent / "view"  # package data: kg/view/*
PAPER_GROUP = "Paper"
LARGE_GRAPH = 300  # nodes; above this the layout is computed here and the page draws it at once
LAYOUT_SCALE = 80.0  # page pixels per unit of the precomputed layout
MAX_AUTHORS_SHOWN = 12
_JSON_SCRIPT_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}
_JSON_SCRIPT_UNSAFE = re.compile("[<>&\u2028\u2029]")
_SOURCE_MAP = re.compile(r"\n?//# sourceMappingURL=\S*\s*$")


def json_for_script(value: Any) -> str:
    """JSON text that is safe inside an HTML ``<script>`` element.

    ``<``, ``>`` and ``&`` become ``\\u`` escapes, so ``</script>`` and ``<!--`` cannot end or
    confuse the element; U+2028/U+2029 are escaped for old JavaScript parsers. ``JSON.parse``
    gives back exactly the original strings.

    >>> json_for_script({"t": "</script>"})
    '{"t":"\\\\u003c/script\\\\u003e"}'
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return _JSON_SCRIPT_UNSAFE.sub(lambda m: _JSON_SCRIPT_ESCAPES[m.group()], text)


def parse_types(types: Iterable[str] | str | None) -> tuple[str, ...] | None:
    """Entity types from ``"Model,method"`` or a list, case-insensitive, in canonical order; None means all.

    Raises ``ValueError`` naming the unknown type and the valid ones.
    """
    if types is None:
        return None
    items = types.split(",") if isinstance(types, str) else list(types)
    by_key = {t.casefold(): t for t in ENTITY_TYPES}
    chosen = set()
    for item in (i.strip() for i in items):
        if not item:
            continue
        if item.casefold() not in by_key:
            raise ValueError(f"unknown entity type {item!r}: choose from {', '.join(ENTITY_TYPES)}")
        chosen.add(by_key[item.casefold()])
    return tuple(t for t in ENTITY_TYPES if t in chosen)


def select_nodes(
    nxg: nx.MultiDiGraph,
    *,
    top: int | None = None,
    min_papers: int = 1,
    types: Iterable[str] | str | None = None,
    within: Iterable[str] | None = None,
    keep: Iterable[str] = (),
) -> list[str]:
    """The nodes the page shows, sorted.

    Entities pass when their type is among ``types`` (all by default), they have at least
    ``min_papers`` papers, and they rank in the ``top`` N of their type by papers (ties by
    name). A paper passes when it links to a passing entity, or links to no entity at all: a
    paper is dropped only when the filters removed every entity it mentions. ``within`` limits
    the candidates (an ego view); nodes in ``keep`` always pass (the ego view's centre).
    """
    wanted = parse_types(types) or ENTITY_TYPES
    candidates = set(nxg.nodes) if within is None else set(within)
    keep = set(keep)
    by_type: dict[str, list[str]] = defaultdict(list)
    for node in candidates:
        attrs = nxg.nodes[node]
        if attrs.get("kind") == "entity" and attrs["type"] in wanted and attrs.get("papers", 0) >= min_papers:
            by_type[attrs["type"]].append(node)
    entities = set(keep)
    for nodes in by_type.values():
        nodes.sort(key=lambda n: (-nxg.nodes[n].get("papers", 0), nxg.nodes[n]["name"], n))
        entities.update(nodes if top is None else nodes[:top])
    papers = set()
    for node in candidates:
        if nxg.nodes[node].get("kind") != "paper":
            continue
        linked = [t for t in nxg.successors(node) if nxg.nodes[t].get("kind") == "entity"]
        if not linked or any(t in entities for t in linked):
            papers.add(node)
    return sorted(entities | papers)


def page_data(graph: KnowledgeGraph, nodes: Iterable[str], *, title: str, focus: str | None = None) -> dict:
    """Everything the page script needs, as plain JSON-able data (nodes, edges, styles, vis options).

    The node and edge records are built with pyvis's ``Network``; tooltips are *data* here
    (``info``) and become DOM elements built from text in the page script, never HTML. Edge
    colour and dashes come from ``styles`` by relation in the page, not repeated per edge.
    """
    nxg = graph.to_networkx()
    styles = view_styles()
    shown = sorted(set(nodes))
    shown_set = set(shown)
    edges = sorted(
        (u, v, key) for u, v, key in nxg.edges(keys=True) if u in shown_set and v in shown_set
    )
    large = len(shown) > LARGE_GRAPH
    positions = layout_positions(shown, [(u, v) for u, v, _ in edges]) if large else {}
    net = Network(directed=True)
    for node in shown:
        record = _node_record(node, nxg.nodes[node], styles)
        if large:
            record["x"], record["y"] = positions[node]
        net.add_node(node, **record)
    for u, v, key in edges:
        sentences = [e["sentence"] for e in graph.evidence(u, v, key) if e.get("sentence")]
        net.add_edge(u, v, id=f"{u}|{key}|{v}", relation=key,
                     info={"sentence": sentences[0] if sentences else None, "more": max(len(sentences) - 1, 0)})
    nodes_out, edges_out, _, _, _, _ = net.get_network_data()
    return {
        "title": title,
        "focus": focus,
        "styles": {"nodes": styles["nodes"], "edges": styles["edges"]},
        "groups": [PAPER_GROUP, *ENTITY_TYPES],
        "nodes": nodes_out,
        "edges": edges_out,
        "options": vis_options(len(nodes_out), precomputed=large),
    }


def vis_options(node_count: int, *, precomputed: bool = False) -> dict:
    """vis-network options for a graph of ``node_count`` nodes.

    Small graphs get vis-network's own seeded force layout, run to stabilisation before the first
    draw, after which the page turns physics off. A ``precomputed`` layout (large graphs: see
    ``layout_positions``) is drawn as it is, physics off from the start, with straight edges and
    no edges drawn while dragging or zooming, so that 5,000 nodes open in seconds and stay responsive.
    """
    physics: dict[str, Any] = {"enabled": False}
    if not precomputed:
        physics = {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -60, "centralGravity": 0.008,
                                 "springLength": 80, "springConstant": 0.06, "avoidOverlap": 0.2},
            "maxVelocity": 60,
            "minVelocity": 1.0,
            "timestep": 0.45,
            "stabilization": {"enabled": True, "iterations": 400, "updateInterval": 50, "fit": True},
        }
    return {
        "autoResize": True,
        "layout": {"randomSeed": 7, "improvedLayout": not precomputed and node_count <= 150},
        "physics": physics,
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": precomputed,
                        "hideEdgesOnZoom": precomputed, "navigationButtons": False, "keyboard": False},
        "nodes": {"borderWidth": 1, "font": {"size": 12, "face": "system-ui, sans-serif"}},
        "edges": {"smooth": False if precomputed else {"enabled": True, "type": "continuous", "roundness": 0.3},
                  "arrows": {"to": {"enabled": True, "scaleFactor": 0.4}}, "selectionWidth": 2},
    }


def layout_positions(
    nodes: list[str], edges: Iterable[tuple[str, str]], *, seed: int = 7, iterations: int = 100,
) -> dict[str, tuple[float, float]]:
    """Seeded force-directed positions (page pixels, rounded) for a large graph, in about a second for 5,000 nodes.

    A ForceAtlas2-style model: links pull linearly, nodes push apart in proportion to the product
    of their degrees (so hubs get room), a weak gravity holds components together. Repulsion is
    counted only between nodes closer than a cut-off (the grid variant of Fruchterman and
    Reingold), which makes each step linear in the number of nodes; the step size cools
    geometrically. Same input, same seed: same positions.
    """
    n = len(nodes)
    index = {node: i for i, node in enumerate(nodes)}
    links = np.array(sorted({tuple(sorted((index[u], index[v]))) for u, v in edges if u != v}),
                     dtype=np.int64).reshape(-1, 2)
    degree = np.bincount(links.ravel(), minlength=n).astype(float) + 1.0
    rng = np.random.default_rng(seed)
    pos = (rng.random((n, 2)) - 0.5) * math.sqrt(degree.sum())
    cutoff, gravity, step = 2.5, 0.01, math.sqrt(degree.sum()) / 10
    for _ in range(iterations):
        force = np.zeros((n, 2))
        a, b = _close_pairs(pos, cutoff)
        delta = pos[a] - pos[b]
        push = (degree[a] * degree[b] / np.maximum((delta * delta).sum(1), 1e-4))[:, None] * delta
        pull = pos[links[:, 0]] - pos[links[:, 1]]
        for axis in range(2):
            force[:, axis] += np.bincount(a, push[:, axis], n) - np.bincount(b, push[:, axis], n)
            force[:, axis] += np.bincount(links[:, 1], pull[:, axis], n) - np.bincount(links[:, 0], pull[:, axis], n)
        force -= gravity * degree[:, None] * pos / np.maximum(np.linalg.norm(pos, axis=1), 1e-6)[:, None]
        force /= degree[:, None]
        length = np.sqrt(np.maximum((force * force).sum(1), 1e-12))
        pos += force * (np.minimum(length, step) / length)[:, None]
        step = max(step * 0.97, 0.05)
    pos = np.round((pos - pos.mean(0)) * LAYOUT_SCALE, 1)
    return {node: (float(x), float(y)) for node, (x, y) in zip(nodes, pos)}


def _close_pairs(pos: np.ndarray, radius: float) -> tuple[np.ndarray, np.ndarray]:
    """Index pairs ``(i, j)``, ``i != j``, of points closer than ``radius``: grid cells of that size, each pair once."""
    n = len(pos)
    cell = np.floor(pos / radius).astype(np.int64)
    cell -= cell.min(0)
    width = int(cell[:, 1].max()) + 3
    key = cell[:, 0] * width + cell[:, 1] + 1
    order = np.argsort(key, kind="stable")
    sorted_keys = key[order]
    firsts, seconds = [], []
    for dx, dy in ((0, 0), (0, 1), (1, -1), (1, 0), (1, 1)):  # half the 3x3 neighbourhood: each cell pair once
        target = key + dx * width + dy
        lo = np.searchsorted(sorted_keys, target, "left")
        counts = np.searchsorted(sorted_keys, target, "right") - lo
        first = np.repeat(np.arange(n), counts)
        offset = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
        second = order[np.repeat(lo, counts) + offset]
        if (dx, dy) == (0, 0):
            first, second = first[second > first], second[second > first]
        firsts.append(first)
        seconds.append(second)
    first, second = np.concatenate(firsts), np.concatenate(seconds)
    near = ((pos[first] - pos[second]) ** 2).sum(1) < radius * radius
    return first[near], second[near]


def render_page(data: Mapping) -> str:
    """The complete HTML document for ``page_data`` output: assets inlined, data embedded as safe JSON."""
    template = _environment().get_template("page.html")
    return template.render(
        title=data["title"],
        data_json=json_for_script(data),
        vis_js=_inline_script(_asset("vis-network.min.js")),
        view_js=_inline_script(_asset("view.js")),
        view_css=_asset("view.css"),
    )


def write_html(
    graph: KnowledgeGraph,
    path: str | os.PathLike,
    *,
    top: int | None = None,
    min_papers: int = 1,
    types: Iterable[str] | str | None = None,
    title: str = "kg: knowledge graph of ML papers",
    focus: str | None = None,
    depth: int = 2,
) -> Path:
    """Write the interactive page for ``graph`` (filtered; an ego view when ``focus`` is given) to ``path``, atomically.

    Parameters
    ----------
    top, min_papers, types
        What goes in: see ``select_nodes``. The page's own controls can only hide more.
    focus
        An entity name, alias or node id: show only what lies within ``depth`` links of it
        (``KnowledgeGraph.ego``), and select it when the page opens. Raises the graph's
        ``UnknownEntityError`` (a ``LookupError`` with the closest names) when nothing has that name.
    """
    nxg = graph.to_networkx()
    within = None
    center = None
    if focus is not None:
        center = graph.entity(focus).node
        within = graph.ego(center, depth).nodes
    nodes = select_nodes(nxg, top=top, min_papers=min_papers, types=types, within=within,
                         keep=[center] if center else [])
    html = render_page(page_data(graph, nodes, title=title, focus=center))
    target = Path(path)
    with atomic_write(target) as handle:
        handle.write(html)
    return target


@lru_cache(maxsize=1)
def view_styles() -> dict:
    """Colours, shapes and sizes per node group and edge relation (``kg/view/styles.json``)."""
    return json.loads(_asset("styles.json"))


def _names(attrs: Mapping) -> list[str]:
    if attrs.get("kind") == "paper":
        return [attrs.get("title") or ""]
    return [attrs.get("name") or "", *attrs.get("aliases", [])]


def _node_record(node: str, attrs: Mapping, styles: Mapping) -> dict:
    """pyvis ``add_node`` keyword arguments for one graph node."""
    sizes = styles["sizes"]
    keys = sorted({name_key(n) for n in _names(attrs) if n})
    if attrs.get("kind") == "paper":
        style = styles["nodes"][PAPER_GROUP]
        title = attrs.get("title") or node
        authors = list(attrs.get("authors") or [])
        return {
            "label": _short(title),
            "shape": style["shape"],
            "color": style["color"],
            "size": sizes["paper"],
            "group_name": PAPER_GROUP,
            "papers": 0,
            "keys": keys,
            "info": {
                "kind": "paper",
                "title": title,
                "date": attrs.get("date"),
                "authors": authors[:MAX_AUTHORS_SHOWN],
                "author_count": attrs.get("author_count") or (len(authors) or None),
                "url": _safe_url(attrs.get("url")),
                "upvotes": attrs.get("upvotes"),
            },
        }
    style = styles["nodes"][attrs["type"]]
    papers = int(attrs.get("papers") or 0)
    size = min(sizes["entity_base"] + sizes["entity_per_sqrt_paper"] * math.sqrt(papers), sizes["entity_max"])
    return {
        "label": attrs["name"],
        "shape": style["shape"],
        "color": style["color"],
        "size": round(size, 2),
        "group_name": attrs["type"],
        "papers": papers,
        "keys": keys,
        "info": {"kind": "entity", "type": attrs["type"], "name": attrs["name"],
                 "aliases": list(attrs.get("aliases") or []), "papers": papers},
    }


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _safe_url(url: str | None) -> str | None:
    """Only http(s) links reach the page: a ``javascript:`` URL in the input is dropped."""
    if url and re.match(r"(?i)^https?://[^\s]+$", url):
        return url
    return None


def _inline_script(text: str) -> str:
    """A script's text ready to sit inside ``<script>``: no source-map request, nothing that ends the element."""
    text = _SOURCE_MAP.sub("", text)
    if re.search(r"(?i)</script|<!--", text):
        raise ValueError("script asset contains '</script' or '<!--' and cannot be inlined")
    return text


@lru_cache(maxsize=None)
def _asset(name: str) -> str:
    return (VIEW_DIR / name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FunctionLoader(_asset),
        autoescape=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
