"""Which scorer should `cubamed match` use? Scores of the real Conviasa and of a decoy
("Conviasa Regional") against the curated Conviasa, by cubamed's scorer and by nomenklatura's.

    pip install -e .[ftm] nomenklatura && python bench/bench_match.py

The curated record is given twice: with its name only, and with what it holds in data/ (its
country; and, as a second step, an alias). A good scorer puts the real airline well above the
decoy in both; the README's "Matching" section quotes this script's table.
"""

from __future__ import annotations

from typing import Any

from graph.match import Side, score

REAL = {"name": "Consorcio Venezolano de Industrias Aeronauticas y Servicios Aereos, S.A.", "alias": ["CONVIASA"], "country": ["ve"]}
DECOY = {"name": "Conviasa Regional", "country": ["ve"]}
CURATED = {
    "name only": {"name": "Conviasa"},
    "name + country": {"name": "Conviasa", "country": ["ve"]},
    "name + country + full name as alias": {
        "name": "Conviasa",
        "country": ["ve"],
        "alias": ["Consorcio Venezolano de Industrias Aeronauticas y Servicios Aereos"],
    },
}


def _side(p: dict[str, Any]) -> Side:
    return Side((p["name"], *p.get("alias", [])), "Company", frozenset(p.get("country", [])), {})


def _nomenklatura() -> dict[str, Any]:
    try:
        from followthemoney import model
        from nomenklatura.matching import ALGORITHMS
        from nomenklatura.matching.types import ScoringConfig
    except ImportError:
        return {}

    def entity(ident: str, p: dict[str, Any]) -> Any:
        e = model.make_entity("Company")
        e.id = ident
        e.add("name", p["name"])
        for k in ("alias", "country"):
            for v in p.get(k, []):
                e.add(k, v)
        return e

    cfg = ScoringConfig(weights={}, config={})
    return {
        algo.NAME: lambda q, r, algo=algo: algo.compare(entity("q", q), entity("r", r), cfg).score  # type: ignore[misc]
        for algo in ALGORITHMS
    }


def main() -> None:
    scorers = {"cubamed": lambda q, r: score(_side(r), _side(q))[0], **_nomenklatura()}
    print("| scorer | curated record | real Conviasa | decoy | margin |")
    print("| --- | --- | ---: | ---: | ---: |")
    for name, fn in scorers.items():
        for what, curated in CURATED.items():
            real, decoy = fn(curated, REAL), fn(curated, DECOY)
            print(f"| {name} | {what} | {real:.2f} | {decoy:.2f} | {real - decoy:+.2f} |")


if __name__ == "__main__":
    main()
