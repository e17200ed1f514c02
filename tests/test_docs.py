"""The README's generated blocks match the schema file and the data: documentation cannot drift."""

from __future__ import annotations

import networkx as nx

from graph.docs import generate_data_dictionary, update_readme
from graph.schema import load_schema

from .conftest import ROOT


def test_readme_is_up_to_date(curated: nx.MultiDiGraph) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme == update_readme(readme, load_schema(), curated), "run `python -m graph.docs README.md` and commit"


def test_data_dictionary_names_every_label_and_type() -> None:
    schema = load_schema()
    text = generate_data_dictionary(schema)
    for name in [*schema.labels, *schema.relationships, *schema.relationship_properties]:
        assert f"| `{name}` |" in text


def test_required_is_never_printed_as_if_it_were_a_value() -> None:
    text = generate_data_dictionary(load_schema())
    kinds = ", ".join(load_schema().labels["Source"].properties["kind"].values)
    assert ", required)" not in text and f"(required; enum: {kinds})" in text
