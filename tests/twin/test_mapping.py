"""`cdt load --from DIR --map mapping.toml`: someone else's column names and values read into
the spec's tables; a mapping that cannot be right is refused naming its line, and nothing is
loaded."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from cdt import api
from cdt.config import load_settings
from cdt.errors import DataError

#: the spec's column -> the name a carrier's own export gives it
RENAMED = {"customer_id": "CustID", "tenure_months": "Tenure (months)", "contract_type": "Contract",
           "plan_name": "Plan", "monthly_arpu": "MonthlyCharges", "age": "Age"}  # fmt: skip
CONTRACTS = {"Month-to-Month": "month-to-month", "12-Month": "one year",
             "24-Month Installment": "two year", "Prepaid": "prepaid"}  # fmt: skip


@pytest.fixture
def export(small_dataset: Path, tmp_path: Path) -> Path:
    """A customers file as a carrier's own system writes it: other names and values."""
    folder = tmp_path / "export"
    folder.mkdir()
    cases = " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in CONTRACTS.items())
    picked = ", ".join(
        f"CASE contract_type {cases} END AS \"{RENAMED[c]}\"" if c == "contract_type"
        else f'{c} AS "{RENAMED[c]}"' for c in RENAMED
    )  # fmt: skip
    duckdb.execute(
        f"COPY (SELECT {picked} FROM read_parquet('{small_dataset / 'customers'}/*.parquet')) "
        f"TO '{folder / 'crm.csv'}' (HEADER, DELIMITER ',')"
    )
    return folder


MAPPING = """# the CRM export
[customers]
file = "crm.csv"

[customers.columns]
CustID = "customer_id"
"Tenure (months)" = "tenure_months"
Contract = "contract_type"
Plan = "plan_name"
MonthlyCharges = "monthly_arpu"
Age = "age"

[customers.values.contract_type]
"month-to-month" = "Month-to-Month"
"one year" = "12-Month"
"two year" = "24-Month Installment"
"prepaid" = "Prepaid"
"""


def test_a_carriers_own_column_names_and_values_load_through_a_mapping(
    export: Path, small_dataset: Path, tmp_path: Path
) -> None:
    mapping = tmp_path / "mapping.toml"
    mapping.write_text(MAPPING)
    settings = load_settings()
    result = api.load(settings, source=export, mapping=mapping)
    assert result.rows["RAW.CUSTOMERS"] == 1_000
    assert "campaign_responses" in result.missing
    with api.connect(settings) as backend:
        loaded = backend.query(
            "SELECT contract_type, count(*) AS n FROM RAW.CUSTOMERS GROUP BY 1 ORDER BY 1"
        ).to_pylist()
        kept = backend.scalar("SELECT count(*) FROM RAW.CUSTOMERS WHERE zip_code IS NULL")
    truth = duckdb.sql(
        f"SELECT contract_type, count(*) AS n FROM read_parquet('{small_dataset / 'customers'}"
        "/*.parquet') GROUP BY 1 ORDER BY 1"
    ).fetchall()
    assert [(r["contract_type"], r["n"]) for r in loaded] == truth  # values translated back
    assert kept == 1_000  # a column the mapping leaves out is empty


@pytest.mark.parametrize(
    ("change", "said"),
    [
        (
            ('Age = "age"', 'Age = "ages"'),
            r"mapping.toml line 11: the customers table has no "
            r"column 'ages'.*did you mean 'age'",
        ),
        (
            ('Plan = "plan_name"', 'Planz = "plan_name"'),
            r"line 9: crm.csv has no column "
            r"'Planz'.*did you mean 'Plan'",
        ),
        (
            ('Age = "age"', 'Age = "plan_name"'),
            r"line 11: 'Age' and 'Plan' both map onto "
            r"plan_name",
        ),
        (
            ('CustID = "customer_id"\n', ""),
            r"line 2: \[customers\] maps nothing onto "
            r"customer_id, which RAW.CUSTOMERS requires",
        ),
        (
            ("[customers.values.contract_type]", "[customers.values.contract]"),
            r"line 13: "
            r"values for 'contract', which no column of crm.csv fills",
        ),
        (
            ('file = "crm.csv"', 'file = "crm.csv"\n\n[custmers]\nfile = "crm.csv"'),
            r"line 5: 'custmers' is not a table.*did you mean 'customers'",
        ),
    ],
    ids=[
        "unknown target",
        "unknown source",
        "two onto one",
        "required left out",
        "values for an unmapped column",
        "unknown table",
    ],
)
def test_a_mapping_that_cannot_be_right_names_its_line_and_loads_nothing(
    export: Path, small_dataset: Path, tmp_path: Path, change: tuple[str, str], said: str
) -> None:
    settings = load_settings()
    api.load(settings, source=small_dataset)
    with api.connect(settings) as backend:
        before = backend.scalar("SELECT count(*) FROM RAW.CAMPAIGN_RESPONSES")
    mapping = tmp_path / "mapping.toml"
    assert change[0] in MAPPING
    mapping.write_text(MAPPING.replace(change[0], change[1], 1))
    with pytest.raises(DataError, match=said):
        api.load(settings, source=export, mapping=mapping)
    with api.connect(settings) as backend:  # the previous twin is untouched
        assert backend.scalar("SELECT count(*) FROM RAW.CAMPAIGN_RESPONSES") == before


def test_the_command_line_maps_and_says_which_line_is_wrong(export: Path, tmp_path: Path) -> None:
    import json
    import os
    import subprocess
    import sys

    cdt = str(Path(sys.executable).parent / "cdt")
    mapping = tmp_path / "mapping.toml"
    mapping.write_text(MAPPING)
    env = dict(os.environ)
    good = subprocess.run([cdt, "load", "--from", str(export), "--map", str(mapping), "--json"],
                          capture_output=True, text=True, env=env, timeout=120)  # fmt: skip
    assert good.returncode == 0, good.stderr
    said = json.loads(good.stdout)
    assert said["rows"]["RAW.CUSTOMERS"] == 1_000 and "campaign_responses" in said["missing"]
    mapping.write_text(MAPPING.replace('Age = "age"', 'Age = "ages"'))
    bad = subprocess.run([cdt, "load", "--from", str(export), "--map", str(mapping)],
                         capture_output=True, text=True, env=env, timeout=120)  # fmt: skip
    assert bad.returncode == 1 and "Traceback" not in bad.stderr
    assert "mapping.toml line 11: the customers table has no column 'ages'" in bad.stderr
    assert "did you mean 'age'? Nothing was loaded" in bad.stderr


def test_a_mapped_folder_builds_the_whole_twin(export: Path, tmp_path: Path) -> None:
    from cdt.calibrate import NO_HISTORY

    mapping = tmp_path / "mapping.toml"
    mapping.write_text(MAPPING)
    settings = load_settings()
    built = api.build(settings, source=export, mapping=mapping, k=4, with_personas=False)
    assert built.loaded is not None and built.loaded.rows["RAW.CUSTOMERS"] == 1_000
    assert built.segmented is not None  # segments from the mapped customers alone
    assert getattr(built.calibrated, "reason", None) == NO_HISTORY
    assert len(api.segments(settings)) == 4
