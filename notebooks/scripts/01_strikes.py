# %% [markdown]
# # 01 · Ukrainian Air Force strike reports: how complete, how consistent, and the nights of 17-20 March 2025
#
# **Question.** How complete and how consistent are the Air Force's reports, and what do they say about the
# nights of 17-20 March 2025 (the nights around the 18 March Trump-Putin call on an energy-strike pause)?
#
# Data: Petro Ivaniuk (piterfm), *Massive Missile Attacks on Ukraine* (Kaggle), digitising posts of the
# Ukrainian Air Force and its regional air commands; licence CC BY-NC-SA 4.0 (as stated by third-party mirrors).
# Every figure below is the Ukrainian Air Force's claim (`claimant = "ua_air_force"`, `direction = "ru_to_ua"`):
# Russian weapons launched at Ukraine, never compared on one axis with the Russian MoD's claims (notebook 02).
# See `docs/strikes.md` for the grains, the night rule, the missing-day policy and the quirks handled.
# Each cell ends with one value; tables a reviewer must read row by row are printed whole (`cs.reports.notebooks.whole`: every row, counts as integers, every missing value as `missing`).

# %%
import ceasefire_stats as cs

cs.reports.notebooks.setup()

# %% [markdown]
# ## Data versions
# The registry files (sha256, verified on this machine) behind the `strikes` table.

# %%
print(cs.reports.notebooks.data_versions("strikes").to_string(index=False))

# %% [markdown]
# ## The tables
# `cs.load` returns a validated table, building it from the verified raw files if needed.

# %%
strikes = cs.load("strikes")
regions = cs.load("strike_regions")
{"strikes": strikes.shape, "strike_regions": regions.shape}

# %%
strikes.dtypes

# %% [markdown]
# ## Row ledger
# Every raw row ends kept, rejected (with a reason) or duplicate; kept rows that break a soft invariant are flagged, never altered.

# %%
ledger = cs.pipeline.load_ledger("airforce_strikes")
ledger.check()
ledger.summary()

# %%
ledger.by_reason()

# %%
print(ledger.rejects[["raw_row", "reason", "column", "value"]].to_string(index=False))

# %% [markdown]
# Kept rows that break a soft invariant (all of them): kept as published, flagged with the reason.

# %%
print(ledger.flags.to_string(index=False))

# %% [markdown]
# ## Coverage over time by reporting body
# Days with at least one entry, per year (the monthly version is the heatmap, on a discrete scale where 0 is white; the partial last month is left out). The national Air Force series and the regional commands' series are separate: never added up.

# %%
cs.panels.strikes.coverage(strikes, freq="YS")

# %%
coverage_fig = cs.plots.strikes.coverage_heatmap(cs.panels.strikes.coverage(strikes),
                                                 through=strikes["attribution_date"].max())
[path.name for path in cs.plots.figure.save_figure(coverage_fig, "strikes_coverage")]

# %%
coverage_fig

# %% [markdown]
# ## Daily launches by weapon class (national Air Force reports)
# Attribution date by the package's one night rule (the Kyiv date on which the window ends). Missing-day policy: the default `"na"` (a day without an entry is missing, not zero); the line is the mean of the reported days in the trailing 28 calendar days, drawn only where at least half of them are reported (`cs.analysis.smoothing.calendar_mean`; the bottom panel shows that share). Truce windows are shaded.

# %%
panel = cs.panels.strikes.daily_panel(strikes, bodies=["air_force"])
panel["launched"]["air_force"].describe().round(1)

# %%
launches_fig = cs.plots.strikes.daily_launches(panel, body="air_force", windows=cs.load("ceasefire_windows"))
[path.name for path in cs.plots.figure.save_figure(launches_fig, "strikes_daily_launches_air_force")]

# %%
launches_fig

# %% [markdown]
# ## The nights of 17-20 March 2025
# National reports attributed to 18-21 March (the night 17->18 ends on 18 March), every entry.

# %%
print(cs.reports.notebooks.whole(cs.panels.strikes.reports_between(strikes, "2025-03-18", "2025-03-21")))

# %% [markdown]
# Per night and class group (drone / missile / other), never one figure for drones and missiles
# together. A figure with a missing part is missing, and so is a rate with one: the missiles' `not_reach_goal`
# is not reported, so their `stopped_rate` is missing, not computed as if it were 0.

# %%
print(cs.reports.notebooks.whole(cs.panels.strikes.night_totals(strikes, "2025-03-18", "2025-03-21")))

# %% [markdown]
# How these nights compare with the other reported nights of January-April 2025 (national drone
# launches; days without an entry are missing, not zero, and not counted here):

# %%
panel.loc["2025-01-01":"2025-04-30", ("launched", "air_force", "attack_drone")].describe().round(1)

# %% [markdown]
# The regional command PvKPivden's daily (date-only) reports for the same days: a separate series, not added to the national one.

# %%
print(cs.reports.notebooks.whole(cs.panels.strikes.reports_between(
    strikes, "2025-03-16", "2025-03-21", bodies=["pvk_pivden"],
    columns=["attribution_date", "model_canonical", "weapon_class", "launched", "destroyed"])))

# %% [markdown]
# ## Victory Day 2025
# No national drone entries for the nights ending 8, 9 and 10 May 2025. Under the default policy those days are missing; under `missing="zero"` they are zeros (inside the Air Force's coverage).

# %%
na = cs.panels.strikes.daily_panel(strikes, bodies=["air_force"], classes=["attack_drone"])
cs.panels.strikes.to_long(na).set_index("date").loc["2025-05-06":"2025-05-12"]

# %%
zero = cs.panels.strikes.daily_panel(strikes, bodies=["air_force"], classes=["attack_drone"], missing="zero")
cs.panels.strikes.to_long(zero).set_index("date").loc["2025-05-06":"2025-05-12"]

# %% [markdown]
# ## Interception rates
# Two named definitions: `destroyed_rate` = destroyed / launched; `stopped_rate` = (destroyed + not_reach_goal) / launched (not_reach_goal is reported from July 2024 only).

# %%
rates = cs.panels.strikes.interception_rates(panel)
rates.loc["2025-03-17":"2025-03-21", (slice(None), "air_force", "attack_drone")].round(3)

# %% [markdown]
# Pooled over the four nights, with intervals (`cs.analysis.rates.interception_rate`): Wilson and Clopper-Pearson treat every drone as an independent trial and are far too narrow when nights differ; the quasi-binomial interval allows nights to differ and is the one to read with four nights (the night-clustered one needs about 20).

# %%
march = cs.panels.strikes.night_totals(strikes, "2025-03-18", "2025-03-21").reset_index()
rates_march = cs.analysis.rates.interception_rate(march[march["class_group"] == "drone"], night="attribution_date")
rates_march[["measure", "method", "estimate", "ci_low", "ci_high", "n_nights", "dispersion"]]

# %% [markdown]
# ## Conclusion
#
# Computed from the tables above when the notebook runs (`cs.reports.findings.air_force_strikes`), so the text cannot drift from them.

# %%
from IPython.display import Markdown

Markdown(cs.reports.findings.air_force_strikes(strikes, ledger))
