"""Foundation shared by every layer: folders (paths), errors, atomic files, the raw-CSV reader, the row
ledger, field definitions and schemas, the step result, and the raw-data registry and fetch.

Submodules are imported on first attribute access (``cs.core.<module>``).
"""

from ceasefire_stats.core.lazy import submodules

__getattr__, __dir__ = submodules(__name__, __path__)
