"""The reference reproduction: Lopez Bernal, Cummins and Gasparrini (2017) on ``sicily.csv``.

Lopez Bernal J, Cummins S, Gasparrini A. Interrupted time series regression for the evaluation
of public health interventions: a tutorial. *Int J Epidemiol* 2017;46(1):348-355
(doi:10.1093/ije/dyw098). Monthly acute coronary events (``aces``) in Sicily, 2002-2006, the
smoking ban from month 37 (January 2005), standardised population ``stdpop`` as exposure. The
authors' R models (``aces ~ smokban + time``, offset ``log(stdpop)``, level change only) and
their published rate ratios are :data:`PUBLISHED`; :func:`reproduction` fits the same models with
:func:`ceasefire_stats.analysis.its` through its public arguments and puts them side by side.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ceasefire_stats.analysis.interrupted import ITSResult, its

INTERVENTION = 37
"""Month number of the smoking ban (January 2005)."""

MODELS: dict[str, dict] = {
    "Poisson": {"family": "poisson", "seasonality": None},
    "quasi-Poisson": {"family": "quasipoisson", "seasonality": None},
    "quasi-Poisson + 2 harmonic pairs (period 12)": {"family": "quasipoisson", "seasonality": ("harmonic", 2, 12)},
}
"""The three published models as :func:`its` arguments (all: ``slope_change=False``, offset ``stdpop``)."""

PUBLISHED = pd.DataFrame({
    "model": list(MODELS),
    "rate_ratio": [0.8944, 0.8944, 0.8851],
    "ci_low": [0.8647, 0.8392, 0.8394],
    "ci_high": [0.9251, 0.9532, 0.9332],
    "scale": [np.nan, 3.559, np.nan],
})
"""The rate ratios of the smoking ban published by Lopez Bernal et al. (2017), with 95 % intervals."""


def sicily(path: str | Path | None = None) -> pd.DataFrame:
    """``sicily.csv`` (registry source ``sicily``; fetched and verified when ``path`` is None),
    indexed by month number ``time`` (1..59), with a ``month`` start date column."""
    if path is None:
        from ceasefire_stats.core.sources import require

        path = require("sicily")
    data = pd.read_csv(path).set_index("time")
    data["month"] = pd.to_datetime(dict(year=data["year"], month=data["month"], day=1))
    return data


def fit(data: pd.DataFrame, model: str) -> ITSResult:
    """One of :data:`MODELS` fitted with :func:`its` on the Sicily data."""
    return its(data["aces"], INTERVENTION, slope_change=False, offset=data["stdpop"], **MODELS[model])


def reproduction(data: pd.DataFrame) -> pd.DataFrame:
    """Published and reproduced rate ratios side by side, one row per model: ``published``
    and ``ours`` (``RR (low-high)`` to 4 decimals), the largest absolute difference of the three
    numbers, and the quasi-Poisson scale where the paper gives it."""
    rows = []
    for pub in PUBLISHED.itertuples():
        res = fit(data, pub.model)
        lev = res.effects.set_index("term").loc["level"]
        ours = (lev["rate_ratio"], lev["ci_low"], lev["ci_high"])
        diff = max(abs(a - b) for a, b in zip(ours, (pub.rate_ratio, pub.ci_low, pub.ci_high), strict=True))
        scale = res.diagnostics.get("scale", np.nan) if res.diagnostics.get("scale") is not None else np.nan
        rows.append({"model": pub.model,
                     "published": f"{pub.rate_ratio:.4f} ({pub.ci_low:.4f}-{pub.ci_high:.4f})",
                     "ours": f"{ours[0]:.4f} ({ours[1]:.4f}-{ours[2]:.4f})",
                     "max_abs_diff": round(diff, 5),
                     "published_scale": pub.scale, "our_scale": round(float(scale), 4) if not pd.isna(scale) else np.nan,
                     "method": lev["method"]})
    return pd.DataFrame(rows)


def fitted_and_counterfactual(data: pd.DataFrame, model: str) -> pd.DataFrame:
    """Observed and fitted rates per 100,000 person-years of a model of :data:`MODELS`, and the
    counterfactual without the ban (the same fit with the level term set to 0), per month."""
    res = fit(data, model)
    design = res.design
    names = [c for c in design.columns if c not in ("y", "offset")]
    params = pd.Series(np.asarray(res.model.params)[: len(names)], index=names)
    X = design[names]
    per = 1e5 / data["stdpop"]
    fitted = np.exp(X @ params + design["offset"]) * per
    counter = np.exp(X.assign(level=0.0) @ params + design["offset"]) * per
    return pd.DataFrame({"month": data["month"], "observed": data["aces"] * per, "fitted": fitted,
                         "counterfactual": counter.where(design["level"] == 1), "ban": design["level"] == 1})
