"""The committed fixture is what tests/ftm/make_fixture.py writes with followthemoney's API, and
every line of it is a valid FtM entity for the library."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from .conftest import MAIN, OTHER, require_followthemoney


def test_the_fixture_is_what_the_script_writes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    require_followthemoney()
    from tests.ftm import make_fixture

    monkeypatch.setattr(make_fixture, "OUT", tmp_path)
    make_fixture.main()
    assert (tmp_path / MAIN.name).read_bytes() == MAIN.read_bytes()
    assert (tmp_path / OTHER.name).read_bytes() == OTHER.read_bytes()


def test_every_line_is_valid_ftm_for_the_library() -> None:
    require_followthemoney()
    from followthemoney import model

    lines = MAIN.read_text(encoding="utf-8").splitlines() + gzip.decompress(OTHER.read_bytes()).decode("utf-8").splitlines()
    schemata = []
    for line in lines:
        data = json.loads(line)
        proxy = model.get_proxy({k: data[k] for k in ("id", "schema", "properties")}, cleaned=False)
        assert proxy.to_dict()["properties"] == data["properties"]  # nothing dropped or changed by the model
        schemata.append(proxy.schema.name)
    assert sorted(set(schemata)) == ["Address", "Airplane", "Company", "Directorship", "LegalEntity", "Ownership", "Person", "Sanction"]
