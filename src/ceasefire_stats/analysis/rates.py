"""Proportions and rate ratios with intervals that stay honest on small and zero counts.

- :func:`interception_rate`: destroyed/launched (and stopped/launched) pooled over nights,
  one row per interval method (Wilson, Clopper-Pearson, quasi-binomial, night-clustered).
- :func:`before_after`: a window's daily rate against the days before and after it, with an
  exact conditional interval (finite when the window has zero events) and an
  overdispersion-scaled version of it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ceasefire_stats.analysis.counts import daily
from ceasefire_stats.analysis.errors import AnalysisError

DAY = pd.Timedelta(days=1)


# ---------------------------------------------------------------------------------------------
# pure helpers
# ---------------------------------------------------------------------------------------------
def clopper_pearson(x: float, n: float, alpha: float = 0.05) -> tuple[float, float]:
    """Clopper-Pearson bounds for ``x`` successes out of ``n``; ``x``/``n`` may be non-integer
    (effective counts after a dispersion scaling), the beta-quantile form is used.

    >>> [round(b, 4) for b in clopper_pearson(0, 10)]
    [0.0, 0.3085]
    >>> [round(b, 4) for b in clopper_pearson(7, 10)]
    [0.3475, 0.9333]
    """
    from scipy import stats  # imported when used: importing the package stays light

    if n <= 0:
        return 0.0, 1.0
    lo = 0.0 if x <= 0 else float(stats.beta.ppf(alpha / 2, x, n - x + 1))
    hi = 1.0 if x >= n else float(stats.beta.ppf(1 - alpha / 2, x + 1, n - x))
    return lo, hi


def share_to_rate_ratio(p: float, exposure_window: float, exposure_baseline: float) -> float:
    """Rate ratio implied by the window's share ``p`` of the events, given both exposures.

    Conditional on the total, the window count is binomial with
    ``p = e_w RR / (e_w RR + e_b)``, so ``RR = p / (1 - p) * e_b / e_w``.

    >>> share_to_rate_ratio(0.5, 3, 6)
    2.0
    >>> share_to_rate_ratio(1.0, 3, 6)
    inf
    """
    if p >= 1:
        return float("inf")
    return float(p / (1 - p) * exposure_baseline / exposure_window)


def exact_rate_ratio(
    x_window: float,
    days_window: float,
    x_baseline: float,
    days_baseline: float,
    alpha: float = 0.05,
    dispersion: float = 1.0,
) -> dict:
    """Rate ratio of two Poisson counts with the exact conditional (binomial) interval.

    Conditions on the total ``n = x_window + x_baseline``; Clopper-Pearson on the window's
    share is mapped to the rate ratio with the exposures (days). With ``dispersion > 1`` both
    counts are divided by it first (effective counts, quasi-Poisson style): an approximate
    overdispersion-aware interval that keeps the exact method's finiteness at zero.
    The upper bound is finite whenever the *baseline* has events, even if the window has none.

    >>> r = exact_rate_ratio(0, 3, 60, 3)
    >>> r["rate_ratio"], round(r["ci_low"], 4), round(r["ci_high"], 4)
    (0.0, 0.0, 0.0634)
    >>> round(exact_rate_ratio(10, 5, 20, 5)["p_value"], 4)
    0.0987
    """
    from scipy import stats  # imported when used: importing the package stays light

    for name, value in (("x_window", x_window), ("x_baseline", x_baseline)):
        if not np.isfinite(value) or value < 0:
            raise AnalysisError(f"exact_rate_ratio: {name} = {value} is not a count (must be finite and >= 0)")
    for name, value in (("days_window", days_window), ("days_baseline", days_baseline)):
        if not np.isfinite(value) or value <= 0:
            raise AnalysisError(f"exact_rate_ratio: {name} = {value} must be a positive exposure")
    if not np.isfinite(dispersion) or dispersion < 1:
        raise AnalysisError(f"exact_rate_ratio: dispersion = {dispersion} must be >= 1")
    xw, xb = x_window / dispersion, x_baseline / dispersion
    n = xw + xb
    if x_window + x_baseline == 0:
        return {"rate_ratio": np.nan, "ci_low": 0.0, "ci_high": np.inf, "p_value": 1.0,
                "note": "no events in the window nor in the baseline: the rate ratio is undefined"}
    lo, hi = clopper_pearson(xw, n, alpha)
    rr = np.inf if x_baseline == 0 else (x_window / days_window) / (x_baseline / days_baseline)
    p0 = days_window / (days_window + days_baseline)
    if dispersion == 1.0:
        p_value = float(stats.binomtest(int(x_window), int(x_window + x_baseline), p0).pvalue)
    else:  # two-sided tail of the scaled binomial, via the beta-binomial-free incomplete beta
        cdf = stats.beta.sf(p0, xw + 1, n - xw) if xw < n else 1.0  # P(X <= xw)
        sf = stats.beta.cdf(p0, xw, n - xw + 1) if xw > 0 else 1.0  # P(X >= xw)
        p_value = float(min(1.0, 2 * min(cdf, sf)))
    return {
        "rate_ratio": float(rr),
        "ci_low": share_to_rate_ratio(lo, days_window, days_baseline),
        "ci_high": share_to_rate_ratio(hi, days_window, days_baseline),
        "p_value": p_value,
        "note": "" if x_baseline > 0 else "no events in the baseline: the upper bound is infinite",
    }


def pearson_dispersion(groups: list[np.ndarray]) -> float:
    """Pearson chi-square over degrees of freedom of daily counts around their group means
    (one mean per period), floored at 1; 1 when there are no degrees of freedom.

    >>> pearson_dispersion([np.array([1, 1, 1]), np.array([0, 0])])
    1.0
    >>> round(pearson_dispersion([np.array([0, 10, 0, 10]), np.array([5, 5])]), 2)
    5.0
    """
    chi2, n = 0.0, 0
    for g in groups:
        g = np.asarray(g, dtype=float)
        m = g.mean() if len(g) else 0.0
        if m > 0:
            chi2 += float(((g - m) ** 2).sum() / m)
        n += len(g)
    df = n - len(groups)
    return max(1.0, chi2 / df) if df > 0 else 1.0


# ---------------------------------------------------------------------------------------------
# before / after
# ---------------------------------------------------------------------------------------------
def _as_date(x, what: str) -> pd.Timestamp:
    ts = pd.Timestamp(x)
    if pd.isna(ts):
        raise AnalysisError(f"{what} is missing")
    if ts.tzinfo is not None:
        raise AnalysisError(
            f"{what} {ts} is tz-aware; pass attribution dates (see analysis.window_dates)"
        )
    return ts.normalize()


def _daily(counts: pd.Series) -> pd.Series:
    """Checked counts on every calendar date (:func:`ceasefire_stats.analysis.counts.daily`)."""
    return daily(counts)


def _period(counts: pd.Series, first: pd.Timestamp, last: pd.Timestamp) -> pd.Series:
    """Values on every calendar date of ``[first, last]`` (dates outside the series are NA)."""
    days = pd.date_range(first, last, freq="D", unit=counts.index.unit)
    return counts.reindex(days)


def before_after(
    counts: pd.Series,
    start,
    end,
    baseline_days: int | None = None,
    after_days: int | None = None,
    compare: tuple[str, ...] = ("before", "after"),
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Daily rate in the window ``[start, end]`` (inclusive dates) against the days before and after.

    One row per comparison (``window_vs_before``, ``window_vs_after``) and method:

    - ``exact_conditional``: conditional on the total count, the window's share is binomial;
      Clopper-Pearson on the share, mapped to the rate ratio with the exposures. Assumes
      Poisson days (independent, no overdispersion); finite upper bound when the window has
      zero events (as long as the comparison period has some).
    - ``exact_conditional_scaled``: the same on counts divided by the Pearson dispersion of
      the daily counts around their period means (floored at 1, column ``dispersion``). An
      approximate quasi-Poisson interval: wider for overdispersed days, still finite at zero.
      It does not model autocorrelation between days.

    ``counts`` is a daily series of attribution dates (naive ``DatetimeIndex``); NA marks a
    missing day. Values must be counts (whole numbers >= 0) and the index dates, not instants:
    anything else is an :class:`AnalysisError` (aggregate hourly reports to dates first). **Missing days are excluded from the exposure**: the rate is events per
    observed day, and ``n_missing_days`` counts the days left out (window and comparison
    period). The baseline is the ``baseline_days`` (default: the window's length in calendar
    days) immediately before ``start``; the after period is the ``after_days`` (default:
    ``baseline_days``) immediately after ``end``. Raises :class:`AnalysisError` when the window
    or a requested comparison period has no observed day.

    Do not use it when the days around the window are themselves unusual (another truce, a
    holiday offensive) or to separate a trend from the window: use :func:`its` for that.
    """
    return before_after_daily(_daily(counts), start, end, baseline_days, after_days, compare, alpha)


def before_after_daily(counts: pd.Series, start, end, baseline_days: int | None = None,
                       after_days: int | None = None, compare: tuple[str, ...] = ("before", "after"),
                       alpha: float = 0.05) -> pd.DataFrame:
    """:func:`before_after` on a series already checked and made daily (``counts.daily``): a
    caller estimating many windows of one series checks it once."""
    start, end = _as_date(start, "start"), _as_date(end, "end")
    if end < start:
        raise AnalysisError(f"window end {end.date()} is before its start {start.date()}")
    length = (end - start).days + 1
    baseline_days = length if baseline_days is None else int(baseline_days)
    after_days = baseline_days if after_days is None else int(after_days)
    window = _period(counts, start, end)
    if window.notna().sum() == 0:
        raise AnalysisError(f"window {start.date()}..{end.date()}: every day is missing")
    periods = {
        "before": (start - baseline_days * DAY, start - DAY, baseline_days),
        "after": (end + DAY, end + after_days * DAY, after_days),
    }
    rows = []
    w_obs = window.dropna().to_numpy(dtype=float)
    for side in compare:
        if side not in periods:
            raise AnalysisError(f"unknown comparison {side!r}; use 'before' and/or 'after'")
        first, last, days = periods[side]
        base = _period(counts, first, last)
        if base.notna().sum() == 0:
            raise AnalysisError(
                f"{side} period {first.date()}..{last.date()} of window {start.date()}..{end.date()}: "
                "every day is missing (or outside the series)"
            )
        b_obs = base.dropna().to_numpy(dtype=float)
        phi = pearson_dispersion([w_obs, b_obs])
        common = {
            "comparison": f"window_vs_{side}",
            "window_start": start,
            "window_end": end,
            "window_days": len(w_obs),
            "baseline_days": len(b_obs),
            "window_events": float(w_obs.sum()),
            "baseline_events": float(b_obs.sum()),
            "window_mean": float(w_obs.mean()),
            "baseline_mean": float(b_obs.mean()),
            "n_missing_days": int(window.isna().sum() + base.isna().sum()),
        }
        for method, disp in (("exact_conditional", 1.0), ("exact_conditional_scaled", phi)):
            est = exact_rate_ratio(w_obs.sum(), len(w_obs), b_obs.sum(), len(b_obs), alpha, disp)
            rows.append({**common, **est, "method": method, "dispersion": disp})
    cols = ["comparison", "window_start", "window_end", "window_days", "baseline_days",
            "window_events", "baseline_events", "window_mean", "baseline_mean", "rate_ratio",
            "ci_low", "ci_high", "p_value", "method", "dispersion", "n_missing_days", "note"]
    return pd.DataFrame(rows, columns=cols)


# ---------------------------------------------------------------------------------------------
# interception rate
# ---------------------------------------------------------------------------------------------
def _binomial_glm_interval(k: np.ndarray, n: np.ndarray, groups: np.ndarray, alpha: float):
    """Intercept-only binomial GLM: (estimate, quasi-binomial CI, cluster-robust CI)."""
    import statsmodels.api as sm

    endog = np.column_stack([k, n - k]).astype(float)
    exog = np.ones((len(k), 1))
    model = sm.GLM(endog, exog, family=sm.families.Binomial())
    # Pearson scale on the counts: statsmodels' scale="X2" with a two-column endog works on
    # the proportions without the trial weights, which understates it.
    p = k.sum() / n.sum()
    scale = float(((k - n * p) ** 2 / (n * p * (1 - p))).sum() / (len(k) - 1))
    quasi = model.fit(scale=scale)
    robust = model.fit(cov_type="cluster", cov_kwds={"groups": groups})

    def expit(v):
        return 1 / (1 + np.exp(-np.asarray(v, dtype=float)))

    return (
        (tuple(expit(quasi.conf_int(alpha)[0])), scale),
        (tuple(expit(robust.conf_int(alpha)[0])), np.nan),
    )


def interception_rate(
    nights: pd.DataFrame,
    launched: str = "launched",
    destroyed: str = "destroyed",
    not_reach_goal: str | None = "not_reach_goal",
    night: str | None = None,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Pooled share destroyed/launched (and stopped/launched) with four intervals.

    ``nights`` has one row per report (usually one per night) with counts in the columns named
    by ``launched``, ``destroyed`` and, when present, ``not_reach_goal`` ("stopped" =
    destroyed + not_reach_goal). ``night`` optionally names a column of cluster ids (several
    reports of one night); by default every row is its own cluster. Rows with NA in a needed
    column are dropped for that measure (``n_dropped``), never read as 0; rows with nothing
    launched carry no information and are left out too (``n_zero_launched``).

    One row per measure and method:

    - ``wilson`` and ``clopper_pearson``: assume every object is an independent trial with one
      common probability. Far too narrow when nights differ (they do).
    - ``quasibinomial``: intercept-only binomial GLM with Pearson scale (``dispersion``);
      allows extra-binomial variation proportional to each night's size.
    - ``night_cluster``: the same GLM with a night-clustered (sandwich) covariance: valid
      for any pattern of between-night variation, given enough nights (say 20 or more).

    Do not use it on claims whose denominators are not counts of launched objects, or to
    compare periods (fit a binomial GLM with a period term instead).
    """
    from statsmodels.stats.proportion import proportion_confint

    missing = [c for c in (launched, destroyed) if c not in nights.columns]
    if missing:
        raise AnalysisError(f"interception_rate: missing column(s) {missing}")
    measures = {"destroyed": [destroyed]}
    if not_reach_goal is not None and not_reach_goal in nights.columns:
        measures["stopped"] = [destroyed, not_reach_goal]
    rows = []
    for measure, parts in measures.items():
        need = [launched, *parts] + ([night] if night else [])
        ok = nights[need].notna().all(axis=1)
        used = nights.loc[ok]
        n = used[launched].to_numpy(dtype=float)
        k = used[parts].to_numpy(dtype=float).sum(axis=1)
        if (k > n).any() or (k < 0).any():
            bad = used.index[(k > n) | (k < 0)].tolist()[:5]
            raise AnalysisError(f"interception_rate: {measure} exceeds {launched} (or is negative) in rows {bad}")
        keep = n > 0
        groups = (pd.factorize(used[night])[0] if night else np.arange(len(used)))[keep]
        k, n = k[keep], n[keep]
        if n.sum() == 0:
            raise AnalysisError(f"interception_rate: no launched objects with a known {measure} count")
        K, N = float(k.sum()), float(n.sum())
        common = {"measure": measure, "estimate": K / N, "launched": N, measure: K,
                  "n_nights": len(np.unique(groups)), "n_dropped": int((~ok).sum()),
                  "n_zero_launched": int((~keep).sum())}
        for method, sm_name in (("wilson", "wilson"), ("clopper_pearson", "beta")):
            lo, hi = proportion_confint(K, N, alpha=alpha, method=sm_name)
            rows.append({**common, "ci_low": float(lo), "ci_high": float(hi), "method": method,
                         "dispersion": np.nan, "note": ""})
        if 0 < K < N and len(k) >= 2:
            (q_ci, scale), (r_ci, _) = _binomial_glm_interval(k, n, groups, alpha)
            rows.append({**common, "ci_low": q_ci[0], "ci_high": q_ci[1], "method": "quasibinomial",
                         "dispersion": scale, "note": ""})
            rows.append({**common, "ci_low": r_ci[0], "ci_high": r_ci[1], "method": "night_cluster",
                         "dispersion": np.nan, "note": ""})
        else:
            why = "all or none stopped" if K in (0, N) else "fewer than 2 nights"
            for method in ("quasibinomial", "night_cluster"):
                rows.append({**common, "ci_low": np.nan, "ci_high": np.nan, "method": method,
                             "dispersion": np.nan, "note": f"not estimable: {why}"})
    cols = ["measure", "method", "estimate", "ci_low", "ci_high", "launched", "destroyed",
            "stopped", "n_nights", "n_dropped", "n_zero_launched", "dispersion", "note"]
    return pd.DataFrame(rows).reindex(columns=[c for c in cols if c in {k for r in rows for k in r}])
