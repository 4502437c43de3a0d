"""The facade's build stages: generate, load, features, segment, the whole build (run by
cdt.pipeline), and reads of segments and their customers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cdt.config import Settings
from cdt.errors import ConfigError, NotBuiltError
from cdt.features import FeaturesResult
from cdt.generate import GenerateResult
from cdt.generate.delta import DeltaWritten
from cdt.load import LoadResult
from cdt.progress import Progress
from cdt.refresh import DeltaResult
from cdt.segment import SegmentResult
from cdt.sqlfiles import read_sql

if TYPE_CHECKING:
    pass

from cdt.api.session import connect, fresh, init, llm_client, read_connection


def generate(
    settings: Settings,
    *,
    scale: float = 1.0,
    seed: int = 42,
    out: Path | None = None,
    progress: Progress | None = None,
) -> GenerateResult:
    """Write the synthetic Snowmobile dataset (Parquet) to ``out`` (default: the data dir).

    Raises:
        DataError: scale or seed out of range, or ``out`` holds something else.
    """
    from cdt.generate import generate as _generate
    from cdt.outputs import writable_folder

    folder = writable_folder(out or settings.data_dir)
    return _generate(folder, scale=scale, seed=seed, progress=progress)


def generate_delta(
    settings: Settings,
    *,
    days: int = 1,
    seed: int = 42,
    out: Path | None = None,
    progress: Progress | None = None,
) -> DeltaWritten:
    """Write ``days`` days of realistic changes to the loaded twin as delta files for
    `cdt load --incremental` (default folder: ``<home>/deltas/<last day>``).

    Raises:
        DataError: ``days`` out of range, or ``out`` holds something else.
        NotBuiltError: nothing has been loaded yet.
    """
    from cdt.generate.delta import generate_delta as _generate_delta

    with read_connection(settings) as backend:
        return _generate_delta(backend, out, settings.home, days=days, seed=seed, progress=progress)


def load(
    settings: Settings,
    *,
    source: Path | None = None,
    progress: Progress | None = None,
    env: Mapping[str, str] | None = None,
    lenient: bool = False,
    mapping: Path | None = None,
) -> LoadResult:
    """Replace RAW and EXTERNAL with the files in ``source`` (default: the data dir), read
    through ``mapping`` (``cdt.mapping``) when the files have other names and columns.

    Creates missing tables first. All or nothing: on any error the previous tables stay.

    Raises:
        DataError: a missing or malformed file, a mapping that cannot be right (naming its
            line), or data that breaks integrity.
        BackendError: the database refused the load.
    """
    from cdt.load import load as _load
    from cdt.mapping import load_mapped, read_mapping

    folder = source or settings.data_dir
    # a mapping's every problem is found before the twin is touched
    mapped = read_mapping(mapping, folder) if mapping is not None else None
    init(settings, env=env)
    with connect(settings, env=env) as backend:
        if mapped is None:
            return _load(backend, folder, progress=progress, lenient=lenient)
        return load_mapped(backend, folder, mapped, progress=progress, lenient=lenient)


def load_delta(
    settings: Settings,
    source: Path,
    *,
    replace_changed: bool = False,
    progress: Progress | None = None,
    env: Mapping[str, str] | None = None,
) -> DeltaResult:
    """Merge the delta files in ``source`` into the twin (see cdt.refresh.load), all or
    nothing; the next `cdt build` refreshes what they touched.

    Raises:
        DataError: a malformed file, a conflicting id, or a merge that breaks integrity.
        NotBuiltError: nothing has been loaded yet (a delta needs a twin to merge into).
        BackendError: the database refused the load.
    """
    from cdt.refresh import load_delta as _load_delta
    from cdt.state import has_record

    init(settings, env=env)
    with connect(settings, env=env) as backend:
        if not has_record(backend, "load"):
            raise NotBuiltError(
                "there is no loaded twin to merge a delta into",
                fix="run `cdt build` (or `cdt load --from DIR`) first, then load deltas",
            )
        return _load_delta(backend, source, replace_changed=replace_changed, progress=progress)


def features(settings: Settings, *, progress: Progress | None = None) -> FeaturesResult:
    """Rebuild the analytics feature tables (spec §3.3) from RAW and EXTERNAL.

    Raises:
        NotBuiltError: nothing has been loaded yet.
    """
    from cdt.features import build_features

    init(settings)
    with connect(settings) as backend:
        return build_features(backend, progress=progress)


def segment(
    settings: Settings,
    *,
    k: int | str = 8,
    features: str | None = None,
    n_init: int = 8,
    seed: int = 42,
    progress: Progress | None = None,
    assign: str = "auto",
) -> SegmentResult:
    """Cluster customers into segments and write assignments and statistics; ``assign``
    says where every customer is assigned (``auto``: in the warehouse on Snowflake, on the
    client on DuckDB; ``client``; ``warehouse``).

    Raises:
        NotBuiltError: the features do not exist yet.
        ConfigError: bad k, n_init, feature list or assign.
    """
    from cdt.segment import DEFAULT_FEATURES
    from cdt.segment import segment as _segment

    init(settings)
    with connect(settings) as backend:
        return _segment(
            backend,
            k=k,
            features=features or DEFAULT_FEATURES,
            n_init=n_init,
            seed=seed,
            progress=progress,
            assign=assign,
        )


def segments(settings: Settings) -> list[dict[str, object]]:
    """The current segments with their statistics, largest first.

    Raises:
        NotBuiltError: no segmentation has run yet.
    """

    from cdt.segment.statistics import read_statistics

    with read_connection(settings) as backend:
        rows = read_statistics(backend)
        if not rows:
            raise NotBuiltError("there are no segments yet", fix="run `cdt segment` or `cdt build`")
        stale = fresh(backend, settings, stages=("features", "segment"))
    return [row | {"stale": stale} for row in rows] if stale else rows


@dataclass(frozen=True)
class BuildResult:
    """What `cdt build` did; a stage that is None was skipped as up to date."""

    data_dir: Path
    generated: GenerateResult | None = None
    loaded: LoadResult | None = None
    featured: FeaturesResult | None = None
    segmented: Any = None  # SegmentResult, or a refresh's segment.refresh.RefreshResult
    calibrated: Any = None  # CalibrateResult | None
    personas: Any = None  # PersonasResult | None
    personas_skipped: bool = False

    def to_dict(self) -> dict[str, object]:
        def done(result: object) -> object:
            return result.to_dict() if result is not None else "up to date"  # type: ignore[attr-defined]

        return {
            "data_dir": str(self.data_dir),
            "generate": done(self.generated),
            "load": done(self.loaded),
            "features": done(self.featured),
            "segment": done(self.segmented),
            "calibrate": done(self.calibrated),
            "personas": "skipped" if self.personas_skipped else done(self.personas),
        }


def build(
    settings: Settings,
    *,
    scale: float = 1.0,
    seed: int = 42,
    source: Path | None = None,
    k: int | str = 8,
    force: bool = False,
    recluster: bool = False,
    with_personas: bool = True,
    progress: Progress | None = None,
    mapping: Path | None = None,
) -> BuildResult:
    """Run the stages in order: generate (unless ``source`` is given), load, features, segment,
    calibrate (response model and backtest), personas (unless ``with_personas`` is False).
    ``mapping`` reads ``source``'s files through a mapping (``cdt.mapping``).

    A stage whose input and parameters have not changed since it last finished is skipped
    (``force`` redoes every stage). After `cdt load --incremental`, only what the delta
    touched is refreshed: the touched customers' features, their segments under the stored
    run (clustered afresh with ``recluster``, or when drift crosses its threshold), the
    response model only if responses arrived, and only the personas whose segment moved.
    Each stage commits on its own, so an interrupted build leaves the last finished stage's
    twin readable.
    """
    from cdt import pipeline

    done = pipeline.run(
        pipeline.Build(
            settings,
            source or settings.data_dir,
            scale=scale,
            seed=seed,
            generated_here=source is None,
            k=k,
            force=force,
            recluster=recluster,
            with_personas=with_personas,
            progress=progress,
            mapping=mapping,
            prepare=lambda: init(settings),
            client=lambda backend, purpose: llm_client(settings, backend, purpose),
        )
    )
    return BuildResult(
        source or settings.data_dir,
        done["generate"],
        done["load"],
        done["features"],
        done["segment"],
        done["calibrate"],
        done["personas"],
        personas_skipped=not with_personas,
    )


def customers(
    settings: Settings, segment_id: str, *, page: int = 0, page_size: int = 25
) -> dict[str, Any]:
    """One page of a segment's customers (closest to the centroid first) with their key
    features: ``{"total": n, "page": p, "rows": [...]}``.

    Raises:
        ConfigError: a bad page or page size.  NotBuiltError: no segments yet.
    """
    if page < 0 or not 1 <= page_size <= 500:
        raise ConfigError(
            f"page {page} / page size {page_size} out of range",
            fix="use a page >= 0 and a page size of 1-500",
        )
    with read_connection(settings) as backend:
        total = int(
            backend.scalar(read_sql("segment_customer_count", backend.dialect), [segment_id])
        )
        rows = backend.query(
            read_sql("customer_page", backend.dialect), [segment_id, page_size, page * page_size]
        ).to_pylist()
    return {"total": total, "page": page, "page_size": page_size, "rows": rows}
