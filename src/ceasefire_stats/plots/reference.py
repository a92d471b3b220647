"""Figure of the reference reproduction (Lopez Bernal et al. 2017, Sicily smoking ban)."""

from __future__ import annotations

import matplotlib.figure
import pandas as pd

from ceasefire_stats.plots.figure import credit, new_figure


def sicily_fit(frame: pd.DataFrame, model: str) -> matplotlib.figure.Figure:
    """Observed monthly rates of acute coronary events, the fitted model and the counterfactual
    without the ban (``analysis.reference.fitted_and_counterfactual``)."""
    with new_figure(figsize=(8, 4), source=credit("sicily"), layout="constrained") as fig:
        ax = fig.subplots()
        ban = frame[frame["ban"]]
        ax.axvspan(ban["month"].min() - pd.Timedelta(days=15), ban["month"].max() + pd.Timedelta(days=15),
                   color="#2ca02c", alpha=0.1, linewidth=0, label="smoking ban in force (from Jan 2005)")
        ax.plot(frame["month"], frame["observed"], linestyle="none", marker="o", markersize=3.5,
                color="#7f7f7f", label="observed")
        ax.plot(frame["month"], frame["fitted"], color="#0057b7", linewidth=1.6, label=f"fitted: {model}")
        ax.plot(frame["month"], frame["counterfactual"], color="#d62728", linestyle="--", linewidth=1.3,
                label="counterfactual without the ban (level term 0)")
        ax.set_ylabel("acute coronary events\nper 100,000 standard population per month")
        ax.set_xlabel("month (calendar month, no time zone)")
        ax.set_title("Reference reproduction: Sicily smoking ban (Lopez Bernal, Cummins, Gasparrini 2017)",
                     fontsize=10)
        ax.set_ylim(165, 305)
        ax.legend(loc="upper left", fontsize=7.5, ncols=2)
    return fig
