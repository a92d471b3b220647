"""Seeded Monte Carlo of :func:`window_effect` on daily series like ours: overdispersed,
autocorrelated, with missing days, trends and weekly cycles.

:class:`Design` describes one kind of series and window; :func:`simulate` draws one series;
:func:`run` estimates many replicates and returns one row per replicate;
:func:`summary` gives coverage of the true rate ratio and the false-positive rates (interval
excluding 1, p-value below 0.05) under no effect. The test suite runs the tuning designs
(:data:`TUNING`, few replicates); ``benchmarks/sim_window_effect.py`` runs more replicates and the
held-out designs (:data:`HELD_OUT`) that the defaults were *not* tuned on.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace

import numpy as np
import pandas as pd

from ceasefire_stats.analysis.errors import AnalysisError


@dataclass(frozen=True)
class Design:
    """One simulation design: NB2 days (``alpha``) whose log-mean has AR(1) noise (``rho``,
    innovation sd ``sd``), a linear ``trend`` (log change per year), a day-of-week cycle of
    amplitude ``dow`` (log scale), a share ``missing`` of days missing at random, and a window
    of ``window_days`` days with true rate ratio ``rr`` at the end of ``n_days`` days, followed by
    ``tail_days`` days."""

    name: str
    window_days: int
    mean: float = 20.0
    alpha: float = 0.5
    rho: float = 0.6
    sd: float = 0.25
    trend: float = 0.0
    dow: float = 0.0
    missing: float = 0.0
    rr: float = 0.5
    n_days: int = 420
    tail_days: int = 40
    baseline_days: int = 28


TUNING: tuple[Design, ...] = (
    Design("1 day", 1),
    Design("3 days", 3),
    Design("7 days", 7),
    Design("30 days, 10% missing", 30, missing=0.10),
    Design("3 days, low counts (mean 2)", 3, mean=2.0),
)
"""The designs the defaults were tuned on (NB alpha 0.5, AR(1) rho 0.6)."""

HELD_OUT: tuple[Design, ...] = (
    Design("held-out: 1 day, alpha 1.5, rho 0.3", 1, alpha=1.5, rho=0.3),
    Design("held-out: 3 days, rho 0.8, sd 0.2", 3, rho=0.8, sd=0.2),
    Design("held-out: 7 days, trend +0.8/yr, day of week 0.3", 7, trend=0.8, dow=0.3),
    Design("held-out: 14 days, alpha 0.2, mean 60", 14, alpha=0.2, mean=60.0),
    Design("held-out: 30 days, 20% missing, baseline 42", 30, missing=0.2, baseline_days=42),
    Design("held-out: 2 days, mean 0.8", 2, mean=0.8, rr=1.0),
    Design("held-out: 5 days, rho 0.9, sd 0.15, baseline 14", 5, rho=0.9, sd=0.15, baseline_days=14),
)
"""Designs not used to choose anything: other dispersion, persistence, trend, weekly cycle,
baseline length, missing share and count level."""


def simulate(design: Design, rng: np.random.Generator, rr: float | None = None) -> tuple[pd.Series, pd.Timestamp,
                                                                                         pd.Timestamp]:
    """One series of ``design`` with true rate ratio ``rr`` (default ``design.rr``) in the
    window: ``(counts, window_start, window_end)``."""
    n = design.n_days + design.window_days + design.tail_days
    e = rng.normal(0, design.sd, n)
    u = np.empty(n)
    u[0] = e[0] / np.sqrt(1 - design.rho**2)
    for t in range(1, n):
        u[t] = design.rho * u[t - 1] + e[t]
    idx = pd.date_range("2024-01-01", periods=n, freq="D", unit="us")
    log_mu = np.log(design.mean) + u + design.trend * np.arange(n) / 365 \
        + design.dow * np.sin(2 * np.pi * idx.day_of_week.to_numpy() / 7)
    inside = (np.arange(n) >= design.n_days) & (np.arange(n) < design.n_days + design.window_days)
    log_mu = log_mu + np.log(design.rr if rr is None else rr) * inside
    mu = np.exp(log_mu)
    size = 1 / design.alpha
    y = rng.negative_binomial(size, size / (size + mu)).astype(float)
    y[rng.random(n) < design.missing] = np.nan
    if np.isnan(y[inside]).all():
        y[np.flatnonzero(inside)[0]] = rng.negative_binomial(size, size / (size + mu[inside][0]))
    return pd.Series(y, index=idx), idx[design.n_days], idx[design.n_days + design.window_days - 1]


def run(design: Design, reps: int, seed: int, null: bool = False, **options) -> pd.DataFrame:
    """``reps`` replicates of :func:`window_effect` on ``design`` (``null``: true rate ratio 1);
    ``options`` go to :func:`window_effect`, plus ``method="hac_level"``: the old table's NB2 +
    HAC level row (:func:`its`, automatic Newey-West lags) instead, for comparison."""
    from ceasefire_stats.analysis.interrupted import its
    from ceasefire_stats.analysis.window_effect import window_effect

    rng = np.random.default_rng(seed)
    rr = 1.0 if null else design.rr
    hac = options.pop("method", None) == "hac_level"
    rows = []
    for _ in range(reps):
        y, ws, we = simulate(design, rng, rr)
        try:
            if hac:
                B = design.baseline_days
                local = y.loc[ws - pd.Timedelta(days=B): we + pd.Timedelta(days=B)]
                lev = its(local, ws, we, family="nb", seasonality="dow", slope_change=False, hac_lags="auto",
                          diagnostics=False).effects.iloc[0]
                rows.append({"rate_ratio": lev["rate_ratio"], "ci_low": lev["ci_low"], "ci_high": lev["ci_high"],
                             "p_value": lev["p_value"]})
            else:
                r = window_effect(y, ws, we, baseline_days=design.baseline_days, **options).iloc[0]
                rows.append({"rate_ratio": r["rate_ratio"], "ci_low": r["ci_low"], "ci_high": r["ci_high"],
                             "p_value": r["p_value"], "interval_method": r["interval_method"]})
        except AnalysisError as exc:  # e.g. a zero window under HAC: counted as a failure, not dropped
            rows.append({"rate_ratio": np.nan, "ci_low": np.nan, "ci_high": np.nan, "p_value": np.nan,
                         "error": str(exc)})
    out = pd.DataFrame(rows)
    out["true_rr"] = rr
    return out


def summary(results: pd.DataFrame) -> dict:
    """Coverage of the true rate ratio (failures count as not covering), the share of
    intervals excluding 1 and of p-values below 0.05, and the number of replicates."""
    rr = results["true_rr"].iloc[0]
    covered = (results["ci_low"] <= rr) & (rr <= results["ci_high"])
    return {"reps": len(results), "coverage": float(covered.mean()),
            "excludes_1": float(((results["ci_high"] < 1) | (results["ci_low"] > 1)).mean()),
            "p_below_05": float((results["p_value"] < 0.05).mean())}


def table(designs, reps: int, seed: int, **options) -> pd.DataFrame:
    """One row per design: coverage under the design's effect, and both false-positive rates
    under no effect (:func:`summary`), with the design's parameters."""
    rows = []
    for k, d in enumerate(designs):
        eff = summary(run(d, reps, seed + 2 * k, **dict(options)))
        null = summary(run(d, reps, seed + 2 * k + 1, null=True, **dict(options)))
        rows.append({**asdict(d), "reps": reps, "coverage": eff["coverage"],
                     "coverage_null": null["coverage"], "fpr_interval": null["excludes_1"],
                     "fpr_p": null["p_below_05"]})
    return pd.DataFrame(rows)


__all__ = ["HELD_OUT", "TUNING", "Design", "replace", "run", "simulate", "summary", "table"]
