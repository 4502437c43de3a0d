"""Persona identity from data: names from the repo's tables by birth decade and gender, the
segment's median age, a real place among its customers' ZIPs; distinct and stable."""

from __future__ import annotations

import csv
from importlib.resources import files

from cdt import api
from cdt.config import Settings
from cdt.personas import identity


def _table(name: str) -> list[dict[str, str]]:
    text = files("cdt.personas").joinpath("data", name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def test_names_follow_the_birth_decade_and_stay_distinct() -> None:
    given = {(int(r["decade"]), r["gender"], r["name"]) for r in _table("given_names.csv")}
    surnames = {r["surname"] for r in _table("surnames.csv")}
    taken: set[str] = set()
    drawn = [
        identity.draw(f"SEG{i:02d}", age, share, ["Oakdale, TX"], taken=taken)
        for i, (age, share) in enumerate([(64, 1.0), (33, 0.0), (22, 1.0), (47, 0.0)] * 3)
    ]
    assert len({d.name for d in drawn}) == len(drawn)
    for person in drawn:
        first, last = person.name.split(" ", 1)
        decade = min(max((identity.AS_OF_YEAR - person.age) // 10 * 10, 1940), 2000)
        assert (decade, person.gender, first) in given and last in surnames
        assert person.location == "Oakdale, TX" and person.persona_name.endswith(f", {person.age}")
    again = identity.draw("SEG00", 64, 1.0, ["Oakdale, TX"], taken=set())
    assert again == drawn[0]  # seeded: the same data gives the same persona


def test_personas_take_their_identity_from_the_twin(persona_twin: Settings) -> None:
    personas = api.personas(persona_twin)
    with api.connect(persona_twin) as backend:
        facts = identity.read(backend)
        ages = {
            r["segment_id"]: float(r["m"])
            for r in backend.query(
                "SELECT s.segment_id, MEDIAN(f.age) AS m FROM ANALYTICS.CUSTOMER_SEGMENTS s "
                "JOIN ANALYTICS.CUSTOMER_FEATURES_ENRICHED f ON f.customer_id = s.customer_id "
                "GROUP BY s.segment_id"
            ).to_pylist()
        }
    assert len({p["persona_name"] for p in personas}) == len(personas)
    for persona in personas:
        segment = persona["segment_id"]
        name, age = persona["persona_name"].rsplit(", ", 1)
        assert int(age) == round(ages[segment]) and "First Last" not in name
        place = persona["typical_location"].split(" · ")[0]
        assert place in facts[segment]["places"]
