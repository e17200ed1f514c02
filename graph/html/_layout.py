"""Fruchterman-Reingold layout in numpy, for the HTML page.

networkx's `spring_layout` needs scipy beyond 500 nodes and its `forceatlas2_layout` takes about
20 s at 2,000 nodes; this dense, vectorized version of the same force model (networkx's
`_fruchterman_reingold`, in float32 with matrix products) lays out 2,000 nodes in about a second.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import numpy as np

__all__ = ["spring_positions"]


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
