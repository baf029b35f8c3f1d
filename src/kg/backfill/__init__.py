"""Archive backfills: many articles into a new database on Dask and `neo4j-admin import`.

`backfill` (the `kg backfill` command) runs the whole thing; `prepare_partition` is the
per-partition step any engine can call (docs/backfill.md). See `kg.backfill.run`.
"""

from kg.backfill.partitions import Partition, plan
from kg.backfill.prepare import PreparedPartition, prepare_partition
from kg.backfill.run import BackfillError, BackfillSummary, backfill

__all__ = ["BackfillError", "BackfillSummary", "Partition", "PreparedPartition", "backfill",
           "plan", "prepare_partition"]
