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
# Method: the `truce_effects` table (`cs.analysis.truce_effects`, methods in `docs/analysis.md`). **One
# primary analysis per window**, declared before the results in the committed analysis plan
# (`src/ceasefire_stats/curated/analysis_plan/plan.yaml`): Russia's stated boundaries (or the one announced
# definition), missing days missing (`na`), 28 days before and after, `cs.analysis.window_effect` (NB2 local
# level; a profile-likelihood interval with a design effect for serial dependence, an exact interval for
# windows with 0-2 events; a permutation p-value against same-length blocks of the year before). Every
# other row (definitions, the `zero` policy, 7/14/28-day baselines, before/after, ITS families) is the
# specification curve around it. Each estimate carries the reporting check: the share of days with a
# report in the window and around it.

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
# Each truce up close (21 days either side), one figure per window: the strip at the top draws each
# definition as a bar on its own line; below it one panel per series. A grey tick at the bottom is a day
# **without a report** (no bar), which is not the same as a bar at 0. The Air Force file has no national
# drone entry on the nights of Easter 2025 (20 April), Victory Day 2025 (8-10 May) and Easter 2026 (12 April).

# %%
from IPython.display import display

for window_id in cs.reports.figures.CLOSEUP_WINDOWS:
    display(cs.reports.figures.FIGURES[f"04_truce_closeup_{window_id}"](tables))

# %% [markdown]
# ## The primary estimate of each window
# One row per planned window and series (`primary` rows of the table): the rate ratio of the window against
# the local line around it with its 95 % interval, how the interval was made, the permutation p-value, and
# the reporting check (share of days with a report, window vs baseline). A row without an estimate says
# why: that is what the data cannot say.

# %%
effects = cs.load("truce_effects")
cs.analysis.truce_summary.primary(effects).drop(columns=["ci_low", "ci_high"])

# %% [markdown]
# ## The specification curve around it
# Every other estimated row per series and window: how far the ratio moves with the choices, how many
# intervals exclude 1 (NB rows use HAC errors only on windows of 28 days or more: on shorter ones the Monte
# Carlo test shows HAC covering far less than 95 %), and the median randomisation p-value of the ITS rows against
# placebo dates of the same series within a year (only spans with 90 % of days reported; only truces that
# began excluded). "k of n exclude 1" is not evidence by itself: on a null window many rows exclude 1 too.

# %%
cs.analysis.truce_summary.curve(effects, windows)

# %% [markdown]
# ## Before/after and interrupted time series, each window and definition
# `headline` reads two rows of the curve per series and definition, 14-day baseline: the window against
# the 14 days before (`before_after`, exact conditional interval scaled by the dispersion) and the local
# ITS level change on 14 days either side (`its_level`, NB2; HAC errors only on windows of 28 days or more;
# an exact interval when the window has no event). `placebo_pct`: where the window's level rate ratio falls
# among placebo dates. Rate ratio < 1 means fewer per day in the window.

# %%
head_na = cs.analysis.truce_summary.headline(effects, windows, policy="na")
head_na.drop(columns="note")

# %% [markdown]
# **A day without a report counts 0 (`zero`)** within the source's coverage: the short truces become
# zero-event windows (rate ratio 0, exact upper bound), and their reporting check says 0 % of the window's
# days have a report: a change in reporting, not a measured change in attacks.

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
# The same local level-change model (Poisson point estimates, 28 days either side) at every 7th date within
# a year of the window whose local span is 90 % reported, truces that began excluded: how large a "change"
# ordinary periods of the same length produce.

# %%
checks = cs.reports.figures.placebo_checks(tables)
cs.analysis.truce_summary.placebo_table(checks)

# %%
fig = cs.plots.truces.placebo_histograms(checks)
fig

# %% [markdown]
# The whole table is written to [truce_effects.csv](truce_effects.csv) beside this notebook.

# %%
effects.to_csv("truce_effects.csv", index=False)
effects.shape

# %% [markdown]
# ## Conclusion
# Rendered from the table (`cs.analysis.truce_summary.findings`): for each planned window and series, the
# primary estimate with its interval, the reporting check, the curve around it, and where there is no
# estimate, why. The energy moratorium concerned strikes on **energy targets**, not launches in general:
# these series count every drone launched, whatever its target, so they cannot show whether energy targets
# were spared. A lower MoD claim can mean fewer Ukrainian drones or fewer or shorter MoD posts; nothing here
# compares it with Russian launches. Nights without a national Air Force report (Easter 2025, Victory Day
# 2025, Easter 2026) cannot tell "no launches" from "no report".

# %%
from IPython.display import Markdown

Markdown(cs.analysis.truce_summary.findings(effects, windows))
