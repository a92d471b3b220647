# %% [markdown]
# # 00 · Sources: what the tables are built from
#
# Every table in ceasefire-stats comes from a small set of third-party files, each pinned by
# **sha256** to an immutable upstream URL (a raw file at a fixed git commit). This notebook lists the
# registry: who produced each file, under what licence, what period it covers, and whether the copy on
# this machine is present and verified.
#
# Nothing here is committed third-party data: `cs.fetch()` downloads the files (or, with
# `CEASEFIRE_STATS_MIRROR` set, imports them from a local mirror) and refuses any file whose hash differs.

# %%
import ceasefire_stats as cs

cs.reports.notebooks.setup()

# %% [markdown]
# ## Fetch and verify
#
# `cs.fetch()` leaves files that are already present and verified alone, so running it twice is cheap.

# %%
fetched = cs.fetch()
fetched[["name", "path"]]

# %% [markdown]
# ## Data versions
#
# Every registry file (sha256, verified on this machine) and curated folder (a sha256 over its files) behind every table the pipeline builds.

# %%
print(cs.reports.notebooks.data_versions(*cs.pipeline.tables()).to_string(index=False))

# %% [markdown]
# ## The registry

# %%
status = cs.status()
status[["name", "file", "coverage_start", "coverage_end", "present", "verified"]]

# %% [markdown]
# ## Producers and licences
#
# The Air Force strike reports are **CC BY-NC-SA 4.0**: outputs derived from them credit Petro Ivaniuk
# (Kaggle `piterfm`) and the Ukrainian Air Force and keep that licence. The MoD posts carry no stated
# licence; the texts are official posts of the Russian Ministry of Defence.

# %%
for row in status.itertuples():
    print(f"{row.name}\n  producer: {row.producer}\n  licence:  {row.licence}\n  origin:   {row.origin}\n")

# %% [markdown]
# ## Hashes
#
# The sha256 each file must have; `sha256sum` of the fetched file gives the same value.

# %%
print(status[["name", "sha256"]].to_string(index=False))

# %%
assert status["verified"].all(), "some raw files are missing or do not match the registry"
print(f"{len(status)} files, all present and verified; {status['size_bytes'].sum():,} bytes in all")
