"""One project context: the schema, the data paths, the cache and the view options, built once.

In the manner of sqlite-utils' ``Database``: every command of the CLI and every library function
works through a `Project`; ``graph.load()``, ``graph.query()`` and the other helpers are thin
functions over the default one (the project's ``data/`` and ``data/schema.yaml``).

>>> import graph
>>> p = graph.Project("tests/fixtures/mini")
>>> G = p.load()
>>> p.schema.path.name, G.number_of_nodes()
('schema.yaml', 13)

A schema of one's own::

    p = graph.Project("my-data", schema="my-schema.yaml")
    G = p.load()                       # validated against my-schema.yaml
    graph.relations(G, "Hospital One")  # the helpers know G's schema (see `model_for`)
    p.query("MATCH (h:Hospital) RETURN h.name")

Nothing is read when a `Project` is made: the schema is read the first time it is needed.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .locations import data_dir
from .model import Model, model_of
from .schema import Schema, load_schema

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd

    from .embedded import EmbeddedDatabase

__all__ = ["Project", "ViewOptions", "default_project", "model_for", "remember"]


@dataclass(frozen=True)
class ViewOptions:
    """Which part of the graph a page shows (the one home of the explorer's view options).

    `focus` (an id, name or alias) keeps what lies within `depth` hops of it; `labels` keeps
    entities of those labels, `types` relations of those types, `years` (first, last) relations
    that hold in those years; documents are drawn only with `include_sources`.
    """

    focus: str | None = None
    depth: int = 1
    labels: tuple[str, ...] | None = None
    types: tuple[str, ...] | None = None
    years: tuple[int, int] | None = None
    include_sources: bool = False

    def options(self) -> dict[str, Any]:
        """As keyword arguments of `graph.html.write_html` / `generate_html` / `select_view`."""
        return {
            "focus": self.focus,
            "depth": self.depth,
            "labels": list(self.labels) if self.labels is not None else None,
            "types": list(self.types) if self.types is not None else None,
            "years": self.years,
            "include_sources": self.include_sources,
        }


class Project:
    """The data paths, the schema, the embedded engine's cache and the view options of one session.

    `data`: files or folders (YAML and CSV merge; default: the project's ``data/``); `schema`: a
    schema file or a `Schema` (default: ``data/schema.yaml``); `cache_dir`: where the embedded
    engine keeps its databases (default: ``$XDG_CACHE_HOME/cubamed/embedded``).
    """

    def __init__(
        self,
        data: str | Path | Iterable[str | Path] = (),
        *,
        schema: str | Path | Schema | None = None,
        cache_dir: str | Path | None = None,
        view: ViewOptions | None = None,
    ) -> None:
        self.data: tuple[Path, ...] = (Path(data),) if isinstance(data, (str, Path)) else tuple(Path(p) for p in data)
        self._schema = schema
        self.cache_dir = Path(cache_dir) if cache_dir is not None else None
        self.view = view or ViewOptions()

    def __repr__(self) -> str:
        return f"Project(data={[str(p) for p in self.data]!r}, schema={str(self.schema_path)!r})"

    @property
    def schema_path(self) -> Path | None:
        """The schema file given (None: the default one)."""
        if isinstance(self._schema, Schema):
            return self._schema.path
        return Path(self._schema) if self._schema is not None else None

    @cached_property
    def schema(self) -> Schema:
        return self._schema if isinstance(self._schema, Schema) else load_schema(self._schema)

    @cached_property
    def model(self) -> Model:
        return model_of(self.schema)

    @property
    def paths(self) -> tuple[Path, ...]:
        """The data files and folders to read: those given, else the project's ``data/``."""
        return self.data or (data_dir(),)

    def with_options(
        self,
        *,
        data: Iterable[str | Path] | None = None,
        schema: str | Path | Schema | None = None,
        cache_dir: str | Path | None = None,
        view: ViewOptions | None = None,
    ) -> Project:
        """A copy with these options replaced (None and empty keep the current ones)."""
        data = tuple(data or ())
        return Project(
            data or self.data,
            schema=schema if schema is not None else self._schema,
            cache_dir=cache_dir if cache_dir is not None else self.cache_dir,
            view=view or self.view,
        )

    def with_view(self, **options: Any) -> Project:
        """A copy whose view options are replaced by `options` (see `ViewOptions`)."""
        return Project(self.data, schema=self._schema, cache_dir=self.cache_dir, view=replace(self.view, **options))

    def load(self) -> nx.MultiDiGraph:
        """Read, validate and build the graph of the data paths against the schema."""
        from .build import load

        return load(*self.paths, schema=self.schema)

    def open_database(self, G: nx.MultiDiGraph | None = None, *, write: bool = False, **bounds: Any) -> EmbeddedDatabase:
        """The embedded database of `G`, or of the data paths (cached); see `graph.embedded.open_database`
        (`bounds`: its ``timeout`` and ``max_memory``)."""
        from .embedded import open_database

        if G is not None:
            self.model.check(G)
        return open_database(G, paths=self.data, schema=self.schema, cache_dir=self.cache_dir, write=write, **bounds)

    def query(
        self, cypher: str, params: Mapping[str, Any] | None = None, /, *, G: nx.MultiDiGraph | None = None, write: bool = False, **more: Any
    ) -> pd.DataFrame:
        """Run Cypher on the embedded engine (no server); see `graph.query`."""
        from .embedded import query

        if G is not None:
            self.model.check(G)
        return query(cypher, params, G=G, paths=self.data, schema=self.schema, cache_dir=self.cache_dir, write=write, **more)


def default_project() -> Project:
    """The project of the checkout: ``data/`` and ``data/schema.yaml`` (read again when it changes)."""
    return Project()


_GRAPH_MODELS: weakref.WeakKeyDictionary[Any, Model] = weakref.WeakKeyDictionary()


def remember(G: nx.MultiDiGraph, model: Model) -> nx.MultiDiGraph:
    """Note that `G` was built with `model`'s schema (`load` does it), so the helpers given `G` use it."""
    _GRAPH_MODELS[G] = model
    return G


def model_for(G: Any = None, schema: Schema | str | Path | None = None) -> Model:
    """The model a helper uses for `G`: that of `schema` when given, else that of the schema `G`
    was loaded with (remembered by `load`), else the default project's."""
    if isinstance(schema, Schema):
        return model_of(schema)
    if schema is not None:
        return model_of(load_schema(schema))
    if G is not None:
        try:
            found = _GRAPH_MODELS.get(G)
        except TypeError:  # not weak-referenceable
            found = None
        if found is not None:
            return found
    return model_of(load_schema())
