"""The explorer's colours, as the schema declares them: relation families people can tell apart, and
a sanctioned marker no fill hides."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
import yaml

from graph.errors import SchemaError
from graph.schema import load_schema, parse_schema

# Colour-vision deficiency, full severity, as linear-RGB matrices (Machado, Oliveira and Fernandes, 2009).
DEFICIENCIES = {
    "protanopia": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
    "deuteranopia": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]],
    "tritanopia": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]],
    "none": [[1, 0, 0], [0, 1, 0], [0, 0, 1]],
}
# Least CIELAB distance between two family colours, as seen with each deficiency (about 10 reads as
# clearly different on thin lines; the 26 hues the page used before came down to 5.3 with full
# colour vision and 0.7 with protanopia).
LEAST_DISTANCE = 10.0


def linear(hex_colour: str) -> list[float]:
    c = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    return [v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4 for v in c]


def lab(rgb: list[float]) -> tuple[float, float, float]:
    r, g, b = (min(1.0, max(0.0, v)) for v in rgb)
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def seen(hex_colour: str, deficiency: str) -> tuple[float, float, float]:
    m, c = DEFICIENCIES[deficiency], linear(hex_colour)
    return lab([sum(m[i][j] * c[j] for j in range(3)) for i in range(3)])


def distance(a: str, b: str, deficiency: str) -> float:
    return sum((p - q) ** 2 for p, q in zip(seen(a, deficiency), seen(b, deficiency), strict=True)) ** 0.5


def test_distance_is_zero_only_for_the_same_colour() -> None:
    assert distance("#0072B2", "#0072B2", "deuteranopia") == 0
    # red and green, the classic confusion, nearly vanish for deuteranopes but not for others
    assert distance("#d62728", "#2ca02c", "deuteranopia") < distance("#d62728", "#2ca02c", "none") / 3


@pytest.mark.parametrize("deficiency", list(DEFICIENCIES))
def test_relation_families_can_be_told_apart(deficiency: str) -> None:
    families = load_schema().families
    assert 4 <= len(families) <= 7  # a few families, not 26 hues
    worst = min((distance(a.color, b.color, deficiency), a.name, b.name) for a, b in itertools.combinations(families.values(), 2))
    assert worst[0] >= LEAST_DISTANCE, worst


def test_every_relationship_type_has_a_family() -> None:
    schema = load_schema()
    assert {t: r.family for t, r in schema.relationships.items() if r.family not in schema.families} == {}


def test_the_sanctioned_ring_colour_is_used_by_no_label_and_no_family() -> None:
    schema = load_schema()
    used = {lab.color.lower() for lab in schema.labels.values()} | {f.color.lower() for f in schema.families.values()}
    assert schema.sanctioned_color.lower() not in used
    # and it stands out from every label's fill, with any colour vision
    for lab in schema.labels.values():
        for deficiency in DEFICIENCIES:
            assert distance(schema.sanctioned_color, lab.color, deficiency) >= 25, (lab.name, deficiency)


def test_an_unknown_family_is_a_schema_error() -> None:
    path = Path(load_schema().path)
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    raw["relationships"]["FUNDED"]["family"] = "money"
    with pytest.raises(SchemaError, match=r"relationship FUNDED: names unknown family 'money'; style.families has: aid, trade, coercion"):
        parse_schema(raw, path)
