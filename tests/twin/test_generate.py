"""The generator: invariants as properties, determinism, and a truth kept out of RAW."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cdt.contract import TABLES
from cdt.errors import DataError
from cdt.generate import archetypes, generate
from cdt.generate.customers import months_between


def digest(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """20,000 customers: enough for share tolerances, small enough for CI."""
    out = tmp_path_factory.mktemp("gen") / "data"
    generate(out, scale=0.02, seed=7)
    return out


@pytest.fixture(scope="module")
def db(dataset: Path) -> duckdb.DuckDBPyConnection:
    conn = duckdb.connect()
    for name in TABLES:
        conn.execute(
            f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{dataset / name}/*.parquet')"
        )
    conn.execute(
        "CREATE VIEW truth AS SELECT * FROM read_parquet("
        f"'{dataset / 'truth' / 'customer_archetypes'}/*.parquet')"
    )
    return conn


def scalar(db: duckdb.DuckDBPyConnection, sql: str) -> object:
    row = db.execute(sql).fetchone()
    assert row is not None
    return row[0]


def test_volumes_scale_with_customers(dataset: Path, db: duckdb.DuckDBPyConnection) -> None:
    assert scalar(db, "SELECT count(*) FROM customers") == 20_000
    usage = scalar(db, "SELECT count(*) FROM monthly_usage")
    contacts = scalar(db, "SELECT count(*) FROM support_interactions")
    responses = scalar(db, "SELECT count(*) FROM campaign_responses")
    assert 10.5 * 20_000 < usage <= 12 * 20_000  # recent joiners have fewer months
    assert 1.7 * 20_000 < contacts < 2.4 * 20_000
    assert 4.6 * 20_000 < responses < 5.4 * 20_000
    assert scalar(db, "SELECT count(*) FROM zip_demographics") == 42_000
    assert scalar(db, "SELECT count(*) FROM competitive_landscape") == 210


def test_funnel_is_monotone(db: duckdb.DuckDBPyConnection) -> None:
    assert (
        scalar(
            db,
            """
        SELECT count(*) FROM campaign_responses
        WHERE (clicked AND NOT opened) OR (opened AND NOT delivered)
           OR (responded AND NOT opened) OR (converted AND NOT responded)
           OR (responded <> (response_type <> 'ignored' AND offer_type <> 'Control Group'))
           OR ((response_at IS NOT NULL) <> responded)
           OR ((conversion_value IS NOT NULL) <> converted)
           OR response_at < sent_at""",
        )
        == 0
    )


def test_bills_add_up_to_the_cent(db: duckdb.DuckDBPyConnection) -> None:
    assert (
        scalar(
            db,
            """
        SELECT count(*) FROM monthly_usage
        WHERE round(base_charge + overage_charges + roaming_charges + add_on_charges
                    - discounts_applied - total_bill, 2) <> 0""",
        )
        == 0
    )


def test_customer_summaries_agree_with_their_rows(db: duckdb.DuckDBPyConnection) -> None:
    assert (
        scalar(
            db,
            """
        SELECT count(*) FROM customers c
        JOIN (SELECT customer_id, avg(total_bill) AS mean_bill, sum(total_bill) AS bills
              FROM monthly_usage GROUP BY 1) u USING (customer_id)
        WHERE abs(c.monthly_arpu - round(u.mean_bill, 2)) > 0.011
           OR abs(c.total_revenue_12m - u.bills) > 0.011""",
        )
        == 0
    )
    assert (
        scalar(
            db,
            """
        SELECT count(*) FROM customers c
        LEFT JOIN (SELECT customer_id, count(*) AS n FROM support_interactions
                   WHERE category = 'Complaint' GROUP BY 1) i USING (customer_id)
        WHERE c.complaint_count_12m <> coalesce(i.n, 0)""",
        )
        == 0
    )


def test_customer_since_agrees_with_tenure(db: duckdb.DuckDBPyConnection) -> None:
    assert (
        scalar(
            db,
            """
        SELECT count(*) FROM customers
        WHERE tenure_months <> date_diff('month', customer_since, DATE '2024-12-01')
                                - CASE WHEN day(customer_since) > 1 THEN 1 ELSE 0 END""",
        )
        == 0
    )


def test_referential_integrity(db: duckdb.DuckDBPyConnection) -> None:
    for child in ("monthly_usage", "support_interactions", "campaign_responses"):
        assert (
            scalar(
                db,
                f"SELECT count(*) FROM {child} WHERE customer_id NOT IN "
                "(SELECT customer_id FROM customers)",
            )
            == 0
        )
    assert (
        scalar(
            db,
            "SELECT count(*) FROM customers WHERE zip_code NOT IN "
            "(SELECT zip_code FROM zip_demographics)",
        )
        == 0
    )
    assert (
        scalar(
            db,
            "SELECT count(*) FROM customers WHERE dma_code NOT IN "
            "(SELECT dma_code FROM competitive_landscape)",
        )
        == 0
    )
    assert (
        scalar(
            db,
            """SELECT count(*) FROM customers c JOIN zip_demographics z USING (zip_code)
                         WHERE c.state_code <> z.state_code OR c.dma_code <> z.dma_code""",
        )
        == 0
    )


def test_usage_fits_the_plan(db: duckdb.DuckDBPyConnection) -> None:
    assert (
        scalar(
            db,
            """SELECT count(*) FROM monthly_usage u JOIN customers c USING (customer_id)
                         WHERE c.plan_name = 'Glacier' AND u.overage_charges > 0""",
        )
        == 0
    )
    assert (
        scalar(
            db,
            """SELECT count(*) FROM monthly_usage u JOIN customers c USING (customer_id)
                         WHERE c.plan_name IN ('Blizzard', 'Summit', 'Avalanche')
                           AND u.overage_charges > 0""",
        )
        == 0
    )


def test_archetype_shares_within_tolerance(db: duckdb.DuckDBPyConnection) -> None:
    shares = dict(db.execute("SELECT archetype, count(*) / 20000 FROM truth GROUP BY 1").fetchall())
    for archetype in archetypes.ARCHETYPES:
        assert abs(shares[archetype.name] - archetype.share) < 0.012, archetype.name


def test_urban_mix_is_close_to_the_us_mix(db: duckdb.DuckDBPyConnection) -> None:
    mix = dict(
        db.execute("""SELECT urban_rural_class, count(*) / 20000 FROM customers
                             JOIN zip_demographics USING (zip_code) GROUP BY 1""").fetchall()
    )
    for cls, target in {"Urban": 0.30, "Suburban": 0.50, "Rural": 0.18, "Remote": 0.02}.items():
        assert abs(mix[cls] - target) < 0.04, cls


def test_price_sensitive_archetypes_churn_more_after_increases(
    db: duckdb.DuckDBPyConnection,
) -> None:
    churn = dict(
        db.execute("""
        SELECT t.archetype, avg((r.response_type = 'churned')::INT)
        FROM campaign_responses r JOIN truth t USING (customer_id)
        WHERE r.campaign_type = 'Price Change Notice' AND r.offer_value >= 5
        GROUP BY 1""").fetchall()
    )
    assert churn["At-Risk Defectors"] > churn["Steady Loyalists"]
    assert churn["Value Seekers"] > churn["Premium Techies"]


def test_price_notices_keep_an_untreated_control_group(db: duckdb.DuckDBPyConnection) -> None:
    """About 5% of a price notice's customers get no message: their rows say only whether
    they left in the window, and no offer has a control group."""
    rows = db.execute("""
        SELECT campaign_type, count(*) FILTER (offer_type = 'Control Group'), count(*),
               count(*) FILTER (offer_type = 'Control Group' AND (delivered OR opened OR clicked
                   OR responded OR converted OR response_at IS NOT NULL
                   OR response_type NOT IN ('churned', 'ignored'))),
               count(*) FILTER (offer_type = 'Control Group' AND response_type = 'churned')
        FROM campaign_responses GROUP BY 1""").fetchall()
    by_type = {kind: (control, total, broken, left) for kind, control, total, broken, left in rows}
    control, total, broken, left = by_type.pop("Price Change Notice")
    assert 0.04 < control / total < 0.06
    assert broken == 0
    assert 0 < left < control * 0.05  # some leave in the month, as customers do
    assert all(control == 0 for control, *_ in by_type.values())


def test_the_truth_never_reaches_raw(dataset: Path, db: duckdb.DuckDBPyConnection) -> None:
    for name in TABLES:
        columns = [row[0] for row in db.execute(f"DESCRIBE {name}").fetchall()]
        assert "archetype" not in columns
    names = set(archetypes.ARCHETYPE_NAMES)
    values = {
        row[0]
        for row in db.execute("SELECT DISTINCT predicted_churn_reason FROM customers").fetchall()
    }
    assert not values & names
    assert (dataset / "truth" / "parameters.json").is_file()


@settings(max_examples=200)
@given(start=st.dates(min_value=date(1990, 1, 1), max_value=date(2024, 11, 30)))
def test_months_between_matches_calendar_months(start: date) -> None:
    months = months_between(np.array([np.datetime64(start, "D")]), np.datetime64("2024-12-01"))[0]
    year, month, day = start.year, start.month, start.day
    expected = (2024 - year) * 12 + (12 - month) - (1 if day > 1 else 0)
    assert months == expected


@settings(max_examples=3, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**31))
def test_the_same_seed_gives_identical_bytes(
    tmp_path_factory: pytest.TempPathFactory, seed: int
) -> None:
    base = tmp_path_factory.mktemp("det")
    first = generate(base / "a", scale=0.001, seed=seed)
    second = generate(base / "b", scale=0.001, seed=seed)
    assert first.rows == second.rows
    assert digest(base / "a") == digest(base / "b")


def test_chunks_drawn_side_by_side_give_the_bytes_of_one_at_a_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Chunks are drawn on several threads and their ids numbered on afterwards: the files,
    ids included, are those of drawing one chunk after another."""
    import cdt.generate.world as G

    monkeypatch.setattr(G, "CHUNK_CUSTOMERS", 700)  # five chunks of a 3,000-customer twin
    monkeypatch.setattr(G, "DRAW_THREADS", 1)
    one = generate(tmp_path / "one", scale=0.003, seed=8)
    monkeypatch.setattr(G, "DRAW_THREADS", 3)
    three = generate(tmp_path / "three", scale=0.003, seed=8)
    assert one.rows == three.rows
    assert digest(tmp_path / "one") == digest(tmp_path / "three")
    assert len([k for k in digest(tmp_path / "one") if k.startswith("monthly_usage/")]) == 5
    ((distinct, rows, last),) = duckdb.sql(
        f"SELECT count(DISTINCT usage_id), count(*), max(usage_id) "
        f"FROM '{tmp_path / 'three'}/monthly_usage/*.parquet'"
    ).fetchall()
    assert distinct == rows and last == f"USG-{rows:012d}"  # numbered 1..rows across chunks


def test_another_seed_gives_other_data(tmp_path: Path) -> None:
    generate(tmp_path / "a", scale=0.001, seed=1)
    generate(tmp_path / "b", scale=0.001, seed=2)
    a, b = digest(tmp_path / "a"), digest(tmp_path / "b")
    assert a["customers/part-00000.parquet"] != b["customers/part-00000.parquet"]


def test_bad_scale_and_seed_change_nothing(tmp_path: Path) -> None:
    for scale in (0, -1, 11, float("nan")):
        with pytest.raises(DataError, match="scale"):
            generate(tmp_path / "out", scale=scale)
    with pytest.raises(DataError, match="seed"):
        generate(tmp_path / "out", scale=0.001, seed=-1)
    assert not (tmp_path / "out").exists()


def test_refuses_to_overwrite_a_folder_that_is_not_a_dataset(tmp_path: Path) -> None:
    target = tmp_path / "mine"
    target.mkdir()
    (target / "notes.txt").write_text("keep me")
    with pytest.raises(DataError, match="not a cdt dataset"):
        generate(target, scale=0.001)
    assert (target / "notes.txt").read_text() == "keep me"


def test_regenerating_replaces_the_previous_dataset(tmp_path: Path) -> None:
    base = tmp_path / "base"
    base.mkdir()
    generate(base / "data", scale=0.001, seed=1)
    generate(base / "data", scale=0.002, seed=1)
    assert sorted(p.name for p in base.iterdir()) == ["data"]
    parts = list((base / "data" / "customers").iterdir())
    assert len(parts) == 1
    assert duckdb.sql(f"SELECT count(*) FROM '{parts[0]}'").fetchall() == [(2000,)]


INVARIANTS = {
    "funnel": """SELECT count(*) FROM campaign_responses
        WHERE (clicked AND NOT opened) OR (responded AND NOT opened)
           OR (converted AND NOT responded)
           OR (opened AND NOT delivered)""",
    "bills": """SELECT count(*) FROM monthly_usage WHERE round(base_charge + overage_charges
        + roaming_charges + add_on_charges - discounts_applied - total_bill, 2) <> 0""",
    "tenure": """SELECT count(*) FROM customers
        WHERE tenure_months <> date_diff('month', customer_since, DATE '2024-12-01')
                                - CASE WHEN day(customer_since) > 1 THEN 1 ELSE 0 END""",
    "orphans": """SELECT count(*) FROM monthly_usage WHERE customer_id NOT IN
        (SELECT customer_id FROM customers)""",
    "zips": """SELECT count(*) FROM customers WHERE zip_code NOT IN
        (SELECT zip_code FROM zip_demographics)""",
    "unique ids": "SELECT count(*) - count(DISTINCT customer_id) FROM customers",
}


@settings(max_examples=4, deadline=None)
@given(
    seed=st.integers(min_value=0, max_value=2**40),
    customers=st.integers(min_value=1, max_value=1500),
)
def test_invariants_hold_for_any_seed_and_size(
    tmp_path_factory: pytest.TempPathFactory, seed: int, customers: int
) -> None:
    out = tmp_path_factory.mktemp("prop") / "data"
    result = generate(out, scale=customers / 1_000_000, seed=seed)
    assert result.rows["customers"] == customers
    conn = duckdb.connect()
    for name in ("customers", "monthly_usage", "campaign_responses", "zip_demographics"):
        conn.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{out / name}/*.parquet')")
    for invariant, sql in INVARIANTS.items():
        assert scalar(conn, sql) == 0, invariant


def test_each_generated_verbatim_reads_as_one_persons_message() -> None:
    """Opener, issue and closer agree: a technical opener only on a technical issue, no
    closer that sounds pleased on a complaint or a cancellation, a capital after a full stop,
    and every verbatim passes the words' form gate as a customer's quote."""
    import numpy as np

    from cdt.generate import interactions as I
    from cdt.generate import text as T
    from cdt.voices.form import Context, check

    rng = np.random.default_rng(11)
    rows = 4000
    tone = rng.integers(0, len(T.TONES), rows)
    sub = rng.integers(0, len(T.SUBCATEGORIES), rows)
    category_of = np.array([T.CATEGORY_NAMES.index(c) for c, s in T.CATEGORIES.items() for _ in s])
    category = category_of[sub]
    sentiment = np.clip(rng.normal(0, 0.6, rows), -1, 1)
    texts = I._verbatims(rng, tone, sub, category, sentiment).to_list()
    technical_only = {o for t in T.TONES for o in T.OPENERS[t][1]}
    positive = {c for t in T.TONES for c in T.CLOSERS[t][2]}
    ending = {o for t in T.TONES for group in T.OPENERS[t] for o in group if o.endswith(".")}
    for text, c in zip(texts, category, strict=True):
        name = T.CATEGORY_NAMES[c]
        if any(text.startswith(o + " ") for o in technical_only):
            assert name in T.TECHNICAL, text
        if name in T.NO_POSITIVE_CLOSER:
            assert not any(text.endswith(p) for p in positive), text
        for opener in ending:  # an opener that ends a sentence is followed by a capital
            if text.startswith(opener + " "):
                assert text[len(opener) + 1].isupper(), text
        assert check(text, Context(), quote=True).ok, text
