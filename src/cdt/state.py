"""Build bookkeeping in APP.BUILD_STATE: which input each stage last finished from."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from cdt.backends.base import Backend
from cdt.sqlfiles import read_sql


def record_stage(backend: Backend, stage: str, fingerprint: str | None, details: object) -> None:
    """Remember that ``stage`` finished from input ``fingerprint``.

    Call it inside the stage's own transaction, so the record and the tables commit together.
    """
    backend.execute(read_sql("build_state_forget", backend.dialect), [stage])
    backend.execute(
        read_sql("build_state_record", backend.dialect),
        [stage, fingerprint, json.dumps(details, default=str)[:4000]],
    )


def last_fingerprint(backend: Backend, stage: str) -> str | None:
    """The input ``stage`` last finished from, if recorded."""
    value = backend.scalar(read_sql("build_state_fingerprint", backend.dialect), [stage])
    return None if value is None else str(value)


def last_details(backend: Backend, stage: str) -> dict[str, Any]:
    """The details ``stage`` recorded when it last finished (empty when none or unreadable)."""
    value = backend.scalar(read_sql("build_state_details", backend.dialect), [stage])
    try:
        details = json.loads(str(value)) if value is not None else {}
    except ValueError:
        return {}
    return details if isinstance(details, dict) else {}


def data_fingerprint(backend: Backend) -> str | None:
    """What the loaded data is: the last full load's fingerprint, or, after incremental loads
    on top of it, the last delta's (derived from the load's)."""
    return _since_load(backend, "delta")


def responses_fingerprint(backend: Backend) -> str | None:
    """What the campaign responses are: the last full load's fingerprint, or the last delta
    that brought responses (derived from it)."""
    return _since_load(backend, "responses")


def _since_load(backend: Backend, record: str) -> str | None:
    """``record``'s fingerprint (an incremental load's, kept until the next full load), or
    the full load's when there is none."""
    return last_fingerprint(backend, record if has_record(backend, record) else "load")


def has_record(backend: Backend, stage: str) -> bool:
    """Whether ``stage`` has ever recorded a finish (with or without a fingerprint)."""
    return bool(backend.scalar(read_sql("build_state_has", backend.dialect), [stage]))


def row_count(backend: Backend, table: str) -> int:
    """Rows in an allow-listed table."""
    return int(backend.scalar(f"SELECT count(*) FROM {table}"))  # noqa: S608


def derive(*parts: object) -> str | None:
    """A stage's fingerprint from its input's fingerprint and its parameters.

    None when the input has none (e.g. a user's data loaded without a manifest): such stages
    are always rebuilt.
    """
    if not parts or parts[0] is None:
        return None
    return hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()
