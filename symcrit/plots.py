"""Plots (matplotlib, Agg backend: files only, no display needed)."""
from __future__ import annotations

import math

__all__ = ["plot_validation"]


def _plt():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt


def plot_validation(result, path):
    """Two panels from :func:`symcrit.series.validate`: error against truncation order (one line
    per k) and error against k (one line per order), parameters solid, critical value dashed."""
    plt = _plt()
    rows = result["rows"]
    order = result["order"]
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(12, 4.8))
    cmap = plt.get_cmap("viridis")
    for i, r in enumerate(rows):
        col = cmap(i / max(1, len(rows) - 1))
        ax1.semilogy(range(order + 1), [max(e, 1e-300) for e in r["param_error"]], "-", color=col, label=f"k={r['k']}")
        ax1.semilogy(range(order + 1), [max(e, 1e-300) for e in r["loss_error"]], "--", color=col, lw=0.8)
    ax1.set_xlabel("truncation order N (terms through s^N)")
    ax1.set_ylabel("error against the exact critical point")
    v = result["verdict"]
    ax1.set_title(f"{result['family']}: max parameter error (solid), |F error| (dashed)\n"
                  f"radius ≈ {v['radius_estimate']:.3f} in s; s(k={v['k']}) = {v['s']:.3f}")
    ax1.legend(fontsize=7, ncol=2)
    ks = [float(r["k"]) for r in rows]
    orders = sorted({0, 2, 4, order // 4, order // 2, order})
    for j, N in enumerate(orders):
        col = cmap(j / max(1, len(orders) - 1))
        ax2.loglog(ks, [max(r["param_error"][N], 1e-300) for r in rows], "o-", color=col, label=f"N={N}")
    ax2.set_xlabel("k")
    ax2.set_ylabel("max parameter error")
    ax2.set_title("error against k, by truncation order")
    ax2.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
