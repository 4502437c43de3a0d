"""Several price changes in one scenario: written in a list (``changes``), read from text,
set with ``--set changes=``, from files and CSV, checked (overlaps, unknown plans, percents
over 100), scored per plan by the engine and the SQL scorer alike, swept one at a time or by
a common offset, stored and replayed."""

from __future__ import annotations

from pathlib import Path

import pytest

from cdt import api
from cdt.agents import grounding, targeting
from cdt.agents.campaign import variants_from_rows
from cdt.calibrate import latest_model
from cdt.calibrate.predict import population, predict
from cdt.config import Settings
from cdt.errors import ConfigError
from cdt.scenario import Kind, Scenario, parse
from cdt.scenario.changes import format_changes, parse_changes
from cdt.scenario.model import build
from cdt.scenario.overrides import apply, load_file

TWO = "Glacier:+2; Avalanche:+5"


def test_the_syntax_reads_and_writes_every_size() -> None:
    text = "Glacier:+2; Summit, Avalanche:-5%; Powder:55->60; Flurry: $3.50"
    changes = parse_changes(text)
    assert changes == [
        {"plans": ["Glacier"], "price_delta": 2.0},
        {"plans": ["Summit", "Avalanche"], "price_delta_pct": -5.0},
        {"plans": ["Powder"], "price_from": 55.0, "price_to": 60.0},
        {"plans": ["Flurry"], "price_delta": 3.5},
    ]
    scenario = build({"kind": "price_change", "changes": changes})
    assert format_changes(scenario.changes) == (
        "Glacier:+2; Summit,Avalanche:-5%; Powder:55->60; Flurry:+3.5"
    )
    assert parse_changes(format_changes(scenario.changes)) == [
        {"plans": ["Glacier"], "price_delta": 2.0},
        {"plans": ["Summit", "Avalanche"], "price_delta_pct": -5.0},
        {"plans": ["Powder"], "price_from": 55.0, "price_to": 60.0},
        {"plans": ["Flurry"], "price_delta": 3.5},
    ]


@pytest.mark.parametrize(
    ("written", "says"),
    [
        ("Glacier +2", "change 1 ('Glacier +2') is not PLANS:SIZE"),
        ("Glacier:+2; Avalanche:lots", "change 2's size 'lots'"),
        ("Glacier:+2; Glacier,Summit:+3", "changes 1 and 2 both change Glacier"),
        ("Glacier:+2; Tundra:+3", "change 2's plans: 'Tundra' is not one of"),
        ("Glacier:+2; Summit:+120%", "change 2's price_delta_pct"),
    ],
)
def test_a_bad_list_names_the_change_and_the_field(written: str, says: str) -> None:
    with pytest.raises(ConfigError) as raised:
        apply(parse("price increase $5"), {"changes": written})
    assert says in raised.value.message


def test_one_change_stays_flat_and_several_take_the_audience() -> None:
    one = build({"kind": "price_change", "changes": [{"plans": ["Powder"], "price_delta": 4}]})
    assert one.changes == [] and one.price_delta == 4.0 and one.plans == ["Powder"]
    several = apply(parse("price increase $5"), {"changes": TWO})
    assert several.price_delta is None and several.plans == ["Glacier", "Avalanche"]
    assert [c.words() for c in several.price_changes()] == ["+$2 on Glacier", "+$5 on Avalanche"]
    with pytest.raises(ConfigError, match="several price changes"):
        apply(several, {"price_delta": "3"})  # which one? the user must say
    with pytest.raises(ConfigError, match="are not the changed plans"):
        build({"plans": ["Powder"], "changes": parse_changes(TWO)})
    back = apply(several, {"changes": "none", "price_delta": "3"})
    assert back.changes == [] and back.price_delta == 3.0


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Summit goes up $5 to $100 while Glacier drops $3 to $32",
         ["+$5 on Summit ($95 to $100)", "-$3 on Glacier ($35 to $32)"]),
        ("+$2 on Glacier, +$5 on Avalanche", ["+$2 on Glacier", "+$5 on Avalanche"]),
        ("Glacier drops $2 and Avalanche $5", ["-$2 on Glacier", "-$5 on Avalanche"]),
        ("Glacier and Flurry go up $2, Avalanche goes up $5",
         ["+$2 on Glacier, Flurry", "+$5 on Avalanche"]),
        ("Glacier goes from $25 to $27 and Avalanche $140 to $145",
         ["+$2 on Glacier ($25 to $27)", "+$5 on Avalanche ($140 to $145)"]),
        ("Flurry rises 3 dollars and Blizzard 4%", ["+$3 on Flurry", "+4% on Blizzard"]),
        # a later sentence that names a plan again is context, not a third change
        ("Memo: Powder goes up $2 to $57 and Avalanche comes down $10 to $130. Last year 40% "
         "of upgrades went to Avalanche.",
         ["+$2 on Powder ($55 to $57)", "-$10 on Avalanche ($140 to $130)"]),
    ],
)  # fmt: skip
def test_text_with_several_changes_reads_as_a_list(text: str, words: list[str]) -> None:
    scenario = parse(text)
    assert [c.words() for c in scenario.changes] == words
    assert any("several price changes, read as" in w for w in scenario.warnings)


def test_the_same_change_on_two_plans_is_one_change() -> None:
    scenario = parse("Glacier goes up $2 and Flurry goes up $2")
    assert scenario.changes == [] and scenario.price_delta == 2.0
    assert scenario.plans == ["Glacier", "Flurry"]


def test_a_scenario_file_holds_a_list_of_changes(tmp_path: Path) -> None:
    path = tmp_path / "two.toml"
    path.write_text(
        'kind = "price_change"\n'
        '[[changes]]\nplans = ["Glacier"]\nprice_delta = 2\n'
        '[[changes]]\nplans = ["Avalanche"]\nprice_delta_pct = 4\n'
    )
    scenario = load_file(path)
    assert [c.words() for c in scenario.changes] == ["+$2 on Glacier", "+4% on Avalanche"]
    path.write_text(
        'kind = "price_change"\n'
        '[[changes]]\nplans = ["Glacier"]\nprice_delta = 2\n'
        '[[changes]]\nplans = ["Glacier"]\nprice_delta = 3\n'
    )
    with pytest.raises(ConfigError, match="both change Glacier"):
        load_file(path)


def test_a_variants_file_takes_a_changes_column() -> None:
    ((name, scenario),) = variants_from_rows(
        [{"variant": "split", "scenario": "price increase", "changes": TWO}]
    )
    assert name == "split" and [c.words() for c in scenario.changes] == [
        "+$2 on Glacier",
        "+$5 on Avalanche",
    ]


def _figures(settings: Settings, scenario: Scenario) -> tuple[float, float, float]:
    with api.connect(settings) as backend:
        model = latest_model(backend)
        inputs = grounding.ground(scenario, model.facts).inputs
        assert inputs is not None
        people = population(backend, model, targeting.resolve(backend, scenario).filters)
        found = predict(model, people, inputs)
    return (
        sum(p.customers for p in found.values()),
        sum(p.churners for p in found.values()),
        sum(p.added_revenue for p in found.values()),
    )


def test_several_changes_score_as_each_plan_under_its_own(calibrated_twin: Settings) -> None:
    both = _figures(calibrated_twin, apply(parse("price increase $5"), {"changes": TWO}))
    glacier = _figures(calibrated_twin, parse("Glacier goes up $2"))
    avalanche = _figures(calibrated_twin, parse("Avalanche goes up $5"))
    for together, a, b in zip(both, glacier, avalanche, strict=True):
        assert together == pytest.approx(a + b, rel=1e-9)
    assert both[2] > 0  # stayers pay the rise on their own plan


def test_simulate_sweep_and_replay_carry_the_list(calibrated_twin: Settings) -> None:
    scenario = apply(parse("price increase $5"), {"changes": TWO})
    result = api.simulate(calibrated_twin, scenario)
    assert result.scenario["reading"].startswith("+$2 a month on Glacier")
    assert "; +$5 a month on Avalanche" in result.scenario["reading"]
    assert result.overall["added_revenue_monthly"] > 0
    replay = api.history_show(calibrated_twin, result.simulation_id)
    assert replay["scenario"]["changes"] == result.scenario["changes"]
    one = api.sweep(calibrated_twin, scenario, param="change:2", start=0, stop=10, step=5)
    assert one.swept.startswith("change 2 (+$5 on Avalanche)")
    churn = [p["overall"]["churners"] for p in one.points]
    assert churn == sorted(churn)  # a larger rise on Avalanche loses more
    offset = api.sweep(calibrated_twin, scenario, param="price_delta", start=-2, stop=2, step=2)
    assert offset.swept.startswith("a common offset in dollars added to each of 2 changes")
    with pytest.raises(ConfigError, match="has 2 changes"):
        api.sweep(calibrated_twin, scenario, param="change:3", start=0, stop=5, step=5)
    mixed = apply(scenario, {"changes": "Glacier:+2; Avalanche:+4%"})
    with pytest.raises(ConfigError, match="not all in dollars"):
        api.sweep(calibrated_twin, mixed, param="price_delta", start=0, stop=5, step=5)


def test_a_bad_list_on_the_command_line_stores_nothing(calibrated_twin: Settings) -> None:
    from tests.surfaces.test_cli import run

    done = run("simulate", "price increase $5", "--set", "changes=Glacier:+2; Glacier:+3")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.startswith("error: --set is invalid: changes 1 and 2 both change Glacier")
    assert api.history(calibrated_twin) == []


def test_our_own_changes_with_a_rival_named_as_the_reason_are_ours() -> None:
    """A text that leads with our price moves and names a rival only after them is a price
    change, read as its changes; one that leads with the rival's move stays the rival's."""
    ours = parse(
        "Board memo: Glacier and Flurry go up $2 in March, while Avalanche drops $10; "
        "Verizon's $300 switcher credit is the reason."
    )
    assert ours.kind == Kind.PRICE_CHANGE
    assert [(c.plans, c.price_delta) for c in ours.changes] == [
        (["Glacier", "Flurry"], 2.0), (["Avalanche"], -10.0)]  # fmt: skip
    theirs = parse("Verizon's $300 switcher credit is back; we answer with $10 off Avalanche.")
    assert theirs.kind == Kind.COMPETITOR_OFFER and theirs.competitor_credit == 300
