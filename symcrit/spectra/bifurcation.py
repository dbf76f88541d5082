"""The equations of a family near a crossing, reduced to the S_p-equivariant normal form.

At a crossing k* (:func:`symcrit.spectra.crossings.crossings`) an eigenvalue μ of an isotypic component
V_I — a copy of the standard representation of the block S_p, p = |block I| — passes through 0.
On that copy, with coordinates x ∈ V = {x ∈ R^p : Σ x = 0} scaled so that the displacement has
Frobenius norm |x|, the loss near the family's point W₀(k) is

    f(x, k) = μ(k)/2 |x|² + γ/6 · Σ x_i³ + O(|x|⁴),     ∇f = μ(k) x + (γ/2) P(x∘x) + O(|x|³)

— the generic S_p-equivariant normal form with the quadratic equivariant P(x∘x) = x∘x − mean
(:mod:`symcrit.symmetry.equivariants`).  The cubic invariant is unique, so one third derivative fixes γ:
along the axial vector u = e_a − 1/p, Σ u_i³ = (p−1)(p−2)/p², and D²F vanishes on the kernel,
so the Lyapunov–Schmidt correction does not enter at this order.  Everything is computed in the
fixed-point spaces, where k (hence p) is a real number.

With γ ≠ 0 the bifurcation is transcritical: the axial branches x = t u with
t = −μ p / ((γ/2)(p − 2)) (isotropy S_{p−1} inside the block) cross the family at k*; they are
found and checked here by Newton on the finer fixed-point space, and their Hessian index is
computed by symmetry on both sides.
"""
from __future__ import annotations

from symcrit.core.errors import BadInput
from symcrit.core.numbers import parse_k, to_mpf
import mpmath

from symcrit.core.newton import newton
from symcrit.critical.families import CriticalPoint, Family
from symcrit.symmetry.blocks import poly_at
from symcrit.spectra.hessian import vector_difference, unit_vector, fine_space, ones_vector, orbit_values, pencil, standard_vectors, spectrum

__all__ = ["normal_form"]


def _axial_vectors(coarse, I, p):
    """The V_I basis (as matrix functions) with v = e_a − (1/p)·1_I, in the space labelled {I: [a]}."""
    one_I = ones_vector(I)
    return standard_vectors(coarse, I, vector_difference(unit_vector(I, "a"), lambda pos: one_I(pos) / p))


def _kernel_direction(fine, cvals, k, vecs):
    """The eigenvector (fine coordinates) of the eigenvalue of V_I nearest 0, and that eigenvalue."""
    C, Li, W, keep, y0, orb = pencil(fine, cvals, k, vecs)
    ev, Q = mpmath.eigsy(C)
    j = min(range(len(keep)), key=lambda i: abs(ev[i]))
    coef = Li.T * Q[:, j]                       # back to the vector basis
    xi = [sum(coef[a] * W[keep[a]][t] for a in range(len(keep))) for t in range(len(y0))]
    return y0, xi, ev[j], orb


def normal_form(fam, kstar, component, dps=40, deltas=("1e-3", "1e-4")):
    """Reduce ``fam``'s equations at the crossing ``kstar`` of ``component`` ('V_I') to the normal form.

    Returns a dict: ``p`` (the block size at k*), ``mu`` (the eigenvalue at k*, ≈ 0), ``dmu_dk``,
    ``gamma`` and ``q = gamma/2`` (the coefficient of P(x∘x)), and ``branches``: for each
    k = k* ± δ the predicted and the Newton-computed axial amplitude t, the branch's loss and its
    Hessian index (negative count, by symmetry) next to the family's.
    """
    if fam.space.extra:
        raise BadInput(f"family {fam.id}: the normal form with an extra student neuron is not implemented")
    if not component.startswith("V_") or "⊗" in component:
        raise BadInput(f"the normal form is for a standard-representation component V_I, not {component!r}")
    coarse = fam.space
    try:
        I = int(component[2:]) - 1
    except ValueError:
        I = -1
    if not 0 <= I < len(coarse.sizes):
        raise BadInput(f"family {fam.id} has no component {component!r}: its V_I are "
                       + ", ".join(f"V_{i + 1}" for i in range(len(coarse.sizes))))
    kstar = parse_k(kstar)  # exact: a 30-digit k* given as a float would be rounded to 16 digits
    with mpmath.workdps(dps + 20):
        ks = to_mpf(kstar)
        cp = fam.solve(ks, dps=dps + 10, verify=False)
        p = mpmath.mpf(poly_at(coarse.sizes[I], ks))
        if p <= 2 + mpmath.mpf(10) ** -10:
            raise BadInput(f"block {I + 1} has size {mpmath.nstr(p, 8)} <= 2 at k*: no quadratic equivariant "
                             "(the normal form starts at cubic order)")
        fine = fine_space(tuple(coarse.sizes), ((I, ("a",)),))
        vecs = _axial_vectors(coarse, I, p)
        y0, xi, mu, orb = _kernel_direction(fine, cp.values, ks, vecs)
        if abs(mu) > mpmath.mpf(10) ** (-(dps // 2)):
            raise BadInput(f"k = {mpmath.nstr(ks, 15)} is not a crossing of {component}: its eigenvalue nearest 0 "
                             f"is {mpmath.nstr(mu, 5)} (locate k* with `symcrit crossings`)")
        # scale: the displacement of x = u has Frobenius norm |u| = sqrt((p-1)/p)
        nrm = mpmath.sqrt(sum(o * c * c for o, c in zip(orb, xi)))
        u_norm = mpmath.sqrt((p - 1) / p)
        xi = [c * u_norm / nrm for c in xi]
        F = fine.space.loss_function("mpmath")
        h = mpmath.mpf(10) ** (-(dps // 4))

        def phi(t):
            return F([y + t * c for y, c in zip(y0, xi)], ks)

        def third(h):
            return (phi(2 * h) - 2 * phi(h) + 2 * phi(-h) - phi(-2 * h)) / (2 * h ** 3)
        # central differences, error O(h²): the step 2h gives a second value; their difference
        # (about 3× the error at h) bounds the digits printed (checked, not proven)
        d3, d3_coarse = third(h), third(2 * h)
        p3u = (p - 1) * (p - 2) / p ** 2
        gamma = d3 / p3u
        gamma_err = abs(d3 - d3_coarse) / abs(p3u)
        # the sign convention of xi is arbitrary: fix it so that gamma > 0
        if gamma < 0:
            gamma, xi = -gamma, [-c for c in xi]
        q = gamma / 2
        # mu'(k*) from the component's eigenvalue nearest 0 at k* ± eps
        eps = mpmath.mpf(10) ** (-(dps // 3))
        def slope(e):
            lam = []
            for kk in (ks - e, ks + e):
                c2 = fam.solve(kk, dps=dps + 10, verify=False)
                evs = spectrum(c2, components=[component]).components[0].eigenvalues
                lam.append(min(evs, key=abs))
            return (lam[1] - lam[0]) / (2 * e)
        dmu, dmu_coarse = slope(eps), slope(2 * eps)
        dmu_err = abs(dmu - dmu_coarse)
        branches = []
        for dl in deltas:
            for sgn in (-1, 1):
                kk = ks + sgn * mpmath.mpf(dl)
                cpk = fam.solve(kk, dps=dps + 10, verify=False)
                yk = fine.point(cpk.values)
                mu_k = dmu * (kk - ks)
                t_pred = -mu_k * p / (q * (p - 2))
                x0 = [y + t_pred * c for y, c in zip(yk, xi)]
                yb, res, _ = newton(fine.space, x0, kk)
                orbk = orbit_values(fine.space, kk)
                t_meas = sum(o * (a - b) * c for o, a, b, c in zip(orbk, yb, yk, xi)) / \
                    sum(o * c * c for o, c in zip(orbk, xi))
                dist = mpmath.sqrt(sum(o * (a - b) ** 2 for o, a, b in zip(orbk, yb, yk)))
                axial = Family(f"{fam.id}-axial", fine.space, start=(float(kk), [float(v) for v in yb]))
                bcp = CriticalPoint(axial, kk, dps, list(yb), mpmath.mp.dps)
                spb = spectrum(bcp)
                spf = spectrum(cpk)
                branches.append({
                    "k": mpmath.nstr(kk, 12), "t_predicted": mpmath.nstr(t_pred, 8), "t_newton": mpmath.nstr(t_meas, 8),
                    "ratio": mpmath.nstr(t_meas / t_pred, 8), "distance": mpmath.nstr(dist, 6),
                    "residual": mpmath.nstr(res, 3),
                    "loss_branch": mpmath.nstr(F(yb, kk), 15), "loss_family": mpmath.nstr(F(yk, kk), 15),
                    "negative_count_branch": _neg(spb), "negative_count_family": _neg(spf),
                })
        return {"family": fam.id, "kstar": mpmath.nstr(ks, 25), "component": component, "p": mpmath.nstr(p, 20),
                "mu": mpmath.nstr(mu, 5), "dmu_dk": _agreed(dmu, dmu_err, 15), "gamma": _agreed(gamma, gamma_err, 15),
                "q": _agreed(q, gamma_err / 2, 15), "branches": branches,
                "evidence": {
                    "kstar": "as given (from `symcrit crossings`: proven digits)",
                    "mu": "estimated (the component's eigenvalue nearest 0 at k*, mpmath)",
                    "dmu_dk, gamma, q": "checked: central differences at two step sizes; only the digits on "
                                        "which the two agree are printed",
                    "branches": "checked (Newton on the finer fixed-point space; residual given)",
                    "negative_count": "estimated (signs of the eigenvalues by symmetry, mpmath)"}}


def _agreed(x, err, cap):
    """x printed to the significant digits that an error estimate ``err`` leaves (at most ``cap``)."""
    if err == 0:
        return mpmath.nstr(x, cap)
    if x == 0:
        return "±" + mpmath.nstr(err, 2)
    digits = int(mpmath.floor(mpmath.log10(abs(x) / err)))
    return mpmath.nstr(x, max(1, min(cap, digits))) if digits >= 1 else "±" + mpmath.nstr(abs(x) + err, 2)


def _neg(sp):
    """Negative eigenvalue count with multiplicities (a real number at fractional k), counted by
    :func:`symcrit.core.signs.count_signs` (estimated); the reason string when undecided."""
    sg = sp.signs()
    if not sg.decided:
        return f"undecided: {sg.reason}"
    tot = sg.negative
    return mpmath.nstr(mpmath.mpf(tot), 8) if not isinstance(tot, int) else tot
