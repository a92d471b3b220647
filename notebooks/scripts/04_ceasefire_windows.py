# %% [markdown]
# # 04 · Ceasefire windows: did anything change?
#
# **Question.** Did Russian launches of drones and missiles at Ukraine fall during the March 2025 energy
# moratorium, the Easter and Victory Day 2025 truces, the winter 2026 pause and Easter 2026; and did the
# Russian MoD's claimed interceptions of Ukrainian drones change in the same windows?
#
# Two directions, two claimants, never one comparison: **Russian weapons launched at Ukraine** are the
# Ukrainian Air Force's national counts (`ru_to_ua`, Kyiv attribution dates); **Ukrainian drones claimed
# destroyed** are the Russian MoD's claims (`ua_to_ru`, Moscow attribution dates). They are estimated as
# separate series and drawn on separate panels. Every number is somebody's claim.
#
# Method: the `truce_effects` table (`cs.analysis.truce_effects`, methods in `docs/analysis.md`): for every
# window definition, missing-day policy (`na`: a day without a report is missing; `zero`: 0 within the
# source's coverage), baseline (7, 14, 28 days) and family, a before/after rate ratio (exact conditional,
# and scaled by the dispersion) and a local interrupted time series level change (Poisson naive,
# quasi-Poisson and NB2 with Newey-West errors), with a placebo percentile.

# %%
import ceasefire_stats as cs

cs.reports.notebooks.setup()

# %% [markdown]
# ## Data versions
# The raw files the tables are built from, by registry name and sha256 (verified on this machine):

# %%
status = cs.status()
print(status[["name", "sha256", "verified"]].to_string(index=False))

# %% [markdown]
# ## The calendar
# Every window and every definition of a disputed one (`src/ceasefire_stats/curated/calendar/`), as
# curated: start and end in UTC, status, scope and the convention used where a source gave a day but no
# clock time. Only `in_force` and `disputed` windows are national truces that began; the others are rows
# of the results table with a note and no estimate.

# %%
windows = cs.load("ceasefire_windows")
windows[["window_id", "definition", "status", "scope", "start", "end", "time_convention"]]

# %%
windows[["window_id", "definition", "declared_by"]]

# %% [markdown]
# ## The series, with the windows shaded
# Grey dots: each reported day; line: the mean of the reported days in the trailing 28 calendar days,
# drawn only where at least half of them are reported (`cs.analysis.smoothing.calendar_mean`). A dashed
# line marks the start of the open-ended Ukrainian definition of the winter pause. The figures are drawn
# by the same functions that `ceasefire-stats figures` (`make figures`) uses to write them to `figures/`
# (`04_*.png`/`.svg`); this notebook only shows them.

# %%
tables = cs.reports.figures.load_tables()
fig = cs.reports.figures.FIGURES["04_truce_series"](tables)
fig

# %% [markdown]
# Each truce up close (21 days either side). Coloured bars at the top are the definitions; a grey tick
# at the bottom is a day **without a report** (no bar), which is not the same as a bar at 0. The Air Force
# file has no national drone entry on the nights of Easter 2025 (20 April), Victory Day 2025 (8-10 May)
# and Easter 2026 (12 April).

# %%
fig = cs.reports.figures.FIGURES["04_truce_closeups"](tables)
fig

# %% [markdown]
# ## Before/after and interrupted time series, each window and definition
# `headline` reads two rows of the table per series and definition, 14-day baseline: the window against
# the 14 days before (`before_after`, exact conditional interval scaled by the dispersion) and the local
# ITS level change on 14 days either side (`its_level`, NB2 with HAC errors; an exact interval when the
# window has no event). `placebo_pct`: where the window's level rate ratio falls among non-truce dates.
# Rate ratio < 1 means fewer per day in the window.
#
# **Missing days stay missing (`na`)**: the short truces have no estimate, because the truce nights have
# no report.

# %%
effects = cs.load("truce_effects")
head_na = cs.analysis.truce_summary.headline(effects, windows, policy="na")
head_na.drop(columns="note")

# %%
head_na.loc[head_na["note"] != "", ["series", "window_id", "definition", "note"]]

# %% [markdown]
# **A day without a report counts 0 (`zero`)** within the source's coverage: the short truces become
# zero-event windows (rate ratio 0, exact upper bound).

# %%
head_zero = cs.analysis.truce_summary.headline(effects, windows, policy="zero")
head_zero.drop(columns="note")

# %%
fig = cs.reports.figures.FIGURES["04_truce_effects_na"](tables)
fig

# %%
fig = cs.reports.figures.FIGURES["04_truce_effects_zero"](tables)
fig

# %% [markdown]
# ## Placebo distribution: the energy moratorium
# The same local level-change model (Poisson point estimates, 28 days either side) at every 7th non-truce
# date: how large a "change" ordinary periods of the same length produce. Percentile 25 means a quarter
# of ordinary periods fell further.

# %%
checks = cs.reports.figures.placebo_checks(tables)
cs.analysis.truce_summary.placebo_table(checks)

# %%
fig = cs.plots.truces.placebo_histograms(checks)
fig

# %% [markdown]
# ## Sensitivity: how far the answer moves with the choices
# Per series and definition, over every estimated row of the table (both policies, baselines of 7, 14 and
# 28 days, before/after against the days before and after, ITS with three families): the range of the
# rate ratios and how many 95 % intervals lie wholly below 1, wholly above 1, or contain 1. The whole table
# (1,794 rows) is written to [truce_effects.csv](truce_effects.csv) beside this notebook.

# %%
cs.analysis.truce_summary.spread(effects, windows)

# %%
effects.to_csv("truce_effects.csv", index=False)
effects.shape

# %% [markdown]
# ## Conclusion
# From the numbers above (14-day baselines unless said; intervals are 95 %):
#
# - **Energy moratorium (March-April 2025), Russian drones launched at Ukraine.** The daily mean was
#   lower than in the 14 days before: 108.6 vs 133.6 per reported day on Russia's dates (from 18 March),
#   92.9 vs 138.4 on Ukraine's (from 25 March). On Russia's dates the intervals include no change
#   (before/after 0.81, 0.63-1.06; ITS 0.88, 0.68-1.14); on Ukraine's dates they exclude it (0.67,
#   0.51-0.88; 0.74, 0.57-0.97). But ordinary periods of the same length fall as much often: the windows
#   sit at the 25th and 16th percentiles of 117-118 placebo dates. Over all 42 estimates per definition the
#   ratios range 0.67-1.27 (Russia's dates; 13 intervals below 1, 26 containing 1) and 0.54-1.06 (Ukraine's;
#   32 below 1). **Not supported**: that launches in general fell because of the moratorium. The
#   moratorium concerned strikes on **energy targets**, not launches in general; these series count every
#   drone launched, whatever its target, so they cannot show whether energy targets were spared.
# - **Missiles** are reported on a minority of days (a missing day is usually a night without missiles,
#   but the `na` series cannot say so), so the intervals are wide: energy moratorium before/after 0.43
#   (0.02-4.59) on Russia's dates. The winter 2026 pause is the clearest change in any series: about
#   1 missile per reported day in the 3-7 days of the Kremlin's and Trump's definitions against about 8
#   before (ITS 0.09-0.10, 0.05-0.35 with HAC errors, placebo percentile about 5), but the exact
#   before/after intervals still include 1 (upper bounds 1.5-6.9): a few days, few events.
# - **Easter 2025, Victory Day 2025, Easter 2026**: the Air Force file has **no national drone entry** on
#   the truce nights, while it has one on about 98 % of 2025 days. Whether that means no launches or no
#   report cannot be told from this file: with missing days missing there is no estimate; read as zeros,
#   Victory Day's three nights give 0 (exact upper bound 0.06 for drones) and the one-night Easter truces 0
#   with upper bounds of 1.08 (2025) and 2.13 (2026), i.e. a single night cannot show a change.
# - **Winter 2026 pause, drones**: lower on the 3-7-day definitions (ITS 0.57, 0.41-0.78 on the Kremlin's
#   dates; 0.72, 0.59-0.88 on Trump's) but the before/after intervals include 1 and the placebo
#   percentiles are 11-24: weak. The open-ended Ukrainian definition is not a truce window (to the end of
#   the data) and shows no fall.
# - **The MoD's claimed interceptions** (Ukrainian drones claimed destroyed, another direction and
#   claimant) were lower in the energy moratorium on Ukraine's dates (0.49, 0.26-0.91; ITS 0.63,
#   0.41-0.98) and in the winter pause on Trump's dates (0.48, 0.23-0.90), with placebo percentiles of
#   9-34. A lower claim can mean fewer Ukrainian drones or fewer or shorter MoD posts; nothing here
#   compares it with Russian launches.
#
# In short: the data support a short, sharp drop in missile launches around the winter 2026 pause and the
# absence of national drone reports on the nights of the three short truces; they do not support a general
# fall in launches during the energy moratorium beyond what ordinary periods show.
