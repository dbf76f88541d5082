"""Plots (matplotlib, Agg backend: files only, no display needed)."""
from __future__ import annotations

import math

__all__ = ["plot_validation", "plot_spectral_density", "plot_branches", "plot_counts"]


def _plt():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt


def _save(plt, fig, path):
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def plot_validation(result, path):
    """Two panels from :func:`symcrit.asymptotics.series.validate`: error against truncation order (one line
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
                  + (f"radius of convergence R = {float(v['radius']):.4f} in s (nearest singularity); "
                   if "radius" in v else f"radius ≈ {v['radius_estimate']:.3f} in s; ")
                  + f"s(k={v['k']}) = {v['s']:.3f}")
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
    return _save(plt, fig, path)


#: the largest total multiplicity a spectral-density plot takes (counts are floats on its axis)
MAX_PLOTTED_COUNT = 10 ** 300


def plot_spectral_density(spec, path, bins=60):
    """Histogram of the Hessian eigenvalues weighted by multiplicity (log-scaled count axis),
    coloured by isotypic component."""
    import numpy as np
    from symcrit.core.errors import BadInput
    ev = spec.eigenvalues()
    if spec.total_multiplicity > MAX_PLOTTED_COUNT:
        raise BadInput(f"--plot: the spectral density weights eigenvalues by their multiplicity; at k = "
                       f"{spec.point.k if spec.point.k < 10**12 else 'about 10^%d' % (len(str(int(spec.point.k))) - 1)} "
                       "the counts exceed the float range of a plot (k up to 10^150)")
    plt = _plt()
    names = sorted({n for _, _, n in ev})
    vals = np.array([float(e) for e, _, _ in ev])
    edges = np.linspace(min(vals.min(), 0), vals.max() * 1.02 + 1e-9, bins + 1)
    fig, ax = plt.subplots(figsize=(7, 4.2))
    bottom = np.zeros(bins)
    for n in names:
        h, _ = np.histogram([float(e) for e, m, nm in ev if nm == n], bins=edges,
                            weights=[float(m) for e, m, nm in ev if nm == n])
        ax.bar(edges[:-1], h, width=np.diff(edges), bottom=bottom, align="edge", label=n, alpha=0.85)
        bottom += h
    ax.set_yscale("log")
    ax.set_ylim(bottom=0.7)
    ax.set_xlabel("Hessian eigenvalue")
    ax.set_ylabel("count (multiplicity)")
    cp = spec.point
    ax.set_title(f"{cp.family.id} at k = {cp.k}: {spec.total_multiplicity:g} eigenvalues, "
                 f"{len(ev)} distinct")
    ax.legend(fontsize=7)
    return _save(plt, fig, path)


def plot_branches(fam, path, ks, crossings=()):
    """The isotypic eigenvalues along the family against real k (symlog axis), crossings marked."""
    from symcrit.core.numbers import parse_k
    from symcrit.spectra.hessian import spectrum
    plt = _plt()
    series = {}
    for k in ks:
        # sample points of a picture: a float k is taken at its exact binary value
        sp = spectrum(fam.solve(parse_k(k, allow_float=True), dps=20, verify=False))
        for c in sp.components:
            for j, e in enumerate(c.eigenvalues):
                series.setdefault((c.name, j), {})[k] = float(e)
    fig, ax = plt.subplots(figsize=(8, 5))
    names = sorted({n for n, _ in series})
    cmap = plt.get_cmap("tab10")
    for (n, j), d in sorted(series.items()):
        xs = sorted(d)
        ax.plot(xs, [d[x] for x in xs], "-", color=cmap(names.index(n) % 10), lw=1,
                label=n if j == 0 else None)
    for c in crossings:
        kc = c.get("k") or c.get("k_estimate")  # an unproven crossing is drawn at its estimate, marked '?'
        if kc is None:
            continue
        ax.axvline(float(kc), color="k", ls=":", lw=0.8)
        ax.annotate(f"k*={float(kc):.4f}{'' if c.get('k') else '?'}\n{c['component']}", (float(kc), 0), fontsize=7,
                    xytext=(3, 10), textcoords="offset points")
    ax.axhline(0, color="k", lw=0.5)
    ax.set_yscale("symlog", linthresh=1e-2)
    ax.set_xlabel("k (real)")
    ax.set_ylabel("isotypic Hessian eigenvalues")
    ax.set_title(f"{fam.id}: eigenvalues along the branch")
    ax.legend(fontsize=7, ncol=2)
    return _save(plt, fig, path)


def plot_counts(path, rstars=(2, 3, 5, 10, 20), hmax=None):
    """log10(Σ_{r<r*} G(r, r*+h) / T(r*, r*+h)) and log10(G(r*−1, ·)/T) against h, one colour per
    r*, crossovers (ratio = 1) marked: the Şimşek et al. crossover between mildly and vastly
    overparameterised networks."""
    from symcrit.landscape.counting import count, crossover

    plt = _plt()
    fig, ax = plt.subplots(figsize=(7, 4.5))
    cmap = plt.get_cmap("viridis")
    for i, rs in enumerate(rstars):
        top = hmax if hmax is not None else max(3 * rs, 12)
        hs = list(range(top + 1))
        cs = [count(rs, rs + h) for h in hs]
        col = cmap(i / max(1, len(rstars) - 1))
        ax.plot(hs, [math.log10(c["G_total"]) - math.log10(c["T"]) for c in cs], "-", color=col, label=f"r* = {rs}")
        ax.plot(hs, [math.log10(c["G"][rs - 1]) - math.log10(c["T"]) for c in cs], ":", color=col, lw=0.9)
        hx = crossover(rs)
        if hx is not None and hx <= top:
            c = cs[hx]
            ax.plot([hx], [math.log10(c["G_total"]) - math.log10(c["T"])], "o", color=col)
    ax.axhline(0, color="k", lw=0.6)
    ax.set_xlabel("h = m − r* (extra neurons)")
    ax.set_ylabel("log10( Σ_{r<r*} G(r, m) / T(r*, m) )")
    ax.set_title("symmetry-induced critical subspaces vs global-minimum subspaces\n(dotted: r = r* − 1 only; dots: crossover)")
    ax.legend(fontsize=8)
    return _save(plt, fig, path)
