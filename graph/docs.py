"""Markdown generated from the schema file and the graph, pasted into the README between
markers; a test checks the README still matches, so the documentation cannot drift.
"""

from __future__ import annotations

import networkx as nx

from .explore import summary
from .model import model_of
from .schema import Property, Schema

__all__ = ["generate_counts", "generate_data_dictionary", "update_readme"]


def _type(p: Property) -> str:
    if p.type == "enum":
        return "enum: " + ", ".join(p.values)
    if p.type == "ref" and p.labels:
        return "ref to " + "/".join(p.labels)
    return p.type


def _prop_rows(props: dict[str, Property]) -> list[str]:
    return [f"| `{p.name}` | {_type(p)} | {'yes' if p.required else ''} | {p.doc} |" for p in props.values()]


def _family(schema: Schema, name: str | None) -> str:
    return "-" if name is None else schema.families[name].doc


def generate_data_dictionary(schema: Schema) -> str:
    """The data model as Markdown: labels and their properties, relationship types and endpoints."""
    head = "| property | type | required | meaning |\n| --- | --- | --- | --- |"
    out = [
        "### Node labels",
        "",
        "Every node has exactly one label and these properties:",
        "",
        head,
        *_prop_rows(schema.node_properties),
        "",
    ]
    out += ["| label | meaning | its own properties |", "| --- | --- | --- |"]
    for lab in schema.labels.values():
        own = ", ".join(f"`{p.name}` ({'required; ' if p.required else ''}{_type(p)})" for p in lab.properties.values())
        out.append(f"| `{lab.name}` | {lab.doc} | {own or '-'} |")
    model = model_of(schema)
    if model.sanctions and model.sanctioned:
        by = f" and `{model.sanctioned_by}` (the ids of who sanctioned them)" if model.sanctioned_by else ""
        out += [
            "",
            f"Entities that are the target of a `{model.sanctions}` relationship also get `{model.sanctioned}: true`{by},"
            f" and in Neo4j and on the embedded engine the extra label `{model.sanctioned_label}`.",
        ]
    out += [
        "",
        "### Relationship types",
        "",
        "| type | from | to | meaning | family |",
        "| --- | --- | --- | --- | --- |",
    ]
    out += [
        f"| `{r.name}` | {', '.join(r.sources)} | {', '.join(r.targets)} | {r.doc} | {_family(schema, r.family)} |"
        for r in schema.relationships.values()
    ]
    if schema.families:
        out += ["", "The explorer draws each family in its colour (Okabe-Ito, safe for colour-blind readers): "
                + ", ".join(f"{f.doc} `{f.color}`" for f in schema.families.values()) + "."]
    lo, hi = schema.year_range
    out += ["", "### Relationship properties", "", f"Years must fall in {lo}-{hi}.", "", head, *_prop_rows(schema.relationship_properties)]
    roles = model.describe()["roles"]
    named = [f"{role} `{', '.join(v) if isinstance(v, list) else v}`" for role, v in roles.items() if v]
    if named:
        out += ["", f"Roles (what the tools take these names to mean; `roles:` in the schema file): {'; '.join(named)}."]
    return "\n".join(out) + "\n"


def generate_counts(G: nx.MultiDiGraph, schema: Schema | None = None) -> str:
    """Entities per label and relationships per type, as two Markdown tables."""
    model = model_of(schema) if schema is not None else None
    s = summary(G, schema=schema)
    out = [f"{G.number_of_nodes()} entities and {G.number_of_edges()} relationships.", "", "| label | entities |", "| --- | ---: |"]
    out += [f"| `{k}` | {v} |" for k, v in sorted(s["labels"].items(), key=lambda kv: (-kv[1], kv[0]))]
    marker = model.sanctioned_label if model is not None else None
    if marker is None:
        from .project import model_for

        marker = model_for(G).sanctioned_label
    out += [f"| of which `{marker}` | {sum(s['sanctioned'].values())} |", "", "| relationship type | relationships |", "| --- | ---: |"]
    out += [f"| `{k}` | {v} |" for k, v in sorted(s["types"].items(), key=lambda kv: (-kv[1], kv[0]))]
    return "\n".join(out) + "\n"


def _replace_block(text: str, name: str, body: str) -> str:
    begin, end = f"<!-- BEGIN generated: {name} -->\n", f"<!-- END generated: {name} -->"
    i, j = text.index(begin) + len(begin), text.index(end)
    return text[:i] + body + text[j:]


def update_readme(text: str, schema: Schema, G: nx.MultiDiGraph) -> str:
    """`text` with its generated blocks (data dictionary, counts) brought up to date."""
    text = _replace_block(text, "data-dictionary", generate_data_dictionary(schema))
    return _replace_block(text, "counts", generate_counts(G, schema))


if __name__ == "__main__":  # python -m graph.docs README.md: the README's blocks and cypher/schema.cypher
    import sys
    from pathlib import Path

    from .export.rows import generate_schema_cypher
    from .locations import cypher_dir
    from .project import Project

    project = Project()
    readme = Path(sys.argv[1] if len(sys.argv) > 1 else "README.md")
    readme.write_text(update_readme(readme.read_text(encoding="utf-8"), project.schema, project.load()), encoding="utf-8")
    (cypher_dir() / "schema.cypher").write_text(generate_schema_cypher(project.schema), encoding="utf-8")
