"""A scenario's audience on a real twin: filters resolved against the data, counts per
segment, names that match nothing said out loud, the dry run, and no number without
comparable history."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cdt import api
from cdt.agents import grounding
from cdt.calibrate import latest_model
from cdt.config import Settings
from cdt.errors import ConfigError

CDT = str(Path(sys.executable).parent / "cdt")


def direct_count(settings: Settings, where: str, params: list[object]) -> int:
    with api.connect(settings) as backend:
        return int(
            backend.scalar(
                "SELECT COUNT(*) FROM ANALYTICS.CUSTOMER_SEGMENTS s JOIN "
                "ANALYTICS.CUSTOMER_FEATURES_ENRICHED f ON f.customer_id = s.customer_id "
                f"WHERE {where}",
                params,
            )
        )


def test_every_filter_must_match(numbers_twin: Settings) -> None:
    scenario = api.parse_scenario(
        "A $4 increase on Powder for customers in Texas with us at least 2 years"
    )
    plan = api.plan(numbers_twin, scenario)
    expected = direct_count(
        numbers_twin,
        "f.plan_name = ? AND f.state_code = ? AND f.tenure_months >= ?",
        ["Powder", "TX", 24],
    )
    assert plan["affected_customers"] == expected
    assert sum(r["customers"] for r in plan["affected"]) == direct_count(numbers_twin, "1=1", [])
    assert plan["grounding"]["grounded"] and plan["scenario"]["price_delta"] == 4


def test_a_place_that_matches_nothing_reaches_nobody_and_says_so(numbers_twin: Settings) -> None:
    plan = api.plan(numbers_twin, api.parse_scenario("price increase $3 for customers in Austin"))
    assert plan["affected_customers"] == 0
    said = next(w for w in plan["warnings"] if w.startswith("place 'Austin'"))
    assert "not a city or DMA name in this twin's ZIP data" in said
    assert "to reach its state instead: --set places=none --set states=XX" in said
    assert said.endswith("the one you mean of MN, TX (each has a place named Austin)")
    assert any("the places alone match no customer" in w for w in plan["warnings"])


def test_people_who_are_not_customers_yet_are_said_to_be_outside_the_twin(
    numbers_twin: Settings,
) -> None:
    """An offer to switchers or new customers is read on the customers it reaches, and says
    so; a rival's switchers are our own customers, so its offer says nothing of the kind."""
    ours = api.plan(numbers_twin, api.parse_scenario("Blizzard switchers get a $200 bill credit"))
    said = [w for w in ours["warnings"] if "are not in the twin" in w]
    assert said and said[0].startswith("'switchers' are not in the twin, which holds today's")
    theirs = api.plan(numbers_twin, api.parse_scenario("T-Mobile pays switchers $800 to port in"))
    assert theirs["scenario"]["kind"] == "competitor_offer"
    assert not any("are not in the twin" in w for w in theirs["warnings"])


def test_a_region_resolves_to_its_states(numbers_twin: Settings) -> None:
    plan = api.plan(numbers_twin, api.parse_scenario("A $5 increase for everyone in the Midwest"))
    with api.connect(numbers_twin) as backend:
        states = [
            r["state_code"]
            for r in backend.query(
                "SELECT DISTINCT state_code FROM EXTERNAL.ZIP_DEMOGRAPHICS WHERE region = ?",
                ["Midwest"],
            ).to_pylist()
        ]
    marks = ",".join("?" * len(states))
    assert plan["affected_customers"] == direct_count(
        numbers_twin, f"f.state_code IN ({marks})", states
    )
    assert plan["affected_customers"] > 0


def test_no_number_without_comparable_history(numbers_twin: Settings) -> None:
    policy = api.parse_scenario("Autopay will be required on all plans starting July 1")
    plan = api.plan(numbers_twin, policy)
    assert not plan["grounding"]["grounded"]
    assert plan["grounding"]["reason"].startswith(grounding.NOT_GROUNDED)
    proxied = api.parse_scenario(
        "Autopay will be required on all plans starting July 1", values={"proxy": "loyalty_reward"}
    )
    read = api.plan(numbers_twin, proxied)
    assert read["grounding"]["grounded"] and read["grounding"]["campaign_type"] == "Loyalty Reward"
    assert any("the proxy you named" in w for w in read["warnings"])
    with api.connect(numbers_twin) as backend:
        facts = latest_model(backend).facts
    with pytest.raises(ConfigError, match="no 'Billing Change' campaigns"):
        grounding.ground(policy.model_copy(update={"proxy": "Billing Change"}), facts)


def test_a_simulation_without_grounding_has_words_and_no_numbers(persona_twin: Settings) -> None:
    segment = api.personas(persona_twin)[0]["segment_id"]
    result = api.simulate(
        persona_twin, api.parse_scenario("We are ending paper bills"), segments=[segment]
    ).to_dict()
    row = result["segments"][0]
    assert row["status"] == "ok" and row["grounded"] is False and "expected_churners" not in row
    assert result["overall"]["expected_churners"] is None
    assert result["recommendation"].startswith("No recommendation: not grounded")
    stored = api.history_show(persona_twin, result["simulation_id"])
    assert any(w.startswith(grounding.NOT_GROUNDED) for w in stored["warnings"])
    assert stored["scenario"]["kind"] == "policy_change"


def test_segments_the_scenario_does_not_reach_are_not_asked(persona_twin: Settings) -> None:
    personas = api.personas(persona_twin)
    first = personas[0]["segment_id"]
    result = api.simulate(
        persona_twin, api.parse_scenario(f"price increase $5 for {first}")
    ).to_dict()
    statuses = {r["segment_id"]: r["status"] for r in result["segments"]}
    assert statuses[first] == "ok"
    assert all(s == "unaffected" for k, s in statuses.items() if k != first)
    assert result["overall"]["affected_customers"] == result["segments"][0][
        "affected_customers"
    ] or (
        result["overall"]["affected_customers"]
        == next(r for r in result["segments"] if r["segment_id"] == first)["affected_customers"]
    )


def test_dry_run_calls_no_llm_and_stores_nothing(numbers_twin: Settings) -> None:
    env = {**os.environ, "CDT_LLM_PROVIDER": "ollama", "CDT_OLLAMA_HOST": "http://127.0.0.1:9"}
    result = subprocess.run(
        [CDT, "simulate", "Avalanche drops from $95 to $85", "--dry-run", "--json"],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    body = json.loads(result.stdout)
    assert body["dry_run"] is True  # a script can tell a dry run's JSON from a run's
    assert body["scenario"]["price_delta"] == -10 and body["scenario"]["plans"] == ["Avalanche"]
    # "from $95 to $85" says it all: no guess to warn about
    assert not any(w.startswith("two amounts") for w in body["warnings"])
    # Ollama is configured, so the run itself would also ask it: the dry run says so
    assert body["warnings"][0].startswith("a dry run shows the rules' reading only")
    assert api.history(numbers_twin) == []
    bad = subprocess.run(
        [CDT, "simulate", "price increase $5", "--set", "plans=Titanium", "--dry-run"],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip
    assert bad.returncode == 2 and "plans" in bad.stderr and "Traceback" not in bad.stderr
