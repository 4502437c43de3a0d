"""`cdt load`: bulk load on both backends, validation of user files, all or nothing."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import duckdb
import pytest

from cdt import api
from cdt.config import Settings
from cdt.contract import TABLES
from cdt.errors import DataError


def manifest_rows(folder: Path) -> dict[str, int]:
    rows = json.loads((folder / "manifest.json").read_text())["rows"]
    return {TABLES[name]: count for name, count in rows.items()}


def as_user_csv(dataset: Path, target: Path) -> Path:
    """The generated dataset rewritten as one CSV per table, without a manifest."""
    target.mkdir()
    for name in TABLES:
        duckdb.execute(
            f"COPY (SELECT * FROM read_parquet('{dataset / name}/*.parquet')) "
            f"TO '{target / name}.csv' (HEADER, DELIMITER ',')"
        )
    return target


def counts(settings: Settings) -> dict[str, int]:
    from cdt.load import table_counts

    with api.connect(settings) as backend:
        return table_counts(backend)


def test_load_generated_data(backend_settings: Settings, small_dataset: Path) -> None:
    result = api.load(backend_settings, source=small_dataset)
    assert result.trusted
    assert result.rows == manifest_rows(small_dataset)
    assert counts(backend_settings) == manifest_rows(small_dataset)
    assert set(result.integrity.values()) == {0}
    assert "customers_with_unknown_zip" in result.integrity


def test_reload_replaces_rather_than_appends(
    backend_settings: Settings, small_dataset: Path
) -> None:
    api.load(backend_settings, source=small_dataset)
    api.load(backend_settings, source=small_dataset)
    assert counts(backend_settings) == manifest_rows(small_dataset)


def test_user_csv_files_are_validated_and_loaded(
    backend_settings: Settings, small_dataset: Path, tmp_path: Path
) -> None:
    folder = as_user_csv(small_dataset, tmp_path / "mine")
    result = api.load(backend_settings, source=folder)
    assert not result.trusted
    assert result.rows == manifest_rows(small_dataset)
    with api.connect(backend_settings) as backend:
        spend = backend.scalar("SELECT CAST(sum(total_bill) AS DOUBLE) FROM RAW.MONTHLY_USAGE")
    expected = duckdb.sql(
        f"SELECT sum(total_bill) FROM '{small_dataset}/monthly_usage/*.parquet'"
    ).fetchall()[0][0]
    assert spend == pytest.approx(expected, abs=0.01)


def _corrupt_csv(folder: Path, table: str, row: int, column: str, value: str) -> None:
    path = folder / f"{table}.csv"
    lines = path.read_text().splitlines()
    header = lines[0].split(",")
    cells = lines[row].split(",")
    cells[header.index(column)] = value
    lines[row] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n")


def test_a_bad_value_names_file_row_and_column_and_loads_nothing(
    backend_settings: Settings, small_dataset: Path, tmp_path: Path
) -> None:
    api.load(backend_settings, source=small_dataset)
    before = counts(backend_settings)
    folder = as_user_csv(small_dataset, tmp_path / "mine")
    _corrupt_csv(folder, "customers", 7, "age", "forty")
    with pytest.raises(DataError) as info:
        api.load(backend_settings, source=folder)
    message = str(info.value)
    assert "customers.csv" in message
    assert "row 7 (line 8)" in message
    assert "column age" in message and "'forty'" in message
    assert counts(backend_settings) == before


def test_too_long_text_and_out_of_range_decimals_are_rejected(
    small_dataset: Path, tmp_path: Path
) -> None:
    from cdt.load import find_sources, validate_and_type

    folder = as_user_csv(small_dataset, tmp_path / "mine")
    _corrupt_csv(folder, "customers", 3, "zip_code", "123456")
    _corrupt_csv(folder, "monthly_usage", 5, "data_usage_4g_pct", "1000.5")
    sources = {s.name: s for s in find_sources(folder)}
    with pytest.raises(
        DataError, match=r"row 3 .*column zip_code: '123456' is not a valid VARCHAR\(5\)"
    ):
        validate_and_type(sources["customers"], tmp_path)
    with pytest.raises(DataError, match=r"row 5 .*data_usage_4g_pct.*DECIMAL\(5,2\)"):
        validate_and_type(sources["monthly_usage"], tmp_path)


def test_wrong_columns_are_listed(small_dataset: Path, tmp_path: Path) -> None:
    folder = as_user_csv(small_dataset, tmp_path / "mine")
    path = folder / "economic_indicators.csv"
    text = path.read_text().replace("poverty_rate", "povrty_rate", 1)
    path.write_text(text)
    with pytest.raises(
        DataError, match=r"missing column.*poverty_rate.*unknown column.*povrty_rate"
    ):
        api.load(Settings(), source=folder)


def test_broken_integrity_keeps_the_previous_tables(
    backend_settings: Settings, small_dataset: Path, tmp_path: Path
) -> None:
    api.load(backend_settings, source=small_dataset)
    before = counts(backend_settings)
    folder = as_user_csv(small_dataset, tmp_path / "mine")
    _corrupt_csv(folder, "monthly_usage", 2, "customer_id", "CUST-999999999")
    with pytest.raises(DataError, match="1 usage rows without customer"):
        api.load(backend_settings, source=folder)
    assert counts(backend_settings) == before


def test_missing_and_ambiguous_sources(small_dataset: Path, tmp_path: Path) -> None:
    folder = as_user_csv(small_dataset, tmp_path / "mine")
    (folder / "customers.csv").rename(tmp_path / "customers.csv")
    with pytest.raises(DataError, match=r"no data for RAW.CUSTOMERS"):  # the one required table
        api.load(Settings(), source=folder)
    (tmp_path / "customers.csv").rename(folder / "customers.csv")
    shutil.copy(folder / "customers.csv", folder / "customers.parquet")
    with pytest.raises(DataError, match="several sources"):
        api.load(Settings(), source=folder)


def test_load_never_reads_the_truth(
    small_dataset: Path, tmp_path: Path, backend_settings: Settings
) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(small_dataset, copy)
    shutil.rmtree(copy / "truth")
    assert api.load(backend_settings, source=copy).rows == manifest_rows(small_dataset)
    with api.connect(backend_settings) as backend:
        hits = backend.scalar(
            "SELECT count(*) FROM information_schema.columns WHERE lower(column_name) = 'archetype'"
        )
    assert hits == 0


def test_a_value_out_of_its_declared_range_is_refused_or_with_lenient_reported(
    backend_settings: Settings, small_dataset: Path, tmp_path: Path
) -> None:
    api.load(backend_settings, source=small_dataset)
    before = counts(backend_settings)
    folder = as_user_csv(small_dataset, tmp_path / "mine")
    _corrupt_csv(folder, "customers", 4, "age", "250")
    _corrupt_csv(folder, "customers", 9, "plan_price", "-50")
    _corrupt_csv(folder, "customers", 12, "customer_since", "1900-01-01")
    with pytest.raises(DataError) as info:
        api.load(backend_settings, source=folder)
    message = str(info.value)  # the first row out of range, with its range
    assert "customers.csv (RAW.CUSTOMERS): row 4 (line 5), column age: '250'" in message
    assert "outside its range, 0..120" in message and "--lenient" in str(info.value.fix)
    assert counts(backend_settings) == before  # nothing changed
    loaded = api.load(backend_settings, source=folder, lenient=True)
    said = " ".join(loaded.violations)
    assert len(loaded.violations) == 3
    assert "plan_price: '-50" in said and "at least 0" in said and "customer_since" in said
    assert loaded.to_dict()["violations"] == loaded.violations


def test_the_generated_data_keeps_to_every_declared_range(small_dataset: Path) -> None:
    import tempfile

    from cdt.load import find_sources, validate_and_type

    for source in find_sources(small_dataset):
        with tempfile.TemporaryDirectory() as scratch:
            assert validate_and_type(source, Path(scratch), lenient=True).violations == []


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines(keepends=True)


@pytest.mark.parametrize(
    ("breakage", "said"),
    [
        # an extra field on data row 7 (line 8 of the file)
        (
            lambda lines: lines.__setitem__(8, lines[8].rstrip("\n") + ",surplus\n"),
            r"^customers\.csv line 9: \d+ fields where the header has \d+ \(the line starts '",
        ),
        # a quote that never closes
        (
            lambda lines: lines.__setitem__(12, '"' + lines[12]),
            r"^customers\.csv line 13: a quoted value opens there and never closes",
        ),
        # a 10 MB value
        (
            lambda lines: lines.__setitem__(5, lines[5].replace(",", "," + "x" * 10_000_000, 1)),
            r"^customers\.csv: row 5 \(line 6\), column account_id: 'x{79}…' is not a valid "
            r"VARCHAR\(20\)$",
        ),
    ],
    ids=["extra field", "open quote", "10 MB value"],
)
def test_a_malformed_csv_line_is_named_by_its_own_line_number(
    small_dataset: Path, tmp_path: Path, breakage: Any, said: str
) -> None:
    from cdt.load import find_sources, validate_and_type

    folder = as_user_csv(small_dataset, tmp_path / "mine")
    path = folder / "customers.csv"
    lines = _lines(path)
    breakage(lines)
    path.write_text("".join(lines), encoding="utf-8")
    source = next(s for s in find_sources(folder) if s.name == "customers")
    with pytest.raises(DataError) as caught:
        validate_and_type(source, tmp_path)
    message = caught.value.message
    assert re.search(said, message), message
    assert len(message) < 300 and "\n" not in message  # one line, the value cut


def test_a_duplicated_header_and_an_empty_file_are_called_what_they_are(
    small_dataset: Path, tmp_path: Path
) -> None:
    from cdt.load import find_sources, validate_and_type

    folder = as_user_csv(small_dataset, tmp_path / "mine")
    path = folder / "economic_indicators.csv"
    lines = _lines(path)
    lines[0] = lines[0].replace("poverty_rate", "uninsured_rate", 1)
    path.write_text("".join(lines), encoding="utf-8")
    sources = {s.name: s for s in find_sources(folder)}
    with pytest.raises(DataError, match=r"duplicated column\(s\) uninsured_rate —"):
        validate_and_type(sources["economic_indicators"], tmp_path)
    (folder / "competitive_landscape.csv").write_text("", encoding="utf-8")
    sources = {s.name: s for s in find_sources(folder)}
    with pytest.raises(DataError, match=r"^competitive_landscape\.csv is empty —"):
        validate_and_type(sources["competitive_landscape"], tmp_path)
