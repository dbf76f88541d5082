"""The continuation engine on toy systems with known branches: folds (natural mode stops and reports
them, arclength passes them), jump detection between two nearby branches, the det-sign stop, the
Lagrange predictor through an anchor, and the mpmath backend's precision."""
import math

import mpmath
import pytest

from symcrit.core.errors import BadInput
from symcrit.critical.continuation import Continuation, arclength, follow, lagrange, natural, relative_jump


class Toy:
    """G(x, k) = (g(x0, k), x1 - x0) with dg/dx0 = dg(x0, k): a scalar equation made 2-D so that the
    Jacobian's singular values tell a fold (σ_min → 0) from a regular point."""

    dim = 2

    def __init__(self, g, dg):
        self.g, self.dg = g, dg

    def gradient_function(self, backend):
        return lambda x, k: [self.g(x[0], k), x[1] - x[0]]

    def jacobian_function(self, backend):
        return lambda x, k: [self.dg(x[0], k), 0, -1, 1]


FOLD = Toy(lambda x, k: x * x + k - 1, lambda x, k: 2 * x)          # x0 = ±sqrt(1 - k): a fold at k = 1
S_CURVE = Toy(lambda x, k: x ** 3 - x + k, lambda x, k: 3 * x * x - 1)  # folds at k = ±2/(3√3)
TWO = Toy(lambda x, k: (x - 5 * k) * (x - 5 * k + 0.12), lambda x, k: 2 * x - 10 * k + 0.12)  # x0 = 5k, 5k - 0.12


def test_natural_mode_stops_at_the_fold_and_reports_it():
    r = natural(FOLD, [(0.0, [1.0, 1.0])], 2.0, variable="k", step=0.1, step_max=0.1)
    assert isinstance(r, Continuation) and r.mode == "natural" and r.end == "fold"
    k_end, x_end = r.brackets[0]
    assert 1 - 1e-6 < k_end < 1 and k_end == r.points[-1][0]
    # every point is on the branch x0 = +sqrt(1 - k)
    assert all(abs(x[0] - math.sqrt(1 - k)) < 1e-10 for k, x in r.points)
    assert abs(x_end[0]) < 2e-3 and isinstance(r.failure, Exception) and r.failed_at > k_end


def test_natural_mode_reaches_its_target_below_the_fold():
    r = natural(FOLD, [(0.0, [1.0, 1.0])], 0.5, variable="k", step=0.1, step_max=0.1)
    assert r.end == "target" and r.brackets == [] and r.points[-1][0] == 0.5
    assert abs(r.x[0] - math.sqrt(0.5)) < 1e-13


def test_arclength_passes_the_fold():
    r = arclength(FOLD, [0.5, 0.5], 0.75, k_lo=0.0, k_hi=2.0, h=0.05)
    assert r.mode == "arclength" and r.ends == ["range", "range"]
    ks = [k for k, _ in r.points]
    x0 = [x[0] for _, x in r.points]
    # one turn of k, at the fold, and the branch continues on the other arm (x0 < 0)
    assert len(r.brackets) == 1 and abs(r.brackets[0][0] - 1) < 0.05 * 0.05 + 1e-9
    assert max(ks) < 1 + 1e-12 and x0[0] * x0[-1] < 0
    assert all(abs(x[0] ** 2 + k - 1) < 1e-10 for k, x in r.points)
    # the same trace through follow()
    r2 = follow(FOLD, (0.75, [0.5, 0.5]), mode="arclength", k_lo=0.0, k_hi=2.0, h=0.05)
    assert [k for k, _ in r2.points] == ks


def test_det_stop_keeps_a_step_from_crossing_a_fold():
    # the middle branch of x^3 - x + k = 0 ends at k = 2/(3√3); beyond it the only root is on the far
    # branch, where det J has the other sign
    kf = 2 / (3 * math.sqrt(3))
    opts = dict(variable="k", jump=math.inf, step=0.1, step_max=0.1, predictor="secant")
    stop = natural(S_CURVE, [(0.0, [0.0, 0.0])], 0.6, det_stop=True, **opts)
    assert stop.end == "fold" and abs(stop.brackets[0][0] - kf) < 1e-6
    assert all(d < 0 for d in stop.dets) and len(stop.dets) == len(stop.points)
    # without the det test (and no jump test) the step lands on the far branch: the test can fail
    free = natural(S_CURVE, [(0.0, [0.0, 0.0])], 0.6, det_stop=False, **opts)
    assert free.end == "target" and free.x[0] < -1


def test_jump_to_a_nearby_branch_is_detected():
    # two parallel branches 0.12 apart; a constant predictor from (0, 0) to k = 0.02 is nearer the
    # other branch (x0 = 5k - 0.12 = -0.02) than its own (x0 = 0.1)
    lands = natural(TWO, [(0.0, [0.0, 0.0])], variable="k", predictor="constant", jump=math.inf, schedule=[0.02])
    assert lands.end == "target" and abs(lands.x[0] - (-0.02)) < 1e-12
    caught = natural(TWO, [(0.0, [0.0, 0.0])], variable="k", predictor="constant", jump=0.01, schedule=[0.02])
    assert caught.end == "jump" and caught.failed_at == 0.02 and len(caught.points) == 1
    # with step control the rejected step is halved until the correction is small: the branch is kept
    kept = natural(TWO, [(0.0, [0.0, 0.0])], 0.2, variable="k", predictor="secant", jump=0.01, step=0.02,
                   step_max=0.05)
    assert kept.end == "target" and all(abs(x[0] - 5 * k) < 1e-12 for k, x in kept.points)


def test_relative_jump_limit():
    lim = relative_jump(10, 1e-8, first=0.05)
    assert lim([(0, [1.0])]) == 0.05
    assert lim([(0, [1.0, 2.0]), (1, [1.5, 2.25])]) == pytest.approx(5.0 + 1e-8)


def test_lagrange_predictor_through_an_anchor_in_mpmath():
    # x0 = 1/k = s^2 with W∞ = 0 at s = 0: the quadratic through (0, 0) and the last two points predicts
    # it exactly, so a jump limit of 10^-55 passes, in geometric steps s -> s/100
    sys_ = Toy(lambda x, k: x - 1 / k, lambda x, k: 1)
    with mpmath.workdps(60):
        s0, s1 = mpmath.mpf("0.02"), mpmath.mpf("0.01")
        pts = [(s, [s * s, s * s]) for s in (s0, s1)]
        steps = [s1]
        for _ in range(5):
            steps.append(steps[-1] / 100)  # s -> s/100, in the arithmetic the engine uses
        r = natural(sys_, pts, steps[-1], variable="s", backend="mpmath", predictor="lagrange",
                    anchors=[(0, [0, 0])], factor=100, jump=mpmath.mpf(10) ** -55)
        assert r.end == "target" and [p for p, _ in r.points[1:]] == steps
        # the secant predictor is not exact: the same tight jump limit stops it at the first step
        sec = natural(sys_, pts, steps[-1], variable="s", backend="mpmath", predictor="secant", factor=100,
                      jump=mpmath.mpf(10) ** -55)
        assert sec.end == "jump" and len(sec.points) == 2
        assert all(abs(x[0] - s * s) <= mpmath.mpf(10) ** -55 for s, x in r.points)  # Newton's tolerance at 60 digits


def test_mpmath_backend_keeps_the_working_precision():
    with mpmath.workdps(50):
        r = natural(FOLD, [(mpmath.mpf(0), [mpmath.mpf(1), mpmath.mpf(1)])], mpmath.mpf("0.75"), variable="k",
                    backend="mpmath", step=mpmath.mpf("0.05"), step_max=mpmath.mpf("0.1"))
        assert r.end == "target" and len(r.points) > 5
        for k, x in r.points:
            assert isinstance(x[0], mpmath.mpf)
            assert abs(x[0] - mpmath.sqrt(1 - k)) < mpmath.mpf(10) ** -45
    # the same continuation in float64 agrees to float precision only
    f = natural(FOLD, [(0.0, [1.0, 1.0])], 0.75, variable="k", step=0.05, step_max=0.1)
    assert abs(f.x[0] - 0.5) < 1e-12


def test_lagrange_polynomial():
    assert lagrange([0, 1, 2], [1, 2, 5], 3) == 10  # x^2 + 1


def test_bad_options():
    with pytest.raises(BadInput):
        follow(FOLD, [(0.0, [1.0, 1.0])], mode="newton", target=1.0)
    with pytest.raises(BadInput):
        natural(FOLD, [(0.0, [1.0, 1.0])], 1.0, variable="t")
    with pytest.raises(BadInput):
        natural(FOLD, [(0.0, [1.0, 1.0])])
    with pytest.raises(BadInput):
        arclength(FOLD, [1.0, 1.0], 0.0, backend="mpmath")


def _sqrt_corrector(p, pred, state):
    """Newton on x² − p = 0 in complex arithmetic; the state counts the steps."""
    x = complex(pred[0])
    for _ in range(30):
        dx = (x * x - p) / (2 * x)
        x -= dx
        if abs(dx) < 1e-15:
            return [x], state + 1, abs(x)
    from symcrit.core.errors import NotConverged
    raise NotConverged("no convergence")


def test_along_a_complex_path_keeps_the_branch_of_the_square_root():
    """x² = p continued from p = 1 (x = 1) along the unit circle through i to −1 arrives at x = i
    (the analytic continuation), not at the other root −i; the state is carried along."""
    import cmath
    from symcrit.critical.continuation import along
    targets = [cmath.exp(1j * math.pi * t / 8) for t in range(1, 9)]
    res = along((1 + 0j, [1 + 0j], 0), targets, _sqrt_corrector, step=0.05)
    assert res.end == "target" and abs(res.points[-1][0] + 1) < 1e-15
    assert abs(res.x[0] - 1j) < 1e-12
    assert res.state == len(res.points) - 1 == len(res.info)
    # the other way round the circle gives the other root
    back = along((1 + 0j, [1 + 0j], 0), [t.conjugate() for t in targets], _sqrt_corrector, step=0.05)
    assert abs(back.x[0] + 1j) < 1e-12


def test_along_a_path_through_the_branch_point_gets_stuck():
    """Through p = 0 (where the two roots meet) the jump test / the corrector fail and the steps
    shrink below step_min: the result says 'stuck' and keeps the last good point."""
    from symcrit.critical.continuation import along
    res = along((1 + 0j, [1 + 0j], 0), [-1 + 0j], _sqrt_corrector, step=0.05, step_min=1e-6,
                jump=lambda pts, h: 10 * h)
    assert res.end == "stuck" and res.failure is not None
    assert 0 < res.points[-1][0].real < 0.05


class EqualRows:
    """Δ(S_1 × S_{k-1}) restricted to d = e (rows 2..k equal: the fixed-point space of
    (S_1 × S_{k-1}) × (S_1 × S_{k-1}), rows and columns permuted independently), parameters (a, b, c, e):
    the student is relu(w_1·x) + relu((k−1) w_2·x).  On the subspace the kernel of two equal rows has
    no square root (S ≡ 0), so the restricted loss is smooth where the 5-parameter Jacobian is not
    finite; by symmetric criticality its critical points are critical in the full space."""

    dim = 4

    def __init__(self):
        import sympy

        from symcrit.core.ad import jacobian_program
        from symcrit.core.compile import compile_exprs
        from symcrit.core.contexts import get_context
        from symcrit.symmetry.fixedpoint import K_SYMBOL, fixed_point_space
        self.space = fixed_point_space(["1", "k-1"])
        a, b, c, d, e = self.space.params
        F = self.space.loss_in(get_context("sympy"), [a, b, c, e, e], K_SYMBOL)
        args = [a, b, c, e, K_SYMBOL]
        self._loss = compile_exprs(args, [F], "equal_rows_loss")
        self._grad = compile_exprs(args, [sympy.diff(F, v) for v in (a, b, c, e)], "equal_rows_grad")
        self._jac = jacobian_program(self._grad, 5, 4, "equal_rows_jac")

    def _fn(self, fn, backend):
        from symcrit.core.contexts import get_context
        ctx = get_context(backend)
        return lambda x, k: fn(ctx, *[ctx.convert(v) for v in x], ctx.convert(k))

    def gradient_function(self, backend):
        return self._fn(self._grad, backend)

    def jacobian_function(self, backend):
        return self._fn(self._jac, backend)

    def W(self, x, k):
        return self.space.embed([x[0], x[1], x[2], x[3], x[3]], k)


def test_the_equal_rows_pair_of_the_enclosure_is_one_branch_from_k6_to_k7():
    """The pair at F ≈ 0.5601511162 of the complete k = 6 list of Δ(S_1 × S_{k-1}) (rows 2..k equal),
    followed in real k on the equal-rows subspace (natural continuation, mpmath), arrives at the pair
    F ≈ 0.8158688318 of the complete k = 7 list: critical in the full k×k space (gradient < 1e-25 at
    40 digits); the swap (w_1, w_2) ↦ ((k−1)w_2, w_1/(k−1)) maps one point of the pair to the other.  Their
    dense Hessian has (k−1)(k−2) negative and k−2 zero eigenvalues (float64, checked): rows 2..k can trade
    norm (relu((1+t)w·x) + relu((1−t)w·x) = 2 relu(w·x)), a (k−2)-simplex of critical points."""
    import numpy as np

    from symcrit.core.newton import newton
    from symcrit.model.network import StudentTeacher
    S = EqualRows()
    with mpmath.workdps(40):
        x6, _, _ = newton(S, [mpmath.mpf(v) for v in ("2.275571", "0.214858", "-0.211629", "0.190443")], mpmath.mpf(6))
        res = natural(S, [(mpmath.mpf(6), x6)], mpmath.mpf(7), variable="k", backend="mpmath", predictor="constant",
                      jump=mpmath.mpf("0.5"), step=mpmath.mpf("0.1"), step_max=mpmath.mpf("0.25"),
                      step_min=mpmath.mpf(10) ** -6, maxit=40)
        assert res.end == "target" and len(res.points) > 4
        for k, x, loss in ((6, x6, "0.560151116171"), (7, res.x, "0.8158688318")):
            a, b, c, e = x
            M = StudentTeacher(k)
            swapped = [(k - 1) * c, (k - 1) * e, a / (k - 1), b / (k - 1)]
            for y in (x, swapped):
                W = S.W(y, k)
                assert max(abs(v) for v in np.asarray(M.gradient(W)).ravel()) < mpmath.mpf(10) ** -25
                assert abs(M.loss(W) - mpmath.mpf(loss)) <= mpmath.mpf(10) ** -len(loss.split(".")[1]) / 2
            ev = np.linalg.eigvalsh(M.hessian(np.array(S.W(x, k), dtype=float)))
            assert sum(ev < -1e-8) == (k - 1) * (k - 2) and sum(abs(ev) <= 1e-8) == k - 2
