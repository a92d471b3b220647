"""Build engines: how a step's pure cleaners are applied to its raw rows.

``pandas`` (the default) runs each step's builder on the whole raw file in one process.
``dask`` (:mod:`ceasefire_stats.engines.dask_engine`, optional extra ``ceasefire-stats[dask]``)
cuts the raw rows into Parquet partitions and applies the same cleaners partition by partition
with ``dask.dataframe.map_partitions``, on a ``LocalCluster`` or any ``dask.distributed``
scheduler, then does the whole-file steps (duplicates, the ledger, the order of rows) on the
gathered results; its outputs are those of the pandas engine, byte for byte.

Nothing here imports dask: the dask engine module is imported only when it is chosen.
"""

from __future__ import annotations

ENGINES = ("pandas", "dask")
