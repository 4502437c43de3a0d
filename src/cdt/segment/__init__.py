"""`cdt segment`: K-means segments from CUSTOMER_FEATURES_ENRICHED (spec §6.3).

The clustering features are preprocessed (``preprocess``), clustered with scikit-learn on a
sample and named from data (``naming``). Every customer is then assigned in one of two places:

- ``client`` (DuckDB's default, where the warehouse is in-process): every customer's features
  are fetched once (Arrow), predicted by scikit-learn and bulk-loaded;
- ``warehouse`` (Snowflake's default): only a sample of SAMPLE_FIT customers crosses the wire;
  the assignment runs in the warehouse as SQL compiled from the run (``assign_sql``).

The statistics (``statistics``) are computed in the warehouse from the written assignments in
either case. Assignments, statistics and the run's model are written in one transaction.
"""

from cdt.segment.preprocess import DEFAULT_FEATURES
from cdt.segment.stage import SegmentResult, fingerprint, fit_state, parameters, segment

__all__ = ["DEFAULT_FEATURES", "SegmentResult", "fingerprint", "fit_state", "parameters", "segment"]
