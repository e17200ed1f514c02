"""Fruchterman-Reingold layout in numpy, for the HTML page.

networkx's `spring_layout` needs scipy beyond 500 nodes and its `forceatlas2_layout` takes about
20 s at 2,000 nodes; this dense, vectorized version of the same force model (networkx's
`_fruchterman_reingold`, in float32 with matrix products) lays out 2,000 nodes in about a second.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import numpy as np

__all__ = ["separate", "spring_positions"]


def spring_positions(
    nodes: Sequence[Hashable],
    edges: Sequence[tuple[Hashable, Hashable]],
    *,
    iterations: int = 50,
    seed: int = 7,
    gravity: float = 2.0,
    scale: float = 1000.0,
) -> dict[Hashable, tuple[float, float]]:
    """Positions in [-scale, scale]² for `nodes`, pulled together along `edges` (deterministic for a seed).

    >>> pos = spring_positions(["a", "b", "c"], [("a", "b")])
    >>> sorted(pos) == ["a", "b", "c"] and all(abs(c) <= 1000 for xy in pos.values() for c in xy)
    True
    """
    n = len(nodes)
    if n == 0:
        return {}
    if n == 1:
        return {nodes[0]: (0.0, 0.0)}
    index = {node: i for i, node in enumerate(nodes)}
    pairs = np.array(sorted({(min(index[u], index[v]), max(index[u], index[v])) for u, v in edges if index[u] != index[v]}), dtype=np.intp)
    src, dst = (pairs[:, 0], pairs[:, 1]) if len(pairs) else (np.empty(0, np.intp), np.empty(0, np.intp))
    rng = np.random.default_rng(seed)
    pos = rng.random((n, 2), dtype=np.float32) - np.float32(0.5)
    k = np.float32(np.sqrt(1.0 / n))
    t = 0.1
    dt = t / (iterations + 1)
    for _ in range(iterations):
        # repulsion between every pair: k²/d² (p_i - p_j); attraction along edges: d/k (p_i - p_j)
        x, y = pos[:, 0], pos[:, 1]
        dx = x[:, None] - x[None, :]
        dy = y[:, None] - y[None, :]
        d2 = dx * dx + dy * dy
        np.clip(d2, 1e-4, None, out=d2)
        force = (k * k) / d2
        disp = np.stack([(force * dx).sum(axis=1), (force * dy).sum(axis=1)], axis=1)
        delta = pos[src] - pos[dst]
        pull = delta * (np.sqrt((delta * delta).sum(axis=1)) / k)[:, None]
        np.subtract.at(disp, src, pull)
        np.add.at(disp, dst, pull)
        disp -= gravity * n * k * k * pos  # keeps small components and loners near the rest
        length = np.sqrt((disp * disp).sum(axis=1))
        np.clip(length, 0.01, None, out=length)
        pos += disp * (t / length)[:, None]
        t -= dt
    pos -= pos.mean(axis=0)
    extent = float(np.abs(pos).max()) or 1.0
    pos *= scale / extent
    return {node: (round(float(x), 1), round(float(y), 1)) for node, (x, y) in zip(nodes, pos, strict=True)}


def separate(
    pos: dict[Hashable, tuple[float, float]],
    radii: dict[Hashable, float],
    *,
    gap: float = 24.0,
    iterations: int = 30,
) -> dict[Hashable, tuple[float, float]]:
    """`pos` moved apart where two shapes (circles of `radii`) come closer than `gap` to each other.

    A spring layout puts hubs and their neighbours on top of one another; an entity under another, or
    a relation between two touching entities, could not be seen or clicked. Each round finds the pairs
    too close (a sweep along x) and pushes each pair apart along the line between them, half each.

    >>> out = separate({"a": (0.0, 0.0), "b": (1.0, 0.0)}, {"a": 10.0, "b": 10.0}, gap=5.0)
    >>> round(out["b"][0] - out["a"][0], 1) >= 25.0
    True
    """
    nodes = list(pos)
    if len(nodes) < 2:
        return dict(pos)
    p = np.array([pos[n] for n in nodes], dtype=np.float64)
    r = np.array([radii[n] for n in nodes], dtype=np.float64)
    reach = 2 * float(r.max()) + gap
    rng = np.random.default_rng(0)
    for _ in range(iterations):
        # candidate pairs: within `reach` of each other along x (the sweep), as two index arrays
        order = np.argsort(p[:, 0], kind="stable")
        xs = p[order, 0]
        counts = np.searchsorted(xs, xs + reach, side="right") - np.arange(len(xs)) - 1
        first = np.repeat(np.arange(len(xs)), counts)
        later = first + 1 + np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
        i, j = order[first], order[later]
        delta = p[j] - p[i]
        dist = np.sqrt((delta * delta).sum(axis=1))
        need = r[i] + r[j] + gap
        close = dist < need
        if not close.any():
            break
        i, j, d, dl, nd = i[close], j[close], delta[close], dist[close], need[close]
        same = dl < 1e-6  # on the same spot: apart in a random direction
        if same.any():
            angle = rng.random(int(same.sum())) * 2 * np.pi
            d[same] = np.stack([np.cos(angle), np.sin(angle)], axis=1)
            dl[same] = 1.0
        step = (d / dl[:, None]) * ((nd - dl) / 2)[:, None]
        push = np.zeros_like(p)
        np.add.at(push, j, step)
        np.subtract.at(push, i, step)
        p += push
    return {n: (round(float(x), 1), round(float(y), 1)) for n, (x, y) in zip(nodes, p, strict=True)}
