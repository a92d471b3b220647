# %% [markdown]
# # 02 · Russian MoD claims: Ukrainian drones destroyed, parsed from the posts
#
# The Russian Ministry of Defence's Telegram channel (@mod_russia) reports Ukrainian drones its air defence
# claims to have destroyed over Russia and occupied areas. The file used here is Androm2018's keyword-filtered
# scrape (`mod_russia_clean.csv`, 5,927 posts, texts cut at 400 characters, times in UTC). Its own
# `drone_count` column is wrong in most reports, so every number below is parsed from the text by
# `ceasefire_stats.clean.mod_posts` (see `docs/mod_posts.md`).
#
# These are **claims by one side** (`claimant = ru_mod`, `direction = ua_to_ru`), not verified counts.

# %%
import ceasefire_stats as cs

cs.reports.notebooks.setup()

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
# footer totals are never added; a report whose window overlaps one already counted is left out and listed.
# Days with no report are missing, not zero: the file is a keyword-filtered scrape.

# %%
daily = cs.panels.mod.daily_interceptions(posts)
daily.describe()

# %%
cs.panels.mod.overlap_summary(posts)

# %%
fig = cs.plots.mod.daily_interceptions_figure(daily, windows=cs.load("ceasefire_windows"))
cs.plots.figure.save_figure(fig, "mod_daily_interceptions")
fig

# %% [markdown]
# ## Top regions in the breakdowns

# %%
cs.analysis.mod_parser_accuracy.top_regions(posts, regions, n=12)

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
cs.analysis.mod_parser_accuracy.accuracy(labels, posts, regions)

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
# *Sources:* texts by the Russian Ministry of Defence (Telegram @mod_russia); scrape by Androm2018
# (ukraine-drone-weather-analysis, commit e9f7b177). No licence is stated for the data.
