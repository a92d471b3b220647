# %% [markdown]
# # 02 · Russian MoD claims: Ukrainian drones destroyed, parsed from the posts
#
# The Russian Ministry of Defence's Telegram channel (@mod_russia) reports Ukrainian drones its air defence
# claims to have destroyed over Russia and occupied areas. The file used here is Androm2018's keyword-filtered
# scrape (`mod_russia_clean.csv`, 5,927 posts, texts cut at 400 characters, times in UTC). Its own
# `drone_count` column is wrong in most reports, so every number below is parsed from the text by
# `ceasefire_stats.clean.mod_posts` (see `docs/mod_posts.md`).
#
# **Question.** How many Ukrainian drones does the Russian MoD claim to have destroyed, day by day and by
# region, and how far can the numbers parsed from its posts be trusted?
#
# These are **claims by one side** (`claimant = ru_mod`, `direction = ua_to_ru`), not verified counts.

# %%
import ceasefire_stats as cs

cs.reports.notebooks.setup()

# %% [markdown]
# ## Data versions
# The registry file (sha256, verified on this machine) behind the `mod_posts` table.

# %%
print(cs.reports.notebooks.data_versions("mod_posts").to_string(index=False))

# %%
posts = cs.load("mod_posts")
regions = cs.load("mod_post_regions")
len(posts), len(regions)

# %% [markdown]
# ## Ledger: where every raw post went
#
# Every raw row ends as `kept` (a parsed intercept report), `not_claim` (a digest or another post) or
# `rejected` with a reason; duplicates (same time and text) would be listed too (there are none).

# %%
cs.analysis.mod_parser_accuracy.ledger_by_outcome(cs.pipeline.load_ledger("mod_posts").rows)

# %%
cs.analysis.mod_parser_accuracy.kinds_and_windows(posts)

# %% [markdown]
# ## Daily series of claimed interceptions
#
# One value per Moscow-time attribution date (the package's night rule: a window is attributed to the date of
# its last instant, so an overnight report counts for the morning it ends). Only intercept reports count;
# footer totals are never added. When windows overlap, a covering report restates the reports its stated window
# holds (`cs.nights.mod_report_restates`, docs/mod_posts.md): `drones_destroyed` leaves out those restated the same
# day, `drones_destroyed_low` counts no drone twice across days (sum this one over a span), `drones_destroyed_high`
# counts every report, and `overlap_flag` marks the days where the bounds differ.
# Days with no report are missing, not zero: the file is a keyword-filtered scrape.

# %%
daily = cs.panels.mod.daily_interceptions(posts)
daily.describe()

# %%
str(daily.index[0].date()), str(daily.index[-1].date())

# %%
cs.panels.mod.overlap_summary(posts)

# %%
fig = cs.plots.mod.daily_interceptions_figure(daily, windows=cs.load("ceasefire_windows"))
cs.plots.figure.save_figure(fig, "mod_daily_interceptions")
fig

# %% [markdown]
# ## Top regions in the breakdowns
#
# One overlap rule everywhere: the regions are summed over the same reports as the daily series
# (`cs.panels.mod.counted_reports`), so the region rows, `other_regions` and `no_region_count` (headline drones
# no regional item counts: cut texts, reports without a list) add up to `total_counted`, the daily series'
# total. The `left_out_*` rows say how many intercept reports the daily series does not count and how many
# drones their breakdowns name; they are not in the total.

# %%
print(cs.reports.notebooks.whole(cs.analysis.mod_parser_accuracy.top_regions(posts, regions, n=12)))

# %% [markdown]
# ## Are the breakdowns complete and consistent?
#
# `complete`: the per-region list sums to the headline. `incomplete`: the text is cut before the list adds up
# (or a region has no count of its own). `sum_mismatch`: a whole list that does not add up. `none`: no
# per-region counts. The last row is the share of whole lists that sum to the headline.

# %%
cs.analysis.mod_parser_accuracy.breakdown_consistency(posts)

# %% [markdown]
# ## Accuracy on the hand-checked label set
#
# `src/ceasefire_stats/curated/labels/mod_labels.csv` (183 posts, labelled by another helper without running the parser). The
# parser was developed while these labels were available, so this is a development-set figure, not a
# held-out one.

# %%
labels = cs.analysis.mod_parser_accuracy.load_labels()
print(cs.reports.notebooks.whole(cs.analysis.mod_parser_accuracy.accuracy(labels, posts, regions)))

# %% [markdown]
# 124 of 124 labelled totals are exact; the exact 95% (Clopper-Pearson) interval for the share of reports whose total the parser reads right:

# %%
[round(bound, 3) for bound in cs.analysis.rates.clopper_pearson(124, 124)]

# %% [markdown]
# ## Parsed totals against the file's `drone_count`
#
# The scraper's count takes the first number next to a drone word: word numerals give 0, itemised reports
# give the first region's count. Per year, over intercept reports with a parsed headline:

# %%
cs.analysis.mod_parser_accuracy.naive_vs_parsed(posts)

# %% [markdown]
# And the naive column also gives counts to digests and other posts, which are not reports:

# %%
cs.analysis.mod_parser_accuracy.digest_counts(posts)

# %% [markdown]
# ## Conclusion
#
# Computed from the tables above when the notebook runs (`cs.reports.findings.mod_claims`), so the text cannot drift from them.

# %%
from IPython.display import Markdown

Markdown(cs.reports.findings.mod_claims(posts, regions, labels))

# %% [markdown]
# *Sources:* texts by the Russian Ministry of Defence (Telegram @mod_russia); scrape by Androm2018
# (ukraine-drone-weather-analysis, commit e9f7b177). No licence is stated for the data.
