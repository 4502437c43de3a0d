"""`cdt build`: the stages in one table, each with the stages it reads, the fingerprint of
what it would be built from, and how to run it.

A stage runs when its fingerprint differs from the one it recorded when it last finished (or
either is unknown, or ``force``); each commits its tables and its record together, so an
interrupted build leaves the last finished stage's twin readable and a rerun goes on from
there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cdt.backends import Backend, open_backend
from cdt.config import Settings
from cdt.progress import Progress
from cdt.sqlfiles import read_sql
from cdt.state import has_record, last_fingerprint

#: Makes the twin's tables exist (``cdt.api.init``); the pipeline calls it before loading.
Prepare = Callable[[], object]
#: Builds the LLM client for a purpose ("persona", "reaction") on a connection.
ClientFactory = Callable[[Backend, str], Any]


@dataclass(frozen=True)
class Build:
    """One build's parameters and what it needs from the facade."""

    settings: Settings
    folder: Path
    scale: float = 1.0
    seed: int = 42
    generated_here: bool = True  # False when the data comes from the user's folder (--from)
    k: int | str = 8
    force: bool = False
    recluster: bool = False  # a refresh clusters afresh instead of re-assigning
    with_personas: bool = True
    progress: Progress | None = None
    mapping: Path | None = None  # read the folder through this mapping (``cdt.mapping``)
    prepare: Prepare = lambda: None
    client: ClientFactory | None = None


@dataclass(frozen=True)
class Stage:
    """A build stage: ``fingerprint`` says what it would be built from now (None: unknown,
    so it must run); ``current`` what it was last built from."""

    name: str
    inputs: tuple[str, ...]
    fingerprint: Callable[[Backend, Build], str | None]
    run: Callable[[Backend, Build, str | None], Any]
    current: Callable[[Backend, Build], str | None]
    enabled: Callable[[Build], bool] = lambda build: True


def _recorded(name: str) -> Callable[[Backend, Build], str | None]:
    return lambda backend, build: last_fingerprint(backend, name)


def _generate_print(backend: Backend, build: Build) -> str | None:
    from cdt.state import derive

    return derive("generated", build.scale, build.seed)


def _generated(backend: Backend, build: Build) -> str | None:
    """The data folder's scale and seed, when it holds a complete generated dataset."""
    from cdt.generate import matches

    found = matches(build.folder, scale=build.scale, seed=build.seed)
    return _generate_print(backend, build) if found else None


def _generate(backend: Backend, build: Build, _: str | None) -> Any:
    from cdt.generate import generate

    return generate(build.folder, scale=build.scale, seed=build.seed, progress=build.progress)


def _load_print(backend: Backend, build: Build) -> str | None:
    from cdt.load import fingerprint

    return fingerprint(build.folder)


def _load(backend: Backend, build: Build, _: str | None) -> Any:
    from cdt.load import load

    if build.mapping is not None:
        from cdt.mapping import load_mapped, read_mapping

        mapped = read_mapping(build.mapping, build.folder)
        return load_mapped(backend, build.folder, mapped, progress=build.progress)
    return load(backend, build.folder, progress=build.progress)


def _data_print(backend: Backend, build: Build) -> str | None:
    from cdt.state import data_fingerprint

    return data_fingerprint(backend)


def _features(backend: Backend, build: Build, _: str | None) -> Any:
    from cdt.features import build_features

    return build_features(backend, progress=build.progress, full=build.force)


def _segment_print(backend: Backend, build: Build) -> str | None:
    from cdt.segment import DEFAULT_FEATURES, fingerprint

    return fingerprint(
        last_fingerprint(backend, "features"), build.k, DEFAULT_FEATURES, 8, build.seed
    )


def _segment(backend: Backend, build: Build, expected: str | None) -> Any:
    """After an incremental load: re-assign the touched customers to the stored run, unless
    --recluster (or --force), other parameters, or drift past a threshold call for a fresh
    clustering. Otherwise cluster."""
    from cdt.segment import DEFAULT_FEATURES, parameters, segment
    from cdt.segment.refresh import Drifted, refresh, refreshable

    pending = backend.scalar(read_sql("pending_refresh_count", backend.dialect))
    params = parameters(build.k, DEFAULT_FEATURES, 8, build.seed)
    drift = None
    if pending and not (build.recluster or build.force) and refreshable(backend, params):
        try:
            return refresh(backend, expected, build.progress)
        except Drifted as drifted:
            drift = drifted.drift
    result = segment(backend, k=build.k, seed=build.seed, progress=build.progress)
    result.drift = drift
    return result


def _calibrate_print(backend: Backend, build: Build) -> str | None:
    from cdt.calibrate import REPLICATES, fingerprint

    return fingerprint(backend, REPLICATES, build.seed)


@dataclass(frozen=True)
class Skipped:
    """A stage that had nothing to work on, and what it would need."""

    reason: str

    def to_dict(self) -> dict[str, str]:
        return {"skipped": self.reason}


def _calibrate(backend: Backend, build: Build, _: str | None) -> Any:
    """Fit the response model. After deltas brought responses to the same segmentation run:
    from the stored model and its cells updated with what changed, without a new backtest
    (the last one stands; `cdt backtest` reruns it). A twin with no campaign history gets no
    model: its numbers are withheld with the reason."""
    from cdt.calibrate import NO_HISTORY, calibrate, has_history, latest_model
    from cdt.errors import NotBuiltError
    from cdt.state import last_details

    if not has_history(backend):
        return Skipped(NO_HISTORY)
    warm = None
    same_run = last_details(backend, "calibrate").get("segmentation_run_id") == last_details(
        backend, "segment"
    ).get("run_id")
    if has_record(backend, "responses") and has_record(backend, "calibrate") and same_run:
        try:
            warm = latest_model(backend)
        except NotBuiltError:
            warm = None
    return calibrate(
        backend, seed=build.seed, progress=build.progress, warm=warm, run_backtest=warm is None
    )


def personas_fingerprint(backend: Backend, settings: Settings, seed: int) -> str | None:
    """What a full persona run would be written from: the segmentation, the persona prompt,
    the LLM configured for personas and the seed."""
    from cdt.personas import fingerprint
    from cdt.voices.writer import writer

    llm = settings.llm.model_dump(
        include={"provider", "gguf_path", "ollama_model", "cortex_persona_model"}
    )
    return fingerprint(backend, {**llm, "writer": writer(settings)}, seed)


def _personas_print(backend: Backend, build: Build) -> str | None:
    """The personas' fingerprint, and with it the segments a refresh moved beyond the
    threshold since their persona was written (none: up to date)."""
    from cdt.state import derive

    base = personas_fingerprint(backend, build.settings, build.seed)
    return derive(base, sorted(_moved(backend, build)))


def _moved(backend: Backend, build: Build) -> dict[str, Any]:
    """Segments whose statistics moved beyond the threshold since their persona, when the
    personas were written for the current run (else none: a full run is due anyway)."""
    from cdt.personas.refresh import moved
    from cdt.segment.statistics import read_statistics
    from cdt.state import last_details

    details = last_details(backend, "personas")
    if details.get("base") != personas_fingerprint(backend, build.settings, build.seed):
        return {}
    return moved(read_statistics(backend), details.get("stats", {}))


def _personas_current(backend: Backend, build: Build) -> str | None:
    """The recorded fingerprint. A twin whose personas predate the record (none at all) counts
    as built from the current segmentation when every current segment has a persona."""
    if has_record(backend, "personas"):
        return last_fingerprint(backend, "personas")
    have = backend.scalar(read_sql("personas_named_like_segments", backend.dialect))
    total = backend.scalar(read_sql("segment_count", backend.dialect))
    return _personas_print(backend, build) if have and have == total else None


def _personas(backend: Backend, build: Build, _: str | None) -> Any:
    from cdt.llm import make_embedder
    from cdt.personas import generate_personas
    from cdt.state import derive, last_details
    from cdt.voices.writer import persona_writer, writer

    assert build.client is not None, "the facade passes the LLM client factory"
    base = personas_fingerprint(backend, build.settings, build.seed)
    details = last_details(backend, "personas")
    moved = sorted(_moved(backend, build)) if not build.force else []
    return generate_personas(
        backend,
        build.client(backend, "persona") if writer(build.settings) == "llm" else None,
        make_embedder(build.settings, backend),
        segments=moved or None,
        seed=build.seed,
        progress=build.progress,
        fingerprint=derive(base, []),  # what the fingerprint will be: nothing left moved
        record={**(details if moved else {}), "base": base},
        writer=persona_writer(build.settings),
    )


STAGES: tuple[Stage, ...] = (
    Stage("generate", (), _generate_print, _generate, _generated,
          enabled=lambda build: build.generated_here),
    Stage("load", ("generate",), _load_print, _load, _recorded("load")),
    Stage("features", ("load",), _data_print, _features, _recorded("features")),
    Stage("segment", ("features",), _segment_print, _segment, _recorded("segment")),
    Stage("calibrate", ("segment",), _calibrate_print, _calibrate, _recorded("calibrate")),
    Stage("personas", ("segment",), _personas_print, _personas, _personas_current,
          enabled=lambda build: build.with_personas),
)  # fmt: skip


def run(build: Build) -> dict[str, Any]:
    """Run each enabled stage whose fingerprint changed, in order: ``{stage: its result, or
    None when it was up to date or disabled}``. A stage's fingerprint is derived from those
    of the stages it reads, so a change upstream reaches it."""
    build.prepare()
    done: dict[str, Any] = {}
    for stage in STAGES:
        done[stage.name] = None
        if not stage.enabled(build):
            continue
        with open_backend(build.settings) as backend:
            expected = stage.fingerprint(backend, build)
            if build.force or expected is None or stage.current(backend, build) != expected:
                done[stage.name] = stage.run(backend, build, expected)
    return done
