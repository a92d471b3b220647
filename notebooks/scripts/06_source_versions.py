# %% [markdown]
# # 06 · Source versions: what upstream changed in the Air Force file
#
# piterfm publishes the Air Force data as successive Kaggle versions and **revises earlier rows in
# place**. The package is pinned to one copy (the registry's `pinned` file); earlier or newer copies
# are registered as **versions** with `ceasefire-stats add airforce_strikes FILE` (schema checked,
# sha256, size and data span recorded in the committed `data/versions.toml`; the file itself is copied
# into the raw folder, never committed). Any table can then be built from a version
# (`ceasefire-stats build --version airforce_strikes=LABEL`, `cs.load(..., versions=...)`).
#
# This notebook compares the two earlier versions mirrored in `../shared/data` (2025-04-18, the old
# 17-column schema; 2026-04-04, 22 columns) with the pinned file, row by row, and asks whether any
# revision moves a daily count. See `docs/versions.md`.

# %%
import ceasefire_stats as cs

cs.reports.notebooks.setup()

# %% [markdown]
# ## The registered versions

# %%
registry = cs.versions.registry.table("airforce_strikes")
registry.assign(sha256=registry["sha256"].str[:12])[
    ["label", "schema", "coverage_start", "coverage_end", "size_bytes", "sha256"]]

# %% [markdown]
# ## 2026-04-04 against the pinned file
#
# Entries are matched by a natural key that survives cosmetic revisions (within one source post:
# the published key, then canonical model with places as sets, then model, weapon class or window
# when a row is alone under that key). Entries after the old version's last date are *appended*
# (new data), not additions.

# %%
recent = cs.diff("airforce_strikes", "2026-04-04", "pinned")
print(recent.headline())
recent.summary

# %%
recent.rows.loc[recent.rows["change"] == "revised",
                ["attribution_date", "model_new", "field", "old_value", "new_value", "cosmetic"]]

# %% [markdown]
# One entry's key changed (its launch places written in another order) and **no count changed**: no daily total moves.

# %%
len(recent.daily)

# %% [markdown]
# ## 2025-04-18 (17 columns) against the pinned file
#
# The old schema lacks `target_main`, `is_shahed`, hit and debris locations and the turbojet columns
# (not compared) and has two border counts (read as the `border_crossing` literal). The 17 entries
# whose published key changed are matched as revisions of the same rows, not as removed plus added:

# %%
early = cs.diff("airforce_strikes", "2025-04-18", "pinned")
print(early.headline())
early.summary

# %%
key_fields = list(cs.versions.diff.KEY_FIELDS)
keys = early.rows[(early.rows["change"] == "revised") & early.rows["field"].isin(key_fields)]
keys[["attribution_date", "match", "field", "old_value", "new_value", "cosmetic"]]

# %% [markdown]
# Besides the keys, upstream corrected carriers (`Navi` -> `Navy`, `Tu-95` -> `Tu-95MS`) and back-filled
# some per-region figures; **no count of a matched entry changed**. Four entries the old version's cleaner
# had to reject (a Python-literal cell with a missing quote) were *repaired* upstream:

# %%
early.rows.loc[early.rows["change"] == "repaired", ["attribution_date", "model_new", "old_value"]]

# %% [markdown]
# Do daily counts move? Over all weapon classes, national daily totals differ only on the days of those
# repaired rows (the old version's figure there was incomplete because its row was unreadable). Per weapon
# class, renamed models move figures between classes (`KAB`, an unknown class, became `GBU`, a guided bomb;
# `X-22/X-32` became the cruise-missile bundle `X-22 and X-32`):

# %%
early.daily[early.daily["weapon_class"] == "(all)"]

# %%
early.daily.groupby("weapon_class").size().rename("daily totals that differ")

# %% [markdown]
# Changed entries by month (the appended months are new data):

# %%
early.by_month.loc[early.by_month.drop(columns="appended").sum(axis=1) > 0]

# %% [markdown]
# ## Conclusion
#
# Computed from the two diffs above when the notebook runs (`cs.reports.findings.source_versions`).

# %%
from IPython.display import Markdown

Markdown(cs.reports.findings.source_versions({"2026-04-04": recent, "2025-04-18": early}))

# %% [markdown]
# ## Data versions used in this notebook

# %%
import pandas as pd

pd.DataFrame([cs.versions.registry.describe("airforce_strikes", label) for label in ("2025-04-18", "2026-04-04", "pinned")]
             + [cs.versions.registry.describe("weapons")]).assign(
    source=["airforce_strikes"] * 3 + ["weapons"])[["source", "label", "sha256", "coverage_end"]]
