# %% [markdown]
# # 03 · Claims about the 2025 truces: each side's tally, and what the records can say
#
# The claims ledger holds one curated file per source document: the seed article of 20 March 2025 (part 1) and public statements of both sides about the energy moratorium, the Easter truce and the Victory Day truce of 2025 (part 2). Every number is somebody's claim; the tables say whose (`claimant`), who says it in the source (`speaker`), whose conduct it is about (`subject_side`) and, for weapons, which way they flew (`ru_to_ua`, `ua_to_ru`).
#
# ## Part 1 · The seed article (18–20 March 2025)
#
# **Question.** The seed article reports two numbers for the night of 18→19 March 2025, the night after Putin told Trump he had ordered a halt to strikes on energy facilities: Zelenskyy's *150 Russian drones launched at Ukraine* and the Russian MoD's *57 Ukrainian drones intercepted over Russia*. Does each agree with the records of the body that counts such things, and was that night unusual for either side?
#
# The article is curated in `src/ceasefire_stats/curated/claims/2025-03-20_seed_trump_zelenskyy_call.yaml`: one record per attributable statement (format: `src/ceasefire_stats/curated/claims/README.md`; rules: `docs/claims.md`). The article itself is not in the repository. Every number below is somebody's claim; the tables say whose (`claimant`), who says it in the source (`speaker`), and which way the weapons flew (`ru_to_ua`: Russian weapons launched at Ukraine; `ua_to_ru`: Ukrainian drones over Russia).

# %%
import ceasefire_stats as cs

cs.reports.notebooks.setup()

# %% [markdown]
# ## Data versions
# The registry files and curated folders behind this notebook's tables (sha256; `verified` = checked on this machine).

# %%
print(cs.reports.notebooks.data_versions("claims", "claim_checks").to_string(index=False))

# %%
ledger = cs.load("claims")
source_errors = cs.load("claim_source_errors")
claims = cs.plots.claims.document(ledger)  # the seed article's claims
ledger.shape, ledger["source_doc"].nunique(), claims.shape

# %% [markdown]
# ## The source document
# Its time stamp is printed without a zone and the text does not settle one (an Australian reading would put it before the calls it reports), so the publication time is an interval: every reading from UTC+14 to UTC−12. No statement in the ledger starts after its end.

# %%
claims[["source_doc", "source_published_stamp", "source_published_tz", "source_published_from",
        "source_published_to"]].drop_duplicates().T

# %%
bool((claims["said_from"] < claims["source_published_to"]).all())

# %% [markdown]
# Errors in the source, flagged by the curator (`source.errors`; table `claim_source_errors`):

# %%
for row in source_errors[source_errors["source_doc"] == cs.plots.claims.SEED_DOC].itertuples():
    print(f"{row.source_doc}: {row.error_code}: \"{row.error_text}\"\n    {row.error_note}")

# %% [markdown]
# ## The ledger: every claim
# One block per claim, in the order the statements were made (UTC): id, when (the speaker's local day, `+-1d` when only roughly known, or the minute), whose claim it is (`claimant <- speaker` when the source quotes someone else reporting it), type and number; then the quote with whose wording it is (`direct` = the speaker's words in quotation marks, `paraphrase` = the outlet's), or the curator's note where there is no quote.

# %%
print(cs.analysis.claim_checks.claims_table(claims))

# %% [markdown]
# Numeric claims, with the number as stated and the range it was parsed into (`value_high` null = open-ended; the night is the local date it ends on):

# %%
claims.loc[claims["claim_type"] == "count",
           ["claim_id", "claimant", "count_number_text", "value_low", "value_high", "count_noun",
            "count_metric", "direction", "attribution_date"]]

# %% [markdown]
# ## Who said what, when
# One lane per claim, grouped by claimant. Each bar spans the interval in which the statement was made (a minute, the speaker's local day, or ±1 day when only roughly known), in **UTC**, cut at the source's latest possible publication; hollow markers are claims the source reports through another speaker. The grey band is the article's publication: the stamp `2025-03-20 00:47:00` in any zone.

# %%
fig = cs.plots.claims.claims_timeline(claims, tz="UTC", title="Seed article: who said what, when (UTC)")
cs.plots.figure.save_figure(fig, "03_claims_timeline")
fig

# %% [markdown]
# ## Checking the numeric claims against the counts
# Which record tables are loaded in this build:

# %%
inputs = {name: cs.load(name) for name in cs.analysis.claim_checks.NEEDS}
{name: None if table is None else len(table) for name, table in inputs.items()}

# %% [markdown]
# One verdict per claim (`verdict_basis`): `consistent` (another body's records lie in the claimed range), `matches_source` (the claimant's **own** records do: the number was reported as its source published it, not corroboration), `inconsistent`, or `not_checkable` with the reason. `about` tolerance: ±10 % (`check_claims(about_tolerance=...)`); an unqualified round number is read as `about` it.

# %%
all_checks = cs.load("claim_checks")
checks = all_checks[all_checks["claim_id"].isin(claims["claim_id"])].reset_index(drop=True)
cs.analysis.claim_checks.verdicts(checks)[["claim_id", "claimant", "records_claimant", "value_low",
                                           "value_high", "recorded_value", "difference", "verdict"]]

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

# %% [markdown]
# ## The two numbers in context
# The nights around 18→19 March from both sides, on separate panels with their own axes: Russian weapons launched at Ukraine (the Ukrainian Air Force's national reports, Kyiv date the night ends, drones and missiles apart) and the Ukrainian drones the Russian MoD claims it destroyed (all its reports of the Moscow date). Two claimants, two directions: the panels are never compared with each other. The black ticks are the article's claims.

# %%
fig = cs.plots.claims.nights_in_context(inputs["strikes"], inputs["mod_posts"], night="2025-03-19",
                                        claims=claims)
cs.plots.figure.save_figure(fig, "03_nights_in_context")
fig

# %% [markdown]
# The numbers drawn: the Air Force's launches per night (missing = no national report of that class)

# %%
cs.plots.claims.launches_by_group(inputs["strikes"], "2025-03-14", "2025-03-24")

# %% [markdown]
# and the MoD's claimed interceptions per Moscow date (`reports` = reports summed that day):

# %%
cs.panels.mod.daily_interceptions(inputs["mod_posts"]).loc["2025-03-14":"2025-03-24",
                                                           ["drones_destroyed", "reports"]]

# %% [markdown]
# ## Conclusion
#
# Computed from the tables when the notebook runs (`cs.reports.findings.seed_numbers`). The claims about targets (Putin's order, "Russia stopped strikes on energy facilities", Zelenskyy's mirror pledge) and the counts of hospitals, homes and tanks are `not_checkable` (the table above gives each reason): the counts record weapons, nationally, not what they were aimed at or hit.

# %%
from IPython.display import Markdown

Markdown(cs.reports.findings.seed_numbers(cs.load("strikes"), cs.load("mod_posts"), cs.load("mod_post_regions"), all_checks))

# %% [markdown]
# ## Part 2 · The 2025 truces: both sides' claims
#
# Curated from official statements as carried by news outlets and wire services, and from the MoD's own posts (cited by post id): one file per source document in `src/ceasefire_stats/curated/claims/`, each with its address and access date. A source that prints no clock time or zone says so (`published_tz: unknown`, `said_tz: unknown`): the day is then read at every offset. The calendar (`ceasefire_windows`, notebook 04) gives each truce its bounds; a claim "during the Easter truce" is linked to it by `window_id` rather than retyped.

# %%
windows = cs.load("ceasefire_windows")
truces = ledger[ledger["source_doc"] != cs.plots.claims.SEED_DOC]
truces.groupby(["source_doc", "source_outlet", "source_accessed"], sort=True).size().rename("claims").reset_index()

# %% [markdown]
# Every numeric claim whose counted period (or, without one, the time it was said) lies in a truce window of the calendar, under any of its definitions, or in the two days after it (`when = after`: the Air Force's first nights after the truce), with its verdict:

# %%
tallies = cs.analysis.claim_checks.truce_tallies(ledger, all_checks, windows)
print(cs.reports.notebooks.whole(tallies[["window_id", "when", "claimant_side", "subject_side", "claimant", "count_number_text", "count_noun",
         "count_metric", "verdict", "recorded_value"]]))

# %% [markdown]
# ### Each side's tally of the other's violations
# Side by side, per truce: the side that counts (`claimant_side`), whose conduct it counts (`subject_side`), and the numbers as stated, in the order they were said. Two sides' tallies of each other are two claims, never one comparison: they count different things (Russia's tallies are of Ukrainian fire on Russian positions and border regions; Ukraine's of Russian assaults, shellings and FPV drone uses), over windows that do not coincide (Zelenskyy's 2,935 is Easter Sunday, the MoD's 4,900 the whole truce; the Victory Day figures are interim tallies at different hours).

# %%
cs.analysis.claim_checks.side_by_side(tallies, "violations")

# %% [markdown]
# The parts each side gave (assaults, shellings, drone strikes: counted as events):

# %%
cs.analysis.claim_checks.side_by_side(tallies, "attacks")

# %% [markdown]
# ### Strikes on energy sites during the moratorium
# Each side's count of the other's strikes on its energy sites (the MoD's daily tallies; a Ukrainian adviser's count since 18 March); the General Staff called the MoD's reports fake.

# %%
cs.analysis.claim_checks.side_by_side(tallies, "energy_strikes")

# %% [markdown]
# ### What the records can say
# No loaded record counts violations, attacks or strikes on energy sites: those claims are `not_checkable`, with the reason. For a claim with a truce window, a context row shows what the accused side's weapons did in that window according to the other side's records: the Air Force's national reports for Russia, the MoD's interception posts for Ukraine (0 reports is itself the record: neither source posted an overnight report whose window's middle falls inside the Easter truce).

# %%
reasons = all_checks[all_checks["claim_id"].isin(tallies["claim_id"])
                     & all_checks["basis"].isin(["none", "window_context"])]
print(cs.reports.notebooks.whole(reasons[["claim_id", "basis", "records_claimant", "n_records", "recorded_value", "reason"]]))

# %% [markdown]
# The counts the records can check are the Air Force's own nights after each truce and the MoD's own posts. Against their own source they can only `match_source`: the outlet reported the number as published, nothing more. The MoD's "158 overnight" of 9 April 2025 is compared with its covering overnight post (the overlap rule, `docs/mod_posts.md`), and "29 over the Rostov region" with the Rostov line of that post, never with the national total:

# %%
checkable = all_checks[all_checks["claim_id"].isin(tallies["claim_id"]) & all_checks["verdict_basis"]
                       & (all_checks["verdict"] != "not_checkable")]
checkable[["claim_id", "basis", "count_metric", "direction", "count_number_text", "recorded_value", "record_ids",
           "verdict"]]

# %% [markdown]
# ## Conclusion (the 2025 truces)
#
# Computed from the ledger and its checks when the notebook runs (`cs.reports.findings.truce_claims`), so the text cannot drift from the tables above.

# %%
Markdown(cs.reports.findings.truce_claims(ledger, all_checks, windows))
