"""Whether the twin's derived stages still match what they were built from: checked, not
assumed, before any command answers from them.

Each stage recorded, when it finished, what it was built from (APP.BUILD_STATE). A stage is
stale when:

- features: the loaded data is not the data they were built from (a full or incremental load
  since), or an incremental load left customers pending;
- segment: its features are stale, or were rebuilt after it;
- calibrate: its segments are stale, or are another segmentation run than it was fitted on,
  or campaign responses arrived after it;
- personas: their segments are stale or another run, or the LLM configured to write them is
  not the one that did.

Twins recorded before a record carried its inputs fall back to the stages' finishing order.
"""

from __future__ import annotations

from dataclasses import dataclass

from cdt.backends.base import Backend
from cdt.sqlfiles import read_sql
from cdt.state import data_fingerprint, last_details, last_fingerprint

STAGES = ("features", "segment", "calibrate", "personas")
NUMBERS = ("features", "segment", "calibrate")  # what a simulation's numbers read


@dataclass(frozen=True)
class Stale:
    """A stage that no longer matches its inputs, and why."""

    stage: str
    why: str

    def line(self) -> str:
        return f"{self.stage}: {self.why}"


def check(backend: Backend, persona_writer: str | None = None) -> list[Stale]:
    """Every stale stage, upstream first. ``persona_writer`` says who would write personas
    now (``cdt.voices.writer.persona_writer``; None: not compared)."""
    finished = {
        str(r["stage"]): r["finished_at"]
        for r in backend.query(read_sql("build_state", backend.dialect)).to_pylist()
    }

    def after(stage: str, other: str) -> bool:  # ``other`` finished after ``stage``
        a, b = finished.get(stage), finished.get(other)
        return a is not None and b is not None and b > a

    found: dict[str, str] = {}
    if "features" in finished:
        pending = int(backend.scalar(read_sql("pending_refresh_count", backend.dialect)) or 0)
        if last_fingerprint(backend, "features") != data_fingerprint(backend) or after(
            "features", "load"
        ):
            found["features"] = "the loaded data changed since they were built (a load since)"
        elif pending:
            found["features"] = f"{pending:,} customers changed by an incremental load wait"
    if "segment" in finished:
        built_from = last_details(backend, "segment").get("features_fingerprint")
        if "features" in found:
            found["segment"] = "its features are stale"
        elif (built_from is not None and built_from != last_fingerprint(backend, "features")) or (
            built_from is None and after("segment", "features")
        ):
            found["segment"] = "the features were rebuilt since"
    run = last_details(backend, "segment").get("run_id")
    if "calibrate" in finished:
        fitted_on = last_details(backend, "calibrate").get("segmentation_run_id")
        if "segment" in found:
            found["calibrate"] = "its segments are stale"
        elif fitted_on != run:
            found["calibrate"] = "the segments were rebuilt since it was fitted"
        elif after("calibrate", "responses"):
            found["calibrate"] = "campaign responses arrived since it was fitted"
    if "personas" in finished:
        details = last_details(backend, "personas")
        written_for = details.get("segmentation_run_id")
        if "segment" in found:
            found["personas"] = "their segments are stale"
        elif (written_for is not None and written_for != run) or (
            written_for is None and after("personas", "segment")
        ):
            found["personas"] = "the segments were rebuilt since they were written"
        elif persona_writer is not None and details.get("writer") not in (None, persona_writer):
            found["personas"] = (
                f"they were written by {details['writer']}, and {persona_writer} is configured"
            )
    return [Stale(stage, found[stage]) for stage in STAGES if stage in found]
