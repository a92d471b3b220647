# %%
import ceasefire_stats as cs

cs.reports.notebooks.setup()

# %% [markdown]
# # 03 · Claims of 18–20 March 2025: the seed article's ledger, checked against the counts
#
# The seed article (calls of 18–19 March 2025, the energy-strike moratorium) is curated in `src/ceasefire_stats/curated/claims/2025-03-20_seed_trump_zelenskyy_call.yaml`: one record per attributable statement (format: `src/ceasefire_stats/curated/claims/README.md`; rules: `docs/claims.md`). The article itself is not in the repository. Every number below is somebody's claim; the tables say whose, and which way the weapons flew.

# %%
claims = cs.load("claims")
claims.shape

# %% [markdown]
# ## The ledger
# One row per claim, in the order the statements were made (UTC).

# %%
claims[["claim_id", "claimant", "claim_type", "subject_side", "topic", "said_precision"]]

# %% [markdown]
# Numeric claims, with the number as stated and the range it was parsed into (`value_high` null = open-ended; the night is the local date it ends on).

# %%
claims.loc[claims["claim_type"] == "count",
           ["claim_id", "count_number_text", "value_low", "value_high", "qualifier",
            "count_noun", "count_metric", "direction", "attribution_date"]]

# %% [markdown]
# ## Who said what, when
# Each bar spans the interval in which the statement was made (a minute, the speaker's local day, or ±1 day when only roughly known), in **UTC**. The dashed line is the article's time stamp (00:47 AEDT on 20 March = 13:47 UTC on 19 March).

# %%
fig = cs.plots.claims.claims_timeline(claims, tz="UTC", title="Seed article: who said what, when (UTC)")
cs.plots.figure.save_figure(fig, "03_claims_timeline")
fig

# %% [markdown]
# ## Checking the numeric claims against the counts
# Which record tables are loaded in this build (None = no step produces it yet):

# %%
inputs = {name: cs.load(name) for name in cs.analysis.claim_checks.NEEDS}
{name: None if table is None else len(table) for name, table in inputs.items()}

# %% [markdown]
# One verdict per claim (`verdict_basis`): `consistent` within the stated qualifier, `inconsistent`, or `not_checkable` with the reason. `about` tolerance: ±10 % (`check.check_claims(about_tolerance=...)`); an unqualified round number is read as `about` it.

# %%
checks = cs.load("claim_checks")
cs.analysis.claim_checks.verdicts(checks)[["claim_id", "basis", "value_low", "value_high", "recorded_value",
                        "difference", "verdict"]]

# %%
for row in cs.analysis.claim_checks.verdicts(checks).itertuples():
    print(f"{row.claim_id}: {row.verdict}: {row.reason}")

# %% [markdown]
# Every comparison basis (drones only vs all means of attack for the Air Force; the MoD's headline vs its regional breakdown; the following nights for claims about targets):

# %%
checks[["claim_id", "basis", "verdict_basis", "records_claimant", "recorded_value", "verdict"]]

# %% [markdown]
# The records behind each comparison (ids, windows in UTC, what was counted):

# %%
cs.analysis.claim_checks.record_details(checks, inputs["strikes"], inputs["mod_posts"])
