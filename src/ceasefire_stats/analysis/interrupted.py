"""Interrupted time series (segmented regression) of counts, and placebo dates.

:func:`its` fits ``log E[y_t] = b0 + b1 (t - t0) + b2 level_t [+ b3 (t - t0) level_t]
[+ seasonality] [+ log exposure_t]`` with statsmodels: a Poisson or quasi-Poisson GLM, or
the NB2 negative binomial with its dispersion ``alpha`` estimated by maximum likelihood
(``statsmodels.discrete.discrete_model.NegativeBinomial``), optionally with Newey-West (HAC)
standard errors. ``level_t`` is 1 from the intervention to ``end`` (inclusive) and 0 otherwise,
so a temporary truce returns to the pre-existing line afterwards.

:func:`placebo` refits the same model at dates with no truce to show how large a "change"
ordinary days produce.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ceasefire_stats.analysis.counts import check_series
from ceasefire_stats.analysis.errors import AnalysisError, ZeroWindowError

FAMILIES = ("poisson", "quasipoisson", "nb")


@dataclass
class ITSResult:
    """Result of :func:`its`: ``effects`` (one row per term), ``diagnostics``, ``model``."""

    effects: pd.DataFrame
    diagnostics: dict
    model: object = field(repr=False)
    design: pd.DataFrame = field(repr=False)


# ---------------------------------------------------------------------------------------------
# pure helpers
# ---------------------------------------------------------------------------------------------
def harmonics(t: np.ndarray, k: int, period: float) -> pd.DataFrame:
    """``k`` sine/cosine pairs of period ``period`` in the time values ``t``.

    >>> harmonics(np.array([0, 3, 6]), 1, 12).round(3).to_dict("list")
    {'sin1': [0.0, 1.0, 0.0], 'cos1': [1.0, 0.0, -1.0]}
    """
    t = np.asarray(t, dtype=float)
    cols = {}
    for j in range(1, k + 1):
        cols[f"sin{j}"] = np.sin(2 * np.pi * j * t / period)
        cols[f"cos{j}"] = np.cos(2 * np.pi * j * t / period)
    return pd.DataFrame(cols)


def newey_west_lags(n: int) -> int:
    """Newey-West (1994) rule of thumb for the HAC truncation lag: ``floor(4 (n/100)^(2/9))``.

    >>> newey_west_lags(100), newey_west_lags(1300)
    (4, 7)
    """
    return int(np.floor(4 * (n / 100) ** (2 / 9)))


def percentile_of(values, real: float) -> float:
    """Percentile (0-100) of ``real`` among ``values``, ties counted half (mid-rank); NaN
    values ignored. A truce whose rate ratio sits at the 2nd percentile of the placebo
    rate ratios fell more than 98 % of ordinary periods did.

    >>> percentile_of([0.8, 0.9, 1.0, 1.1], 0.85)
    25.0
    >>> percentile_of([1.0, 1.0], 1.0)
    50.0
    """
    v = np.asarray(values, dtype=float)
    v = v[~np.isnan(v)]
    if len(v) == 0 or np.isnan(real):
        return float("nan")
    return float(100 * ((v < real).sum() + 0.5 * (v == real).sum()) / len(v))


FREQUENCIES = {"D": "days", "W": "weeks", "MS": "months"}
"""The frequencies :func:`its` reads a DatetimeIndex in, and the unit of time in each."""


def infer_frequency(index: pd.DatetimeIndex) -> str:
    """``"D"``, ``"W"`` or ``"MS"`` of a (possibly gappy) sorted DatetimeIndex of dates:
    monthly when every date is a month's first day and consecutive dates are at least 28
    days apart, weekly when every date is the same weekday and 7 days apart or a multiple,
    daily otherwise when dates are whole days apart; anything else is an AnalysisError.

    >>> infer_frequency(pd.DatetimeIndex(["2005-01-01", "2005-02-01", "2005-04-01"]))
    'MS'
    >>> infer_frequency(pd.DatetimeIndex(["2025-01-06", "2025-01-13", "2025-01-27"]))
    'W'
    >>> infer_frequency(pd.DatetimeIndex(["2025-01-06", "2025-01-07", "2025-01-09"]))
    'D'
    """
    if len(index) < 2:
        return "D"
    gaps = np.diff(index.to_numpy()) / np.timedelta64(1, "D")
    if (index.day == 1).all() and gaps.min() >= 28:
        return "MS"
    if len(set(index.day_of_week)) == 1 and (gaps % 7 == 0).all():
        return "W"
    if (gaps == np.round(gaps)).all():
        return "D"
    raise AnalysisError("counts has an irregular DatetimeIndex (neither daily, weekly nor monthly): "
                        "pass freq= or aggregate to one of them")


def _periods(idx: pd.DatetimeIndex, freq: str) -> np.ndarray:
    """Time in units of ``freq`` since the first date (months as calendar months)."""
    if freq == "MS":
        return ((idx.year - idx[0].year) * 12 + (idx.month - idx[0].month)).to_numpy(dtype=float)
    unit = 7.0 if freq == "W" else 1.0
    return ((idx - idx[0]) / pd.Timedelta(days=1)).to_numpy(dtype=float) / unit


def _time_values(counts: pd.Series, time) -> np.ndarray:
    if time is not None:
        t = pd.Series(time).to_numpy(dtype=float) if not isinstance(time, str) else None
        if t is None or len(t) != len(counts):
            raise AnalysisError("time must be an array or Series of the same length as counts")
        return t
    idx = counts.index
    if isinstance(idx, pd.DatetimeIndex):
        return _periods(idx, {"7D": "W", "MS": "MS"}.get(idx.freqstr, "D"))
    if pd.api.types.is_numeric_dtype(idx):
        return idx.to_numpy(dtype=float)
    return np.arange(len(counts), dtype=float)


def _prepare(counts: pd.Series, freq: str | None = None) -> pd.Series:
    """Checked counts (:func:`ceasefire_stats.analysis.counts.check_series`); a DatetimeIndex is
    sorted and made regular at its frequency (``freq`` or :func:`infer_frequency`): absent
    periods become missing (NA), never zeros."""
    counts = check_series(counts)
    if isinstance(counts.index, pd.DatetimeIndex):
        counts = counts.sort_index()
        if freq is None:
            freq = infer_frequency(counts.index)
        if freq not in FREQUENCIES:
            raise AnalysisError(f"freq must be one of {sorted(FREQUENCIES)}, not {freq!r}")
        step = "7D" if freq == "W" else freq  # weeks anchored on the series' own weekday
        regular = pd.date_range(counts.index[0], counts.index[-1], freq=step, unit=counts.index.unit)
        off_grid = counts.index.difference(regular)
        if len(off_grid):
            raise AnalysisError(f"counts has dates off the {FREQUENCIES[freq]} grid (first: {off_grid[0].date()}): "
                                f"aggregate to freq={freq!r} first")
        counts = counts.reindex(regular)
        counts.index.freq = regular.freq
    elif freq is not None:
        raise AnalysisError("freq= needs a DatetimeIndex")
    return counts.astype("Float64")


def _design(counts, intervention, end, seasonality, slope_change, offset, time, freq=None):
    """Model frame (all rows, NA included) with columns y, trend, level, [slope], seasonal, offset."""
    y = _prepare(counts, freq)
    t = _time_values(y, time)
    idx = y.index
    if isinstance(idx, pd.DatetimeIndex):
        intervention = pd.Timestamp(intervention)
        end = None if end is None or pd.isna(end) else pd.Timestamp(end)
    if end is not None and end < intervention:
        raise AnalysisError(f"end {end} is before the intervention {intervention}: the intervention period "
                            "[intervention, end] is empty")
    level = idx >= intervention
    if end is not None:
        level &= idx <= end
    if not level.any():
        raise AnalysisError(f"intervention period {intervention}..{'end' if end is None else end} "
                            f"is outside the series ({idx[0]}..{idx[-1]})")
    t0 = t[np.argmax(level)]
    X = pd.DataFrame(index=idx)
    X["const"] = 1.0
    X["trend"] = t - t0
    X["level"] = level.astype(float)
    if slope_change:
        X["slope"] = (t - t0) * X["level"]
    if seasonality == "dow":
        if not isinstance(idx, pd.DatetimeIndex) or idx.freqstr != "D":
            raise AnalysisError("seasonality='dow' needs a daily DatetimeIndex (day-of-week dummies of weekly "
                                "or monthly dates mean nothing)")
        dow = pd.get_dummies(pd.Categorical(idx.day_of_week, categories=range(7)), prefix="dow",
                             dtype=float).iloc[:, 1:]
        dow.index = idx
        X = X.join(dow)
    elif isinstance(seasonality, tuple) and seasonality and seasonality[0] == "harmonic":
        _, k, period = seasonality
        h = harmonics(t, int(k), float(period))
        h.index = idx
        X = X.join(h)
    elif seasonality is not None:
        raise AnalysisError(f"seasonality must be 'dow', ('harmonic', k, period) or None, not {seasonality!r}")
    if offset is not None:
        exposure = pd.Series(np.asarray(offset, dtype=float), index=idx) if not isinstance(offset, pd.Series) \
            else offset.reindex(idx).astype(float)
        if (exposure.dropna() <= 0).any():
            raise AnalysisError("offset (exposure) must be positive")
        X["offset"] = np.log(exposure)
    else:
        X["offset"] = 0.0
    X.insert(0, "y", y.to_numpy(dtype=float, na_value=np.nan))
    return X


def _quiet(call):
    """Run ``call()`` recording statsmodels' model warnings and numpy runtime warnings
    (convergence, separation, overflow in a trial step) instead of letting them leak; others
    pass through. Returns (result, list of messages)."""
    from statsmodels.tools.sm_exceptions import ModelWarning

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = call()
    messages = []
    for w in caught:
        if issubclass(w.category, (ModelWarning, RuntimeWarning)):
            messages.append(f"{w.category.__name__}: {w.message}")
        else:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    return out, messages


def _fit(frame: pd.DataFrame, family: str, hac_lags, memo: dict | None = None):
    """Fit on complete rows; returns (result, parameter names, converged, fit notes).

    ``memo``: a dict shared by the fits of several families to one frame (``fit_design``): the
    Poisson fit is made once, warm-starts the quasi-Poisson one (same estimates: the Pearson
    scale changes only the covariance) and is the NB2 start, instead of a fit each."""
    import statsmodels.api as sm

    if family not in FAMILIES:
        raise AnalysisError(f"family must be one of {FAMILIES}, not {family!r}")
    exog_cols = [c for c in frame.columns if c not in ("y", "offset")]
    X = frame[exog_cols]
    keep = X.abs().sum(axis=0) > 0  # a season absent from a short span
    keep[["const", "trend", "level"]] = True
    X = X.loc[:, keep]
    y, off, exog = frame["y"].to_numpy(), frame["offset"].to_numpy(), X.to_numpy()
    kw = {} if hac_lags is None else {"cov_type": "HAC", "cov_kwds": {"maxlags": int(hac_lags)}}
    pois = sm.GLM(y, exog, family=sm.families.Poisson(), offset=off)
    names = list(X.columns)
    memo = {} if memo is None else memo
    if "poisson" not in memo or memo["names"] != names:
        memo.update(poisson=_quiet(pois.fit), names=names)  # (result, notes): model-based Poisson
    if family in ("poisson", "quasipoisson"):
        if family == "poisson" and not kw:
            res, notes = memo["poisson"]
        else:  # from the Poisson estimates: IRLS converges at once to the same ones
            scale = {"scale": "X2"} if family == "quasipoisson" else {}
            res, notes = _quiet(lambda: pois.fit(start_params=memo["poisson"][0].params, **scale, **kw))
        return res, names, not any("Convergence" in n for n in notes), notes
    from statsmodels.discrete.discrete_model import NegativeBinomial

    start = memo["poisson"][0]
    mu = start.fittedvalues
    alpha0 = max(0.01, float((((y - mu) ** 2 - y) / mu**2).mean()))
    start_params = np.append(start.params, alpha0)
    nb = NegativeBinomial(y, exog, loglike_method="nb2", offset=off)
    # Newton is fast when alpha is well inside (0, inf); it can step to alpha <= 0 when the
    # counts are not overdispersed, then BFGS on log(alpha) (statsmodels' transform) is used.
    res, notes = _quiet(lambda: nb.fit(start_params=start_params, method="newton", maxiter=100, disp=0, **kw))
    ok = np.all(np.isfinite(res.params)) and res.params[-1] > 0 and res.mle_retvals.get("converged", False)
    if not ok:
        res, notes = _quiet(lambda: nb.fit(start_params=start_params, method="bfgs", maxiter=1000, disp=0, **kw))
    alpha = float(res.params[-1])
    finite = bool(np.all(np.isfinite(res.params)) and np.all(np.isfinite(res.bse[:-1])))
    converged = finite and (bool(res.mle_retvals.get("converged", False)) or alpha < 1e-6)
    if alpha < 1e-6:
        notes = [*notes, "alpha at the boundary (no overdispersion): NB2 reduces to Poisson"]
    return res, [*names, "alpha"], converged, notes


# ---------------------------------------------------------------------------------------------
# public
# ---------------------------------------------------------------------------------------------
def its(
    counts: pd.Series,
    intervention,
    end=None,
    family: str = "nb",
    seasonality="dow",
    slope_change: bool = True,
    offset=None,
    hac_lags: int | None = None,
    time=None,
    alpha: float = 0.05,
    diagnostics: bool = True,
    freq: str | None = None,
) -> ITSResult:
    """Interrupted time series of counts: level (and slope) change at ``intervention``.

    ``counts``: a Series of counts (whole numbers >= 0, else :class:`AnalysisError`); NA marks
    a missing observation, which is **dropped from the fit, never filled**. With a
    ``DatetimeIndex`` of dates (a time of day is an error: aggregate instants first) the
    frequency is ``freq`` (``"D"``, ``"W"``, ``"MS"``) or inferred (:func:`infer_frequency`;
    an irregular index is an error), absent periods become missing, and time counts periods of
    that frequency since the first date (days, weeks or calendar months), so a harmonic
    ``period`` is in that unit (12 for a year of months). With any other index (e.g. months
    numbered 1..59) time is the index if numeric, or the explicit ``time`` values (same length
    as ``counts``). ``intervention``/``end`` are index
    labels; the intervention period is ``[intervention, end]`` (``end=None``: to the end).

    Terms: ``trend`` (linear in time, centred at the intervention), ``level`` (step),
    ``slope`` (``(t - t0) * level``, if ``slope_change``); ``seasonality`` ``"dow"``
    (day-of-week dummies, daily DatetimeIndex only), ``("harmonic", k, period)`` (k sine/cosine
    pairs of the time values) or None; ``offset``: a positive exposure aligned with counts
    (the model uses its log).

    ``family``: ``"poisson"`` (variance = mean), ``"quasipoisson"`` (Poisson estimates,
    standard errors scaled by the Pearson dispersion, statsmodels ``scale="X2"``), ``"nb"``
    (NB2 with alpha estimated by ML). ``hac_lags``: Newey-West covariance with that many
    lags (``"auto"``: :func:`newey_west_lags`); it replaces the model-based covariance, so
    quasipoisson + HAC equals poisson + HAC. With missing days the remaining ones are treated
    as consecutive by the HAC kernel and the residual diagnostics.

    Returns :class:`ITSResult` with ``effects`` (rows ``level`` and ``slope``: ``coef``,
    ``se``, ``rate_ratio``, ``ci_low``, ``ci_high``, ``p_value``, ``method``), ``diagnostics``
    (Pearson dispersion, Ljung-Box p at lags 7 and 14, Durbin-Watson of the Pearson residuals,
    alpha, convergence, counts of used and missing observations) and ``model``.

    Assumes the pre-intervention trend would have continued and nothing else changed at the
    intervention. Do not use it when the intervention period has zero events (the level term
    diverges; :class:`ZeroWindowError` is raised: use :func:`before_after`'s exact interval),
    for windows of a few days with a short span around them (prefer :func:`before_after`), or
    without HAC errors on autocorrelated daily series (the Monte Carlo test shows the naive
    Poisson interval covering far less than 95 %).
    """
    frame = _design(counts, intervention, end, seasonality, slope_change, offset, time, freq)
    return fit_design(frame, family, hac_lags, alpha, diagnostics)


def fit_design(frame: pd.DataFrame, family: str = "nb", hac_lags=None, alpha: float = 0.05,
               diagnostics: bool = True, memo: dict | None = None) -> ITSResult:
    """:func:`its` on a model frame it has built (``ITSResult.design`` of an earlier call, or
    ``_design``): a caller fitting several families to one window builds the frame once, and
    passes one ``memo`` dict to every call on that frame so the Poisson fit is made once."""
    from scipy import stats

    n_total = len(frame)
    frame = frame.dropna()
    n_used = len(frame)
    if frame["level"].sum() == 0 or frame["level"].sum() == n_used:
        raise AnalysisError("no observed days inside (or outside) the intervention period")
    if frame.loc[frame["level"] == 1, "y"].sum() == 0:
        raise ZeroWindowError(
            "zero events in the intervention period: the GLM level term diverges; "
            "use before_after (exact conditional interval)"
        )
    lags = newey_west_lags(n_used) if hac_lags == "auto" else hac_lags
    res, names, converged, fit_notes = _fit(frame, family, lags, memo)
    params = pd.Series(np.asarray(res.params), index=names)
    if not np.isfinite(params["level"]) or not np.isfinite(np.asarray(res.bse)[names.index("level")]):
        raise AnalysisError(f"{family} model could not be fitted (non-finite level estimate): {fit_notes}")
    bse = pd.Series(np.asarray(res.bse), index=names)
    pvals = pd.Series(np.asarray(res.pvalues), index=names)
    z = stats.norm.ppf(1 - alpha / 2)
    cov = "nonrobust" if lags is None else f"HAC({lags})"
    label = {"poisson": "Poisson GLM", "quasipoisson": "quasi-Poisson GLM", "nb": "NB2 (alpha by ML)"}[family]
    rows = []
    for term in ("level", "slope"):
        if term not in params:
            continue
        b, s = float(params[term]), float(bse[term])
        rows.append({"term": term, "coef": b, "se": s, "rate_ratio": float(np.exp(b)),
                     "ci_low": float(np.exp(b - z * s)), "ci_high": float(np.exp(b + z * s)),
                     "p_value": float(pvals[term]), "method": f"{label}, {cov}", "family": family,
                     "cov_type": cov, "n_obs": n_used, "n_missing": n_total - n_used})
    effects = pd.DataFrame(rows)
    # residual diagnostics cost a Ljung-Box test per fit: a caller fitting hundreds of
    # sensitivity rows that reports none of them skips them (``diagnostics=False``: an empty dict)
    diagnostics = _diagnostics(frame, res, family, names, params) if diagnostics else {}
    diagnostics.update({"converged": converged, "fit_notes": fit_notes, "n_obs": n_used,
                        "n_missing": n_total - n_used, "hac_lags": lags})
    if not converged:
        effects["method"] = effects["method"] + " (fit did not converge: see diagnostics)"
    if family == "quasipoisson" and lags is None:
        diagnostics["scale"] = float(res.scale)
    return ITSResult(effects=effects, diagnostics=diagnostics, model=res, design=frame)


def _diagnostics(frame, res, family, names, params) -> dict:
    from statsmodels.stats.diagnostic import acorr_ljungbox
    from statsmodels.stats.stattools import durbin_watson

    y = frame["y"].to_numpy()
    mu = np.asarray(res.predict()) if family == "nb" else np.asarray(res.fittedvalues)
    a = float(params["alpha"]) if family == "nb" else 0.0
    resid = (y - mu) / np.sqrt(mu + a * mu**2)
    df = len(y) - len(names)
    out = {"dispersion": float((resid**2).sum() / df) if df > 0 else float("nan"),
           "alpha": a if family == "nb" else float("nan")}
    for lag in (7, 14):
        if len(y) > lag + 1 and np.var(resid) > 0:
            lb = acorr_ljungbox(resid, lags=[lag])
            out[f"ljung_box_p_{lag}"] = float(lb["lb_pvalue"].iloc[0])
        else:
            out[f"ljung_box_p_{lag}"] = float("nan")
    out["durbin_watson"] = float(durbin_watson(resid))
    return out


def level_rate_ratio(counts, intervention, end, family="poisson", seasonality=None, time=None) -> float:
    """Point estimate only of the level rate ratio (no slope change), for placebo loops.

    Returns 0.0 for a window with zero events (the maximum-likelihood limit) and NaN when the
    window or its surroundings have no observed day.
    """
    frame = _design(counts, intervention, end, seasonality, False, None, time).dropna()
    inside = frame["level"] == 1
    if not inside.any() or inside.all():
        return float("nan")
    if frame.loc[inside, "y"].sum() == 0:
        return 0.0
    res, names, _, _ = _fit(frame, family, None)
    return float(np.exp(np.asarray(res.params)[names.index("level")]))


def poisson_level_batch(Y: np.ndarray, dow: np.ndarray | None, window_days: int, before_days: int,
                        use_dow: np.ndarray | None = None, max_iter: int = 50, studentised: bool = False):
    """Poisson MLE of the level rate ratio on many local spans at once (placebo fits).

    ``Y``: (n_spans, L) counts, NaN = missing (dropped: weight 0). Each span is ``before_days``
    days, then the window of ``window_days``, then the rest; the model is the local model of
    :func:`sensitivity` (constant, linear trend, level; day-of-week dummies from ``dow``
    (n_spans, L) where ``use_dow`` is true). Solved by Newton's method on the Poisson
    log-likelihood, vectorised over spans (hundreds of statsmodels fits would dominate the
    run time); the test suite checks it against ``statsmodels`` GLM to 1e-6. A tiny ridge
    (1e-9) gives 0 to columns absent from a span. Spans with zero window events give 0.

    >>> Y = np.array([[2.0, 2, 1, 1, 2, 2]])
    >>> round(float(poisson_level_batch(Y, None, 2, 2)[0]), 6)
    0.5
    """
    n, L = Y.shape
    mask = ~np.isnan(Y)
    y = np.where(mask, Y, 0.0)
    pos = np.arange(L, dtype=float)
    level = ((pos >= before_days) & (pos < before_days + window_days)).astype(float)
    cols = [np.ones(L), (pos - before_days) / L, level]
    X = np.broadcast_to(np.column_stack(cols), (n, L, 3))
    if dow is not None:
        D = (dow[:, :, None] == np.arange(1, 7)[None, None, :]).astype(float)
        if use_dow is not None:
            D = D * np.asarray(use_dow, dtype=float)[:, None, None]
        X = np.concatenate([X, D], axis=2)
    X = X * mask[:, :, None]
    p = X.shape[2]
    X = np.ascontiguousarray(X)
    Xt = X.transpose(0, 2, 1)
    beta = np.zeros((n, p))
    beta[:, 0] = np.log(np.maximum(y.sum(1), 0.5) / np.maximum(mask.sum(1), 1))
    ridge = 1e-9 * np.eye(p)
    for _ in range(max_iter):
        # batched matrix products (BLAS) rather than three-operand einsum: the placebo's hot loop
        eta = np.clip(np.matmul(X, beta[:, :, None])[:, :, 0], -50, 50)
        mu = np.exp(eta) * mask
        grad = np.matmul(Xt, (y - mu)[:, :, None])[:, :, 0]
        hess = np.matmul(Xt * mu[:, None, :], X) + ridge
        step = np.linalg.solve(hess, grad[:, :, None])[:, :, 0]
        beta += step
        if np.abs(step).max() < 1e-10:
            break
    rr = np.exp(beta[:, 2])
    zero = (y * level).sum(1) == 0
    rr[zero] = 0.0
    if not studentised:
        return rr
    # studentised: log rate ratio over its standard error, Pearson-scaled (dispersion >= 1);
    # a zero window is -inf (below every window with events)
    eta = np.clip(np.matmul(X, beta[:, :, None])[:, :, 0], -50, 50)
    mu = np.exp(eta) * mask
    hess = np.matmul(Xt * mu[:, None, :], X) + ridge
    var = np.linalg.inv(hess)[:, 2, 2]
    pearson = np.where(mask, (y - mu) ** 2 / np.where(mu > 0, mu, 1.0), 0.0).sum(1)
    phi = np.maximum(1.0, pearson / np.maximum(mask.sum(1) - p, 1))
    z = beta[:, 2] / np.sqrt(var * phi)
    z[zero] = -np.inf
    return rr, z


def placebo(
    counts: pd.Series,
    window_days: int,
    span=None,
    exclude=(),
    step_days: int = 7,
    baseline_days: int | None = None,
    seasonality="auto",
    real_rr: float | None = None,
    reported: pd.Series | None = None,
    min_reported: float = 0.0,
) -> pd.DataFrame:
    """Level rate ratios of fake truces of ``window_days`` days at dates with no real truce.

    For each candidate start date ``d`` in ``span`` (``(first, last)`` dates; default: the
    series' observed range), every ``step_days`` days, a window ``[d, d + window_days - 1]``
    is fitted with the local level-change model used by :func:`sensitivity`: Poisson, on the
    local span of ``baseline_days`` (default ``max(window_days, 14)``) days before and after
    the window, with a linear trend, a level term and, with ``seasonality="auto"``,
    day-of-week dummies when the local span has at least 28 observed days (``"dow"``: always;
    None: never); no slope change. A date is eligible when that whole local span lies inside
    ``span``, overlaps none of the ``exclude`` ranges (``[(start, end), ...]`` inclusive
    dates: the real truces), and the window and its surroundings both have observed days.
    Windows with zero events give rate ratio 0 (the MLE limit). ``reported`` (boolean Series,
    True where a report exists; default ``counts.notna()``) and ``min_reported``: a date is
    eligible only when at least that share of its local span has a report (under the ``zero``
    policy, days that were never digitised are zeros: pass the ``na`` series' ``notna()``).
    Column ``z``: the studentised statistic (log rate ratio over its Pearson-scaled standard
    error; ``-inf`` for a zero window) that :func:`placebo_p_value` ranks.

    **Why this is cheap**: a placebo table needs hundreds of fits, so they run on local spans
    (a few dozen rows each) through :func:`poisson_level_batch`, all dates at once. Only point
    estimates are compared, and the Poisson point estimate equals the quasi-Poisson one, so
    the distribution is comparable to the real window's Poisson estimate from the same local
    model (``percentile_of(result.rate_ratio, real_rr)``, also the column ``real_percentile``
    when ``real_rr`` is given). One row per eligible date: ``date``, ``window_end``,
    ``rate_ratio``, ``n_obs``.

    Do not read a percentile from fewer than ~20 placebo dates, or from a span in a different
    regime (e.g. a year of far fewer attacks) than the window.
    """
    if not isinstance(counts.index, pd.DatetimeIndex):
        raise AnalysisError("placebo needs a daily DatetimeIndex")
    y = _prepare(counts, "D")
    W = int(window_days)
    B = max(W, 14) if baseline_days is None else int(baseline_days)
    L = W + 2 * B
    values = y.to_numpy(dtype=float, na_value=np.nan)
    observed = np.flatnonzero(~np.isnan(values))
    if len(observed) == 0:
        raise AnalysisError("placebo: every day is missing")
    idx = y.index
    if span is None:
        lo_pos, hi_pos = observed[0], observed[-1]
    else:
        lo_pos = int(idx.searchsorted(pd.Timestamp(span[0])))
        hi_pos = int(idx.searchsorted(pd.Timestamp(span[1]), side="right")) - 1
    starts = np.arange(lo_pos, hi_pos - L + 2, step_days)  # first position of each local span
    blocked = np.zeros(len(idx) + 1, dtype=int)
    for s, e in exclude:
        a = int(idx.searchsorted(pd.Timestamp(s)))
        b = int(idx.searchsorted(pd.Timestamp(e), side="right"))
        blocked[a:b] = 1
    cum = np.concatenate([[0], np.cumsum(blocked[:-1])])
    starts = starts[(cum[starts + L] - cum[starts]) == 0] if len(starts) else starts
    if min_reported > 0 and len(starts):
        rep = (y.notna() if reported is None else reported.reindex(idx, fill_value=False)).to_numpy(dtype=float)
        rep_cum = np.concatenate([[0.0], np.cumsum(rep)])
        starts = starts[(rep_cum[starts + L] - rep_cum[starts]) / L >= min_reported]
    cols = ["date", "window_end", "rate_ratio", "z", "n_obs"]
    if len(starts) == 0:
        out = pd.DataFrame(columns=cols)
    else:
        Y = np.lib.stride_tricks.sliding_window_view(values, L)[starts]
        mask = ~np.isnan(Y)
        inside = mask[:, B:B + W].any(1)
        outside = mask[:, :B].any(1) | mask[:, B + W:].any(1)
        ok = inside & outside
        Y, starts = Y[ok], starts[ok]
        dow = np.lib.stride_tricks.sliding_window_view(idx.day_of_week.to_numpy(), L)[starts]
        if seasonality == "auto":
            use = (~np.isnan(Y)).sum(1) >= 28
        elif seasonality == "dow":
            use = np.ones(len(Y), dtype=bool)
        elif seasonality is None:
            use = np.zeros(len(Y), dtype=bool)
        else:
            raise AnalysisError("placebo seasonality must be 'auto', 'dow' or None")
        rr, z = poisson_level_batch(Y, dow, W, B, use, studentised=True) if len(Y) else (np.array([]),) * 2
        dates = idx[starts + B]
        out = pd.DataFrame({"date": dates, "window_end": idx[starts + B + W - 1], "rate_ratio": rr, "z": z,
                            "n_obs": (~np.isnan(Y)).sum(1)})
    if real_rr is not None:
        out["real_percentile"] = percentile_of(out["rate_ratio"], real_rr)
    return out


def placebo_p_value(z_placebo, z_real: float) -> float:
    """Two-sided randomisation p-value of a window's studentised statistic among placebo ones,
    each tail ranked on its own, with the real window counted (+1): never 0.

    >>> placebo_p_value([-1.0, 0.0, 1.0, 2.0], -3.0)
    0.4
    """
    z = np.asarray(z_placebo, dtype=float)
    z = z[~np.isnan(z)]
    if len(z) == 0 or np.isnan(z_real):
        return float("nan")
    low = (1 + (z <= z_real).sum()) / (1 + len(z))
    high = (1 + (z >= z_real).sum()) / (1 + len(z))
    return float(min(1.0, 2 * min(low, high)))


def nonoverlapping(dates: pd.Series, length_days: int) -> int:
    """How many of the spans ``[date, date + length_days)`` can be taken without overlap
    (greedily from the earliest): the number of independent-ish placebo draws.

    >>> nonoverlapping(pd.Series(pd.to_datetime(["2025-01-01", "2025-01-08", "2025-01-15"])), 10)
    2
    """
    count, free = 0, None
    for d in pd.to_datetime(pd.Series(dates)).sort_values():
        if free is None or d >= free:
            count, free = count + 1, d + pd.Timedelta(days=length_days)
    return count


def _local_window(counts: pd.Series, start, end, baseline_days: int, seasonality):
    """One real window ``[start, end]`` with ``baseline_days`` either side, as the placebo model
    sees it: (counts as one row, day of week, window length, whether day-of-week terms are used)."""
    y = _prepare(counts, "D")
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    W = (end - start).days + 1
    day = pd.Timedelta(days=1)
    days = pd.date_range(start - baseline_days * day, end + baseline_days * day, freq="D", unit=y.index.unit)
    local = y.reindex(days).to_numpy(dtype=float, na_value=np.nan)[None, :]
    use = {"auto": (~np.isnan(local)).sum() >= 28, "dow": True, None: False}[seasonality]
    return local, days.day_of_week.to_numpy()[None, :], W, np.array([use])


def local_level_z(counts: pd.Series, start, end, baseline_days: int, seasonality="auto") -> tuple[float, float]:
    """The placebo model's (rate ratio, studentised statistic) for one real window."""
    local, dow, W, use = _local_window(counts, start, end, baseline_days, seasonality)
    rr, z = poisson_level_batch(local, dow, W, baseline_days, use, studentised=True)
    return float(rr[0]), float(z[0])


def local_level_rr(counts: pd.Series, start, end, baseline_days: int, seasonality="auto") -> float:
    """The placebo model's level rate ratio for one real window ``[start, end]`` (dates), on
    the ``baseline_days`` before and after it: the number to locate in a :func:`placebo` table."""
    local, dow, W, use = _local_window(counts, start, end, baseline_days, seasonality)
    return float(poisson_level_batch(local, dow, W, baseline_days, use)[0])


def _auto_season(local: pd.Series):
    """Day-of-week dummies only when a local span has at least four weeks of observed days."""
    return "dow" if local.notna().sum() >= 28 else None
