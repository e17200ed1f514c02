"""The README's generated blocks match the schema file and the data: documentation cannot drift."""

from __future__ import annotations

from collections import Counter

import networkx as nx
import yaml

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


def _block(name: str) -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return readme.split(f"<!-- BEGIN generated: {name} -->\n", 1)[1].split(f"<!-- END generated: {name} -->", 1)[0]


def _table(text: str, head: str) -> dict[str, int]:
    """The rows `| `name` | n |` of the Markdown table whose header starts with `head`."""
    lines = text.split(f"| {head}", 1)[1].split("\n\n", 1)[0].splitlines()[2:]
    return {cells[1].strip().replace("`", ""): int(cells[2]) for cells in (line.split("|") for line in lines)}


def test_readme_counts_say_what_the_graph_holds(curated: nx.MultiDiGraph) -> None:
    """What the generated text says, checked against the graph itself (not against the generator)."""
    text = _block("counts")
    assert text.startswith(f"{curated.number_of_nodes()} entities and {curated.number_of_edges()} relationships.\n")
    labels = Counter(label for _, label in curated.nodes(data="label"))
    labels["of which Sanctioned"] = sum(1 for _, s in curated.nodes(data="sanctioned") if s is True)
    assert _table(text, "label") == dict(labels)
    assert _table(text, "relationship type") == dict(Counter(t for *_, t in curated.edges(data="type")))


def test_readme_data_dictionary_says_what_the_schema_file_says() -> None:
    """Checked against the raw YAML of data/schema.yaml, read with PyYAML, not through graph.schema."""
    raw = yaml.safe_load((ROOT / "data" / "schema.yaml").read_text(encoding="utf-8"))
    text = _block("data-dictionary")
    for name, spec in raw["relationships"].items():
        assert f"| `{name}` | {', '.join(spec['from'])} | {', '.join(spec['to'])} | {spec['doc']} |" in text
    for name, spec in raw["labels"].items():
        assert f"| `{name}` | {spec['doc']} |" in text
    lo, hi = raw["year_range"]
    assert f"Years must fall in {lo}-{hi}." in text
    required = {n for n, p in raw["relationship_properties"].items() if p.get("required")}
    rows = {line.split("|")[1].strip(" `"): line.split("|")[3].strip() for line in text.split("### Relationship properties")[1].splitlines() if line.startswith("| `")}
    assert {n for n, r in rows.items() if r == "yes"} == required
    assert list(rows) == list(raw["relationship_properties"])
