"""The primary estimate of one truce window: :func:`window_effect`.

One window ``[start, end]`` (inclusive attribution dates) of one daily count series, one row:
the rate ratio of the window against the local line around it, an interval whose coverage
holds for the window's length and counts, and a p-value from the series' own recent history.

**The model.** ``log E[y_t] = b0 + b1 trend_t + b2 level_t [+ day of week] [+ AR terms]`` on
the ``baseline_days`` before and ``after_days`` after the window (buffer days of anticipation
and rebound left out, other truces left out), fitted with statsmodels: NB2 with ``alpha`` by
maximum likelihood (``family="nb"``, the default), Poisson, or quasi-Poisson (Poisson with the
Pearson scale). ``level`` is 1 inside the window; ``exp(b2)`` is the rate ratio.

**The interval** (``interval="auto"``), chosen by the window's counts:

- *profile likelihood* (1 event or more... more than 2): the set of ``b2`` whose likelihood
  ratio statistic, divided by the design effect, is below the chi-square(1) quantile. The
  nuisance terms are re-fitted at every ``b2`` (numpy scoring, checked against statsmodels in
  the tests) with ``alpha`` held at its maximum-likelihood value. The **design effect**
  ``deff >= 1`` carries the serial dependence: the autocorrelation of the Pearson residuals of
  the days *around* the window (never the window's own few residuals, which a level term fits
  exactly: why HAC fails on short windows), turned into the variance inflation of a W-day mean
  and of the baseline mean, weighted by their shares of the level term's variance; the
  autocorrelations are first freed of the bias of the estimated mean (:func:`debiased_acf`).
- *exact tail inversion* (0-2 events in the window): the window's count is negative binomial
  with mean ``RR x mu_w`` (``mu_w``: the baseline model's expectation for the window's observed
  days); the bounds solve ``P(X <= x) = alpha/2`` and ``P(X >= x) = alpha/2``, averaged over the
  uncertainty of ``log mu_w`` (Gauss-Hermite). Finite upper bound at zero events; no effective
  counts below 1 anywhere.
- ``interval="hac"``: Newey-West Wald interval, lags from Andrews' (1991) AR(1) plug-in rule
  (they grow with the residuals' autocorrelation). Refused for windows under
  :data:`HAC_MIN_DAYS` days: a level term fits a short window's mean exactly, so the window's
  residuals carry no information on its variance (the Monte Carlo test shows coverage of 30-80 %).

**The p-value** (``permutation=True``): an end-of-sample / conformal permutation test
(Andrews 2003; Chernozhukov, Wuthrich and Zhu 2021). Under no effect the model (without level)
is fitted to the ``history_days`` before the window plus the window; the window's studentised
statistic ``S = (sum y - sum mu) / sqrt(sum var)`` is ranked among the same statistic of every
same-length block of that history, each tail on its own (counts are skewed):
``p_rank = 2 min((1 + #{S_b <= S_w}), (1 + #{S_b >= S_w})) / (1 + n_blocks)``, at most 1 (ties
on both sides), then corrected for the few non-overlapping spans the blocks hold
(:func:`effective_size_p`: the tail of a prediction from that many draws). With fewer
than :data:`MIN_BLOCKS` blocks the likelihood-ratio p-value (design-effect scaled) is given and
``p_method`` says so.

**Serial dependence in the model**: ``ar=k`` adds ``log(1 + y_{t-j})``, ``j = 1..k``, as
regressors (a count autoregression). ``exp(b2)`` is then the window's effect *given yesterday's
count*: for a window of several days it understates the total effect (the lagged terms carry part
of it); docs/analysis.md compares the two.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ceasefire_stats.analysis.counts import daily
from ceasefire_stats.analysis.errors import AnalysisError

DAY = pd.Timedelta(days=1)
FAMILIES = ("nb", "poisson", "quasipoisson")
INTERVALS = ("auto", "profile", "exact", "wald", "hac")
HAC_MIN_DAYS = 28
"""Shortest window for which :func:`window_effect` accepts ``interval="hac"``."""
MIN_BLOCKS = 19
"""Fewest history blocks for the permutation p-value (with 19, the smallest rank of one tail is 0.05)."""
FEW_EVENTS = 2
"""Windows with at most this many events get the exact tail-inversion interval."""

COLUMNS = [
    "window_start", "window_end", "window_days", "rate_ratio", "ci_low", "ci_high", "p_value", "method",
    "estimator", "family", "covariance", "interval_method", "p_method", "window_events", "expected_events",
    "window_obs_days", "baseline_obs_days", "baseline_days_before", "baseline_days_after",
    "anticipation_days", "rebound_days", "excluded_days", "seasonality", "ar", "alpha_nb", "scale",
    "design_effect", "hac_lags", "n_blocks", "n_blocks_nonoverlapping", "reported_share_window",
    "reported_share_baseline", "note",
]


# ---------------------------------------------------------------------------------------------
# pure helpers
# ---------------------------------------------------------------------------------------------
def andrews_lags(rho: float, n: int) -> int:
    """Andrews (1991) AR(1) plug-in lag of the Bartlett (Newey-West) kernel:
    ``floor(1.1447 (a n)^(1/3))`` with ``a = 4 rho^2 / ((1 - rho)^2 (1 + rho)^2)``, at least 1:
    the lags grow with the autocorrelation ``rho`` (clipped to [0, 0.95]).

    >>> andrews_lags(0.0, 100), andrews_lags(0.3, 100), andrews_lags(0.6, 100)
    (1, 4, 8)
    """
    r = float(np.clip(rho, 0.0, 0.95))
    a = 4 * r**2 / ((1 - r) ** 2 * (1 + r) ** 2)
    return max(1, int(np.floor(1.1447 * (a * n) ** (1 / 3))))


def residual_acf(e: np.ndarray, max_lag: int) -> np.ndarray:
    """Autocorrelations ``r_1..r_max_lag`` of residuals ``e`` with gaps (NaN): each lag uses the
    pairs of days both observed; a lag without pairs is 0.

    >>> residual_acf(np.array([1.0, -1, 1, -1, np.nan, 1, -1]), 2).round(3).tolist()
    [-1.0, 0.333]
    """
    e = np.asarray(e, dtype=float)
    ok = ~np.isnan(e)
    if ok.sum() < 3:
        return np.zeros(max_lag)
    z = np.where(ok, e - e[ok].mean(), 0.0)
    var = (z[ok] ** 2).mean()
    out = np.zeros(max_lag)
    if var <= 0:
        return out
    for k in range(1, max_lag + 1):
        both = ok[k:] & ok[:-k]
        if both.sum() >= 2:
            out[k - 1] = float((z[k:] * z[:-k])[both].mean() / var)
    return out


def debiased_acf(r: np.ndarray, n: int, lags: int) -> np.ndarray:
    """Autocorrelations ``r`` of ``n`` residuals with the bias of their estimated mean removed:
    a sample autocovariance is low by about the variance of the mean, ``gamma_0 V / n`` at every
    lag (Bartlett 1946), ``V`` the long-run variance ratio ``1 + 2 sum rho_k``. Summed over the
    29 lags of a 30-day window's inflation that bias is ``-29 V / n`` (about -0.1 with a year of
    days): the design effect of long windows came out too small. ``V`` is the Bartlett sum over
    ``lags`` lags of the corrected autocorrelations, solved in closed form:
    ``V = (1 + 2 sum_k (1 - k/(lags+1)) r_k) / (1 - lags/n)``, at least 1; returns ``r + V/n``.

    >>> debiased_acf(np.array([0.2, 0.1, 0.0]), 100, 2).round(4).tolist()
    [0.2136, 0.1136, 0.0136]
    """
    r = np.asarray(r, dtype=float)
    if n <= 2 * lags or n < 3:
        return r
    k = np.arange(1, min(lags, len(r)) + 1)
    v = max(1.0, float(1 + 2 * ((1 - k / (lags + 1)) * r[: len(k)]).sum()) / (1 - lags / n))
    return r + v / n


def mean_inflation(r: np.ndarray, days: int) -> float:
    """Variance of a ``days``-day mean of a series with autocorrelations ``r`` over that of
    independent days: ``1 + 2 sum_{k < days} (1 - k/days) r_k``, floored at 1.

    >>> mean_inflation(np.array([0.5, 0.25]), 1), mean_inflation(np.array([0.5, 0.25]), 3)
    (1.0, 1.8333333333333335)
    """
    k = np.arange(1, min(days - 1, len(r)) + 1)
    return max(1.0, float(1 + 2 * ((1 - k / days) * r[: len(k)]).sum()))


def _kernel(y: np.ndarray, mu: np.ndarray, a: float) -> float:
    """The log-likelihood without its terms free of ``mu`` (constant when ``alpha`` is fixed)."""
    if a <= 0:
        return float((y * np.log(mu) - mu).sum())
    return float((y * np.log(a * mu / (1 + a * mu)) - np.log1p(a * mu) / a).sum())


def _loglik(y: np.ndarray, mu: np.ndarray, a: float) -> float:
    from scipy.special import gammaln

    if a <= 0:
        return _kernel(y, mu, a) - float(gammaln(y + 1).sum())
    inv = 1.0 / a
    return _kernel(y, mu, a) + float((gammaln(y + inv) - gammaln(inv) - gammaln(y + 1)).sum())


def fixed_alpha_fit(y, X, offset, a: float, beta0=None, max_iter: int = 100):
    """Maximum likelihood of the NB2 (``a > 0``) or Poisson (``a = 0``) regression with ``alpha``
    fixed, by Fisher scoring (a step that lowers the likelihood is halved):
    ``(beta, loglik, information matrix)``. The profile likelihood's inner fit, dozens per
    interval; the tests check it against statsmodels' ``GLM(family=NegativeBinomial(alpha))``."""
    y, X, offset = np.asarray(y, float), np.asarray(X, float), np.asarray(offset, float)
    p = X.shape[1]
    if beta0 is None:
        beta = np.zeros(p)
        beta[0] = np.log(max(y.mean(), 0.5 / len(y))) - offset.mean()
    else:
        beta = np.array(beta0, dtype=float)
    ridge = 1e-10 * np.eye(p)
    mu = np.exp(np.clip(X @ beta + offset, -50, 50))
    ll = _kernel(y, mu, a)
    for _ in range(max_iter):
        info = (X.T * (mu / (1 + a * mu))) @ X + ridge
        step = np.linalg.solve(info, X.T @ ((y - mu) / (1 + a * mu)))
        for _ in range(30):
            mu_new = np.exp(np.clip(X @ (beta + step) + offset, -50, 50))
            ll_new = _kernel(y, mu_new, a)
            if ll_new >= ll - 1e-10:
                break
            step = step / 2
        beta, mu, ll = beta + step, mu_new, ll_new
        if np.abs(step).max() < 1e-9:
            break
    info = (X.T * (mu / (1 + a * mu))) @ X
    return beta, _loglik(y, mu, a), info


def _df_factor(n: int, p: int) -> float:
    """``n / (n - p)``: the small-sample correction of a variance estimated by maximum likelihood
    with ``p`` fitted terms, applied to the NB2 ``alpha`` (its MLE is biased low on a few dozen days).

    >>> _df_factor(57, 10)
    1.2127659574468086
    """
    return n / max(n - p, 1)


def _statsmodels_fit(y, X, offset, family):
    """(params without alpha, alpha, scale, statsmodels result) of the full model."""
    import statsmodels.api as sm

    from ceasefire_stats.analysis.interrupted import _quiet

    pois, _ = _quiet(lambda: sm.GLM(y, X, family=sm.families.Poisson(), offset=offset).fit())
    if family == "poisson":
        return np.asarray(pois.params), 0.0, 1.0, pois
    if family == "quasipoisson":
        mu = pois.fittedvalues
        df = max(len(y) - X.shape[1], 1)
        scale = max(1.0, float(((y - mu) ** 2 / mu).sum() / df))
        return np.asarray(pois.params), 0.0, scale, pois
    from statsmodels.discrete.discrete_model import NegativeBinomial

    mu = pois.fittedvalues
    alpha0 = max(0.01, float((((y - mu) ** 2 - y) / mu**2).mean()))
    nb = NegativeBinomial(y, X, loglike_method="nb2", offset=offset)
    start = np.append(pois.params, alpha0)
    res, _ = _quiet(lambda: nb.fit(start_params=start, method="newton", maxiter=100, disp=0))
    ok = np.all(np.isfinite(res.params)) and res.params[-1] > 0 and res.mle_retvals.get("converged", False)
    if not ok:
        res, _ = _quiet(lambda: nb.fit(start_params=start, method="bfgs", maxiter=1000, disp=0))
    a = float(res.params[-1])
    if not np.isfinite(a) or a < 1e-8:
        return np.asarray(pois.params), 0.0, 1.0, pois
    return np.asarray(res.params[:-1]), a, 1.0, res


# ---------------------------------------------------------------------------------------------
# the local design
# ---------------------------------------------------------------------------------------------
def _as_date(x, what: str) -> pd.Timestamp:
    ts = pd.Timestamp(x)
    if pd.isna(ts):
        raise AnalysisError(f"window {what} is missing")
    if ts.tzinfo is not None:
        raise AnalysisError(f"window {what} {ts} is tz-aware; pass attribution dates (see analysis.window_dates)")
    if ts != ts.normalize():
        raise AnalysisError(f"window {what} {ts} has a time of day; pass attribution dates")
    return ts


def _blocked(index: pd.DatetimeIndex, ranges) -> np.ndarray:
    out = np.zeros(len(index), dtype=bool)
    for s, e in ranges:
        out |= (index >= pd.Timestamp(s)) & (index <= pd.Timestamp(e))
    return out


def _design(y: pd.Series, days: pd.DatetimeIndex, level: np.ndarray, seasonality: str | None, ar: int):
    """Columns const, trend, level, dow1..6 (if asked), ar1..k for the dates ``days``."""
    t = ((days - days[0]) / DAY).to_numpy(dtype=float)
    cols = {"const": np.ones(len(days)), "trend": (t - t.mean()) / max(len(days), 1), "level": level}
    if seasonality == "dow":
        dow = days.day_of_week.to_numpy()
        for d in range(1, 7):
            cols[f"dow{d}"] = (dow == d).astype(float)
    for j in range(1, ar + 1):
        cols[f"ar{j}"] = np.log1p(y.reindex(days - j * DAY).to_numpy(dtype=float, na_value=np.nan))
    return pd.DataFrame(cols, index=days)


# ---------------------------------------------------------------------------------------------
# intervals
# ---------------------------------------------------------------------------------------------
def _profile_interval(y, X, off, j, a, scale, deff, b_hat, se, ll_max, crit, zero):
    """Bounds of ``b_j`` with ``2 (ll_max - lp(b)) / (scale deff) <= crit`` (lp: the profile)."""
    from scipy.optimize import brentq

    others = [k for k in range(X.shape[1]) if k != j]
    Xo = X[:, others]
    xj = X[:, j]
    start = {"beta": None}

    def excess(b):
        beta, ll, _ = fixed_alpha_fit(y, Xo, off + b * xj, a, start["beta"])
        start["beta"] = beta
        return 2 * (ll_max - ll) / (scale * deff) - crit

    step = max(se, 0.05) if np.isfinite(se) else 1.0
    bounds = []
    for sign in (-1, 1):
        if zero and sign == -1:
            bounds.append(-np.inf)
            continue
        inner = b_hat if not zero else -30.0
        start["beta"] = None
        outer, k = inner, 0
        while True:
            k += 1
            outer = (inner + sign * step * 2**k) if not zero else (np.log(1e-3) + 2.0 * k)
            if excess(outer) > 0:
                break
            inner = outer
            if k > 40:
                return np.nan, np.nan
        start["beta"] = None
        bounds.append(brentq(excess, min(inner, outer), max(inner, outer), xtol=1e-8))
    return bounds[0], bounds[1]


def _exact_interval(x: float, mu_w: float, sum_mu2: float, se_log_mu: float, a: float, alpha: float):
    """Tail-inversion bounds of RR for a window count ``x`` (NB2 sum with mean ``RR mu_w``; the
    size matching its variance), averaged over ``log mu_w ~ N(., se_log_mu^2)``."""
    from scipy import stats
    from scipy.optimize import brentq

    nodes, weights = np.polynomial.hermite_e.hermegauss(21)
    weights = weights / weights.sum()
    mus = mu_w * np.exp(se_log_mu * nodes)
    size = np.inf if a <= 0 else mu_w**2 / (a * sum_mu2)

    def cdf(rr, k):  # P(X <= k) averaged over mu
        m = rr * mus
        if np.isinf(size):
            return float((weights * stats.poisson.cdf(k, m)).sum())
        return float((weights * stats.nbinom.cdf(k, size, size / (size + m))).sum())

    hi = brentq(lambda r: cdf(r, x) - alpha / 2, 1e-12, 1e8, xtol=1e-10)
    lo = 0.0 if x == 0 else brentq(lambda r: (1 - cdf(r, x - 1)) - alpha / 2, 1e-12, 1e8, xtol=1e-10)
    return lo, hi


# ---------------------------------------------------------------------------------------------
# the permutation p-value
# ---------------------------------------------------------------------------------------------
def _history(y: pd.Series, wdays: pd.DatetimeIndex, history_days: int, gap_days: int, exclude_mask_fn,
             family: str, seasonality: str | None):
    """The model without level on the ``history_days`` before the window (after a gap of
    ``gap_days``) and the window: ``(values, mu, variance, observed, n_history)`` or None when
    the history has fewer than ``2 W + 28`` observed days."""
    W = len(wdays)
    first_hist = wdays[0] - (gap_days + history_days) * DAY
    hist_days = pd.date_range(first_hist, wdays[0] - (gap_days + 1) * DAY, freq="D", unit=y.index.unit)
    days = hist_days.append(wdays)
    vals = y.reindex(days).to_numpy(dtype=float, na_value=np.nan)
    vals[exclude_mask_fn(days) & ~days.isin(wdays)] = np.nan
    obs = ~np.isnan(vals)
    H = len(hist_days)
    if obs[:H].sum() < 2 * W + 28 or obs[H:].sum() == 0 or vals[obs].sum() == 0:
        return None
    season = seasonality if (seasonality != "dow" or obs.sum() >= 28) else None
    X = _design(y, days, np.zeros(len(days)), season, 0).drop(columns="level")
    Xo = X.to_numpy()[obs]
    keep = Xo.any(axis=0)
    beta, a, scale, _ = _statsmodels_fit(vals[obs], Xo[:, keep], np.zeros(obs.sum()), family)
    mu = np.full(len(days), np.nan)
    mu[obs] = np.exp(Xo[:, keep] @ beta)
    var = mu + a * mu**2 if family == "nb" else mu * scale
    return vals, mu, var, obs, H


def _block_test(history, W: int):
    """(p, n_blocks, n_nonoverlapping) of the end-of-sample permutation test, or None."""
    vals, mu, var, obs, H = history
    resid = np.where(obs, vals - mu, 0.0)
    var = np.where(obs, var, 0.0)
    cnt = obs.astype(float)

    def window_sums(v):
        c = np.concatenate([[0.0], np.cumsum(v)])
        return c[W:] - c[:-W]

    r_h, v_h, n_h = (window_sums(v[:H]) for v in (resid, var, cnt))
    eligible = n_h >= np.ceil(W / 2)
    s_blocks = r_h[eligible] / np.sqrt(v_h[eligible])
    s_window = resid[H:].sum() / np.sqrt(var[H:].sum())
    n_blocks = int(eligible.sum())
    if n_blocks < MIN_BLOCKS:
        return None
    # equal-tailed: the statistic of counts is skewed (a zero window is far in the lower tail
    # while busy days reach as far in the upper one), so each tail is ranked on its own
    # (ties count on both sides: conservative, no mid-p)
    low = (1 + int((s_blocks <= s_window + 1e-12).sum())) / (1 + n_blocks)
    high = (1 + int((s_blocks >= s_window - 1e-12).sum())) / (1 + n_blocks)
    p_rank = min(1.0, 2 * min(low, high))
    # non-overlapping eligible blocks, taken greedily from the earliest
    starts, last = np.flatnonzero(eligible), -W
    nonoverlap = 0
    for s in starts:
        if s >= last + W:
            nonoverlap, last = nonoverlap + 1, s
    return float(effective_size_p(p_rank, nonoverlap)), n_blocks, nonoverlap


def effective_size_p(p_rank: float, n_spans: int) -> float:
    """The rank p-value ``p_rank`` of a window among overlapping history blocks, corrected for
    the few independent spans behind their quantiles: the blocks of a year hold only ``n_spans``
    non-overlapping spans, and a tail quantile estimated from ``n`` independent draws is missed
    by a new draw more often than its nominal share (a prediction, not a known quantile). With
    ``z`` the normal quantile of ``p_rank``, the corrected p-value is the two-sided tail of a
    prediction from ``n`` draws, ``2 P(t_{n-1} > z / sqrt(1 + 1/n))``, never below ``p_rank``.
    Near identity with a hundred spans (3-day windows), 0.05 -> 0.087 with 12 (30-day windows).

    >>> round(effective_size_p(0.05, 12), 3), round(effective_size_p(0.05, 121), 3)
    (0.086, 0.053)
    """
    from scipy import stats

    if n_spans < 2 or p_rank >= 1:
        return float(min(1.0, p_rank)) if n_spans >= 2 else 1.0
    z = stats.norm.isf(p_rank / 2)
    return float(min(1.0, max(p_rank, 2 * stats.t.sf(z / np.sqrt(1 + 1 / n_spans), n_spans - 1))))


# ---------------------------------------------------------------------------------------------
# public
# ---------------------------------------------------------------------------------------------
def window_effect(
    counts: pd.Series,
    start,
    end,
    *,
    baseline_days: int = 28,
    after_days: int | None = None,
    anticipation_days: int = 0,
    rebound_days: int = 0,
    family: str = "nb",
    interval: str = "auto",
    seasonality: str | None = "auto",
    ar: int = 0,
    permutation: bool = True,
    history_days: int = 365,
    exclude=(),
    reported: pd.Series | None = None,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """The primary estimate of the window ``[start, end]`` (inclusive attribution dates) of the
    daily count series ``counts``, as a one-row DataFrame (columns :data:`COLUMNS`).

    ``counts``: naive daily DatetimeIndex, counts (whole numbers >= 0), NA = missing day
    (dropped, never filled). Baseline: the ``baseline_days`` before the window and the
    ``after_days`` (default ``baseline_days``; 0: before only) after it, leaving out
    ``anticipation_days`` just before it and ``rebound_days`` just after it, and every date
    inside the ``exclude`` ranges (``[(first, last), ...]`` dates: other truces).
    ``seasonality``: ``"auto"`` (day-of-week dummies when the baseline has 28 observed days),
    ``"dow"`` or None. ``family``, ``interval``, ``ar``, ``permutation``, ``history_days``: see the
    module docstring. ``reported``: a boolean Series, True where a report exists (default:
    ``counts.notna()``; pass it when missing days were set to zero), for the reporting check
    columns ``reported_share_window`` and ``reported_share_baseline``.

    Raises :class:`AnalysisError` for bad counts or dates, a window or a baseline with no
    observed day, and ``interval="hac"`` on a window shorter than :data:`HAC_MIN_DAYS` days.
    Not for windows whose surroundings are themselves unusual without ``exclude``/buffers, nor
    for reading a cause: it measures a change against the local line, not why.
    """
    from scipy import stats

    if family not in FAMILIES:
        raise AnalysisError(f"family must be one of {FAMILIES}, not {family!r}")
    if interval not in INTERVALS:
        raise AnalysisError(f"interval must be one of {INTERVALS}, not {interval!r}")
    if seasonality not in ("auto", "dow", None):
        raise AnalysisError(f"seasonality must be 'auto', 'dow' or None, not {seasonality!r}")
    for name, v in (("baseline_days", baseline_days), ("anticipation_days", anticipation_days),
                    ("rebound_days", rebound_days), ("ar", ar), ("history_days", history_days)):
        if int(v) != v or v < 0:
            raise AnalysisError(f"{name} must be a whole number >= 0, not {v!r}")
    y = daily(counts)
    start, end = _as_date(start, "start"), _as_date(end, "end")
    if end < start:
        raise AnalysisError(f"window end {end.date()} is before its start {start.date()}")
    W = (end - start).days + 1
    if interval == "hac" and W < HAC_MIN_DAYS:
        raise AnalysisError(f"interval='hac' needs a window of {HAC_MIN_DAYS} days or more (this one has {W}): "
                            "a level term fits a short window's mean exactly and HAC intervals then cover "
                            "far less than 95 %; use interval='auto'")
    B = int(baseline_days)
    A = B if after_days is None else int(after_days)
    if B == 0:
        raise AnalysisError("baseline_days must be at least 1")
    first = start - (int(anticipation_days) + B) * DAY
    last = end + (int(rebound_days) + A) * DAY
    days = pd.date_range(first, last, freq="D", unit=y.index.unit)
    in_window = (days >= start) & (days <= end)
    buffer = ((days < start) & (days >= start - int(anticipation_days) * DAY)) | (
        (days > end) & (days <= end + int(rebound_days) * DAY))

    def excluded(d):
        return _blocked(d, exclude)

    out_excl = excluded(days) & ~in_window
    vals = y.reindex(days).to_numpy(dtype=float, na_value=np.nan)
    vals[buffer | out_excl] = np.nan
    obs = ~np.isnan(vals)
    n_w, n_b = int((obs & in_window).sum()), int((obs & ~in_window).sum())
    if n_w == 0:
        raise AnalysisError(f"window {start.date()}..{end.date()}: every day is missing")
    if n_b == 0:
        raise AnalysisError(f"window {start.date()}..{end.date()}: the {B} days before and {A} after "
                            "have no observed day (outside the series, missing or excluded)")
    rep = (y.notna() if reported is None else reported.astype(bool)).reindex(days, fill_value=False).to_numpy()
    base_days = ~in_window & ~buffer & ~out_excl
    season = ("dow" if n_b >= 28 else None) if seasonality == "auto" else seasonality
    frame = _design(y, days, in_window.astype(float), season, int(ar))
    use = obs & frame.notna().all(axis=1).to_numpy()
    X_all = frame.to_numpy()
    X = X_all[use]
    keep = X[~in_window[use]].any(axis=0) | (np.arange(X.shape[1]) == 2)
    names = [c for c, k in zip(frame.columns, keep, strict=True) if k]
    X = X[:, keep]
    yy = vals[use]
    off = np.zeros(len(yy))
    win = in_window[use]
    if win.sum() == 0:
        raise AnalysisError(f"window {start.date()}..{end.date()}: no observed day with its lagged counts (ar={ar})")
    j = names.index("level")
    x_events = float(yy[win].sum())
    zero = x_events == 0
    notes = []
    if A > 0 and not (obs & (days > end)).any():
        notes.append("no observed day after the window: before only")
    # baseline-only fit (no level term): expectation of the window and residuals around it
    Xb = np.delete(X, j, axis=1)
    if zero:  # the level's estimate is -inf: the window adds nothing to the likelihood
        beta_b, a, scale, _ = _statsmodels_fit(yy[~win], Xb[~win], off[~win], family)
        a = a * _df_factor(len(yy) - n_w, Xb.shape[1])
        beta_b, ll_max, _ = fixed_alpha_fit(yy[~win], Xb[~win], off[~win], a, beta_b)
        beta_full = np.insert(beta_b, j, -np.inf)
    else:
        beta_full, a, scale, _ = _statsmodels_fit(yy, X, off, family)
        a = a * _df_factor(len(yy), X.shape[1])
        beta_full, ll_max, _ = fixed_alpha_fit(yy, X, off, a, beta_full)
        beta_b = fixed_alpha_fit(yy[~win], Xb[~win], off[~win], a, np.delete(beta_full, j))[0]
    mu_b = np.exp(Xb @ beta_b)
    # design effect: autocorrelation of the baseline's Pearson residuals (window days blank)
    pear = np.full(len(days), np.nan)
    resid_days = use & ~in_window
    mu_days = np.full(len(days), np.nan)
    mu_days[use] = mu_b
    pear[resid_days] = (vals[resid_days] - mu_days[resid_days]) / np.sqrt(
        mu_days[resid_days] * (1 + a * mu_days[resid_days]))
    history = _history(y, days[in_window], int(history_days), int(anticipation_days), excluded, family,
                       "dow" if seasonality in ("auto", "dow") else None) if history_days else None
    acf_source = "local baseline"
    n_acf = n_b
    if history is not None:  # a year of residuals estimates the autocorrelation far better
        h_vals, h_mu, h_var, h_obs, H = history
        pear = np.where(h_obs[:H], (h_vals[:H] - h_mu[:H]) / np.sqrt(h_var[:H]), np.nan)
        acf_source, n_acf = f"{int(h_obs[:H].sum())} history days", int(h_obs[:H].sum())
    r1 = residual_acf(pear, 1)[0]
    lags = andrews_lags(r1, n_acf)
    segment = max(B, A)  # the baseline is one or two runs of this many days
    r = debiased_acf(residual_acf(pear, max(lags, W - 1, segment - 1)), n_acf, lags)
    w_mu = mu_b[win]
    info_w = float((w_mu / (1 + a * w_mu)).sum())
    info_b = float((mu_b[~win] / (1 + a * mu_b[~win])).sum())
    # the variance of a run's mean over that of independent days (the same rule for the window
    # and the baseline runs: Andrews' kernel lags would cut a slowly decaying correlation short)
    deff_b = mean_inflation(r, segment)
    deff_w = mean_inflation(r, W)
    deff = (deff_w / info_w + deff_b / info_b) / (1 / info_w + 1 / info_b)
    expected = float(w_mu.sum())
    # F(1, df) rather than chi-square(1): alpha (or the scale) and the nuisance terms are
    # estimated from a few dozen days
    crit = float(stats.f.ppf(1 - alpha, 1, max(len(yy) - X.shape[1] - 1, 1)))
    z = float(stats.norm.ppf(1 - alpha / 2))
    few = x_events <= FEW_EVENTS
    chosen = interval if interval != "auto" else ("exact" if few else "profile")
    hac_lags = np.nan
    b_hat = float(beta_full[j])
    se = np.nan
    if not zero:
        _, _, info = fixed_alpha_fit(yy, X, off, a, beta_full)
        cov = np.linalg.inv(info) * scale
        se = float(np.sqrt(cov[j, j]))
    if chosen == "exact":
        # uncertainty of log mu_w from the baseline fit (scoring information), design-effect scaled
        _, _, info_base = fixed_alpha_fit(yy[~win], Xb[~win], off[~win], a, beta_b)
        g = (Xb[win] * w_mu[:, None]).sum(0) / expected
        se_log = float(np.sqrt(max(g @ np.linalg.solve(info_base, g), 0.0) * scale * deff_b))
        lo, hi = _exact_interval(x_events, expected, float((w_mu**2).sum()), se_log, a, alpha)
        interval_method = "exact NB tail inversion" if a > 0 else "exact Poisson tail inversion"
        covariance = f"model-based, baseline design effect {deff_b:.2f} (autocorrelation of {acf_source})"
        rr = 0.0 if zero else x_events / expected
    elif chosen == "profile":
        lo_b, hi_b = _profile_interval(yy, X, off, j, a, scale, deff, b_hat, se, ll_max, crit, zero)
        lo, hi = np.exp(lo_b), np.exp(hi_b)
        interval_method = "profile likelihood"
        covariance = f"model-based x design effect {deff:.2f} (autocorrelation of {acf_source})"
        rr = float(np.exp(b_hat))
    else:
        if zero:
            raise AnalysisError(f"interval={chosen!r} needs events in the window (it has none): use 'auto'")
        if chosen == "hac":
            import statsmodels.api as sm

            hac_lags = andrews_lags(r1, len(yy))
            fam = sm.families.NegativeBinomial(alpha=a) if a > 0 else sm.families.Poisson()
            res = sm.GLM(yy, X, family=fam, offset=off).fit(cov_type="HAC", cov_kwds={"maxlags": int(hac_lags)})
            se = float(np.asarray(res.bse)[j])
            covariance = f"HAC({hac_lags}), Andrews AR(1) lags"
        else:
            covariance = "model-based" + (" (Pearson scale)" if family == "quasipoisson" else "")
        lo, hi = np.exp(b_hat - z * se), np.exp(b_hat + z * se)
        interval_method = "Wald"
        rr = float(np.exp(b_hat))
    # p-value
    lr_stat = 2 * (ll_max - fixed_alpha_fit(yy, Xb, off, a, beta_b)[1]) / (scale * deff)
    p_lr = float(stats.f.sf(max(lr_stat, 0.0), 1, max(len(yy) - X.shape[1] - 1, 1)))
    p_value, p_method, n_blocks, n_nonover = p_lr, "likelihood ratio (design-effect scaled)", 0, 0
    if permutation:
        test = None if history is None else _block_test(history, W)
        if test is None:
            notes.append(f"fewer than {MIN_BLOCKS} history blocks: likelihood-ratio p-value")
        else:
            p_value, n_blocks, n_nonover = test
            p_method = f"end-of-sample permutation, {n_blocks} blocks of {W} days in {history_days} days"
    label = {"nb": "NB2 (alpha by ML)", "poisson": "Poisson", "quasipoisson": "quasi-Poisson (Pearson scale)"}
    if ar:
        notes.append(f"AR({ar}) count terms: the rate ratio is the effect given the previous days' counts")
    row = {
        "window_start": start, "window_end": end, "window_days": W, "rate_ratio": rr, "ci_low": float(lo),
        "ci_high": float(hi), "p_value": p_value,
        "method": f"{label[family]} local level, {interval_method}, {covariance}",
        "estimator": "local_level" + (f"_ar{ar}" if ar else ""), "family": family, "covariance": covariance,
        "interval_method": interval_method, "p_method": p_method, "window_events": x_events,
        "expected_events": expected, "window_obs_days": n_w, "baseline_obs_days": n_b,
        "baseline_days_before": B, "baseline_days_after": A, "anticipation_days": int(anticipation_days),
        "rebound_days": int(rebound_days), "excluded_days": int(out_excl.sum()), "seasonality": season or "",
        "ar": int(ar), "alpha_nb": a if family == "nb" else np.nan,
        "scale": scale if family == "quasipoisson" else np.nan, "design_effect": deff, "hac_lags": hac_lags,
        "n_blocks": n_blocks, "n_blocks_nonoverlapping": n_nonover,
        "reported_share_window": float(rep[in_window].mean()),
        "reported_share_baseline": float(rep[base_days].mean()) if base_days.any() else np.nan,
        "note": "; ".join(notes),
    }
    return pd.DataFrame([row], columns=COLUMNS)
