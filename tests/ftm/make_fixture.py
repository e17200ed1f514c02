"""Write the FollowTheMoney test fixture with the library's own API, so it is valid FtM.

    pip install -e .[ftm] && python tests/ftm/make_fixture.py

Writes tests/ftm/fixtures/sanctions.ftm.json and other-list.ftm.jsonl.gz (both committed). The
entities are shaped like OpenSanctions' exports (its `datasets`, `first_seen`, `last_seen`,
`caption` fields) but the file is made up for the tests: its ids, the aircraft, the person and
"Conviasa Regional" (a decoy for `cubamed match`) are invented. The designations it carries
(Conviasa in February 2020 under the Venezuela program of executive order 13884, PDVSA in January
2019 under 13850) follow the US Treasury's public announcements. The second file's start date
for Conviasa is deliberately different, so the tests see two datasets disagree.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

from followthemoney import model

OUT = Path(__file__).parent / "fixtures"
SEEN = {"first_seen": "2020-02-08T00:00:00", "last_seen": "2024-06-01T00:00:00"}


def entity(schema: str, ident: str, dataset: str, **props: Any) -> dict[str, Any]:
    """One entity made and checked by followthemoney, with OpenSanctions' extra fields."""
    proxy = model.make_entity(schema)
    proxy.id = ident
    for name, values in props.items():
        for value in values if isinstance(values, list) else [values]:
            proxy.add(name, value)  # raises on a property the schema does not have
    data = proxy.to_dict()
    return {**data, "caption": proxy.caption, "datasets": [dataset], **SEEN}


def main_file() -> list[dict[str, Any]]:
    ds = "cubamed_fixture"
    ofac = {"authority": "Office of Foreign Assets Control", "country": "us", "sourceUrl": "https://ofac.treasury.gov/"}
    return [
        entity(
            "Company",
            "fixture-conviasa",
            ds,
            name="Consorcio Venezolano de Industrias Aeronauticas y Servicios Aereos, S.A.",
            alias="CONVIASA",
            country="ve",
        ),
        entity(
            "Airplane",
            "fixture-aircraft-1",
            ds,
            name="Embraer 190 of Conviasa (fixture)",
            registrationNumber="YV-FIXTURE-1",
            model="Embraer E190",
            country="ve",
        ),
        entity("Ownership", "fixture-own-aircraft-1", ds, owner="fixture-conviasa", asset="fixture-aircraft-1", role="operator and owner"),
        entity(
            "Sanction",
            "fixture-san-conviasa",
            ds,
            entity="fixture-conviasa",
            program="VENEZUELA-EO13884",
            startDate="2020-02-07",
            provisions="Block",
            **ofac,
        ),
        entity(
            "Sanction",
            "fixture-san-aircraft-1",
            ds,
            entity="fixture-aircraft-1",
            program="VENEZUELA-EO13884",
            startDate="2020-02-07",
            provisions="Block",
            **ofac,
        ),
        entity("Company", "fixture-pdvsa", ds, name="Petróleos de Venezuela, S.A.", alias="PDVSA", country="ve"),
        entity(
            "Sanction",
            "fixture-san-pdvsa",
            ds,
            entity="fixture-pdvsa",
            program="VENEZUELA-EO13850",
            startDate="2019-01-28",
            provisions="Block",
            **ofac,
        ),
        # The Venezuelan state as a sanctions list names it: merges into the curated `venezuela` by its Wikidata id
        entity("LegalEntity", "fixture-venezuela", ds, name="Bolivarian Republic of Venezuela", wikidataId="Q717", country="ve"),
        entity("Ownership", "fixture-own-pdvsa", ds, owner="fixture-venezuela", asset="fixture-pdvsa", role="state owner"),
        entity("Person", "fixture-person-1", ds, name="Ana Ejemplo", nationality="ve"),
        entity(
            "Directorship", "fixture-dir-1", ds, director="fixture-person-1", organization="fixture-pdvsa", role="board member (invented)"
        ),
        # A schema the mapping does not name: counted and reported, not loaded
        entity("Address", "fixture-address-1", ds, full="Avenida Ejemplo 1, Caracas", country="ve"),
        # A decoy: a name close to Conviasa's, no identifier; `cubamed match` suggests it, nothing merges it
        entity("Company", "fixture-conviasa-regional", ds, name="Conviasa Regional", country="ve"),
    ]


def other_file() -> list[dict[str, Any]]:
    ds = "cubamed_fixture_other"
    return [
        entity("Company", "fixture-conviasa", ds, name="Conviasa", alias="Conviasa Airlines", country="ve"),
        entity(
            "Sanction",
            "fixture-other-san-conviasa",
            ds,
            entity="fixture-conviasa",
            program="VENEZUELA-EO13884",
            startDate="2020-02-10",
            authority="Office of Foreign Assets Control",
            country="us",
        ),
    ]


def _lines(entities: list[dict[str, Any]]) -> str:
    return "".join(json.dumps(e, ensure_ascii=False, sort_keys=True) + "\n" for e in entities)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "sanctions.ftm.json").write_text(_lines(main_file()), encoding="utf-8")
    with gzip.GzipFile(OUT / "other-list.ftm.jsonl.gz", "wb", mtime=0) as fh:  # mtime 0: the same bytes every run
        fh.write(_lines(other_file()).encode("utf-8"))


if __name__ == "__main__":
    main()
