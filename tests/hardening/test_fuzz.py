"""Hypothesis fuzzing of every input a user controls: scenario strings, template parameters,
cdt.toml profiles, and CSV/Parquet files for `cdt load --from`. Each must give a result or a
cdt error that says what to fix; never another exception.

Case counts are explicit (HYPOTHESIS_PROFILE scales them: dev 0.1x, ci 1x, slow 5x); at 1x the
module runs 10,000 cases. The count actually run is written to test-artifacts/fuzz.json."""

from __future__ import annotations

import io
import json
import os
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cdt import schema
from cdt.config import ENV_VARS, load_settings
from cdt.errors import CdtError, ConfigError, DataError
from cdt.load import Source, validate_and_type
from cdt.scenario import MAX_SCENARIO, TEMPLATES, from_template, parse
from cdt.voices.prompts import voice_messages
from cdt.voices.speak import Ask
from tests.paths import ROOT

SCALE = {"dev": 0.1, "ci": 1.0, "slow": 5.0}.get(os.environ.get("HYPOTHESIS_PROFILE", "dev"), 1.0)
CASES = {"scenario": 5000, "template": 3000, "profile": 1200, "csv": 500, "parquet": 300}
TRIED: Counter[str] = Counter()
ARTIFACTS = ROOT / "test-artifacts"


def cases(name: str) -> settings:
    return settings(
        max_examples=max(10, int(CASES[name] * SCALE)),
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )


@pytest.fixture(scope="module", autouse=True)
def report() -> Iterator[None]:
    yield
    ARTIFACTS.mkdir(exist_ok=True)
    total = sum(TRIED.values())
    (ARTIFACTS / "fuzz.json").write_text(json.dumps({"total": total, **TRIED}, indent=2))
    print(f"\nfuzzing: {total:,} cases, 0 unhandled exceptions ({dict(TRIED)})")


PERSONA = {
    "persona_name": "Dana",
    "segment_name": "Value Seekers",
    "typical_age_range": "35-44",
    "typical_plan": "Powder",
    "typical_arpu": 55,
    "background_story": "Careful with money.",
    "emotional_triggers": "surprise fees",
}
WORDS = st.sampled_from(
    ["price", "increase", "decrease", "$5", "5%", "Powder", "Blizzard", "with", "streaming",
     "Verizon", "outage", "loyalty", "new plan", "</scenario>", "<scenario>", "ignore", "\x00",
     "\u202e", "worth $10", "cut", "by sms", "fee", "$", "%", "-3", "99999999999"]
)  # fmt: skip
SCENARIOS = st.one_of(
    st.text(max_size=200),
    st.lists(WORDS, max_size=12).map(" ".join),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=MAX_SCENARIO - 5, max_size=4010),
)


@cases("scenario")
@given(SCENARIOS)
def test_scenario_text_parses_or_says_why(text: str) -> None:
    TRIED["scenario"] += 1
    try:
        scenario = parse(text)
    except ConfigError as exc:
        assert exc.fix
        return
    assert scenario.text and len(scenario.text) <= MAX_SCENARIO
    assert all(ord(c) >= 32 for c in scenario.text)
    assert scenario.price_delta is None or isinstance(scenario.price_delta, float)
    json.dumps(scenario.to_dict())
    # The scenario stays inside its delimiters, whatever it contains.
    shares = {"ignored": 0.7, "complained": 0.3}
    ask = Ask(PERSONA, scenario, scenario.text, shares, ("ignored", "complained"))
    user = voice_messages(ask, ("lets_it_pass", "complains"))[-1].content
    assert user.count("<scenario>") == 1 and user.count("</scenario>") == 1
    assert user.index("<scenario>") < user.index("</scenario>")


@cases("template")
@given(
    st.sampled_from([*TEMPLATES, "nope", ""]),
    st.dictionaries(
        st.one_of(st.sampled_from(["amount", "plans", "channel", "worth", "price"]), st.text()),
        st.one_of(st.text(max_size=50), st.sampled_from(["5", "-5", "1e9", "{}", "{amount}"])),
        max_size=4,
    ),
)
def test_template_parameters_fill_or_say_why(name: str, values: dict[str, str]) -> None:
    TRIED["template"] += 1
    try:
        scenario = from_template(name, values)
    except ConfigError as exc:
        assert exc.fix
        return
    assert scenario.template == name and scenario.text


SETTING_KEYS = [key for _, key in ENV_VARS] + ["bogus", "llm", "snowflake.warehouses"]
SCALARS = st.one_of(st.text(max_size=30), st.integers(), st.booleans(), st.floats(allow_nan=False))


def toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return json.dumps(value)  # a TOML basic string is JSON-compatible


@cases("profile")
@given(
    st.one_of(
        st.text(max_size=300),
        st.dictionaries(
            st.sampled_from(["default", "dev", "prod"]),
            st.dictionaries(st.sampled_from(SETTING_KEYS), SCALARS, max_size=5),
            max_size=3,
        ).map(
            lambda profiles: "\n".join(
                f"[profiles.{name}]\n"
                + "\n".join(f'"{k}" = {toml_value(v)}' for k, v in table.items())
                for name, table in profiles.items()
            )
        ),
    ),
    st.sampled_from([None, "default", "dev", "missing"]),
)
def test_cdt_toml_profiles_resolve_or_say_why(
    tmp_path: Path, document: str, profile: str | None
) -> None:
    TRIED["profile"] += 1
    path = tmp_path / "cdt.toml"
    path.write_text(document, encoding="utf-8")
    try:
        resolved = load_settings({"config": str(path), "profile": profile}, env={}, cwd=tmp_path)
    except ConfigError as exc:
        assert exc.fix or "cdt.toml" in exc.message or str(path) in exc.message
        return
    assert resolved.backend in ("duckdb", "snowflake")
    assert resolved.home.is_absolute()


CUSTOMER_COLUMNS = [c.name for c in schema.ddl_columns("RAW.CUSTOMERS")]
CELLS = st.one_of(
    st.sampled_from(["", "1", "-1", "2.5", "abc", "2024-01-31", "true", "NaN", "1e309", '"', ","]),
    st.text(max_size=12),
)


@cases("csv")
@given(
    st.lists(st.sampled_from([*CUSTOMER_COLUMNS, "extra"]), min_size=1, max_size=8).map(
        lambda picked: list(dict.fromkeys(picked))
    )
    | st.just(CUSTOMER_COLUMNS),
    st.lists(st.lists(CELLS, min_size=0, max_size=len(CUSTOMER_COLUMNS) + 2), max_size=4),
    st.booleans(),
)
def test_csv_files_validate_or_name_the_bad_value(
    tmp_path: Path, header: list[str], rows: list[list[str]], raw_bytes: bool
) -> None:
    TRIED["csv"] += 1
    path = tmp_path / "customers.csv"
    buffer = io.StringIO()
    buffer.write(",".join(header) + "\n")
    for row in rows:
        buffer.write(",".join(row) + "\n")
    data = buffer.getvalue().encode()
    path.write_bytes(data if not raw_bytes else data[: len(data) // 2] + b"\xff\xfe\x00")
    source = Source("customers", "RAW.CUSTOMERS", (path,), "csv")
    scratch = tmp_path / "scratch"
    scratch.mkdir(exist_ok=True)
    try:
        typed = validate_and_type(source, scratch).path
    except DataError as exc:
        assert exc.fix and "customers" in exc.message
        return
    # Blank lines are not rows, and a quoted cell may join lines: never more rows than lines.
    assert typed.exists() and pq.read_metadata(typed).num_rows <= len(rows)


@cases("parquet")
@given(
    st.dictionaries(
        st.sampled_from([*CUSTOMER_COLUMNS, "extra"]),
        st.sampled_from(["int", "float", "str", "bool", "null"]),
        min_size=1,
        max_size=10,
    ),
    st.integers(min_value=0, max_value=3),
    st.booleans(),
)
def test_parquet_files_validate_or_name_the_bad_value(
    tmp_path: Path, columns: dict[str, str], rows: int, truncate: bool
) -> None:
    TRIED["parquet"] += 1
    values = {"int": 7, "float": 2.5, "str": "x" * 40, "bool": True, "null": None}
    table = pa.table({name: [values[kind]] * rows for name, kind in columns.items()})
    path = tmp_path / "customers.parquet"
    pq.write_table(table, path)
    if truncate:
        path.write_bytes(path.read_bytes()[:-20])
    source = Source("customers", "RAW.CUSTOMERS", (path,), "parquet")
    scratch = tmp_path / "scratch"
    scratch.mkdir(exist_ok=True)
    try:
        validate_and_type(source, scratch)
    except CdtError as exc:
        assert isinstance(exc, DataError) and exc.fix
