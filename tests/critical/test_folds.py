"""Folds: the extended system against independent routes (the arclength trace, the square-root
law of the two arms, a second precision, the Krawczyk proof) and the CLI."""
import mpmath
import pytest

from symcrit.critical.families import Family, newton
from symcrit.critical.folds import folds, refine_fold, trace_branch
from symcrit.spectra.crossings import attach_arm_spectra, crossings
from symcrit.symmetry.fixedpoint import fixed_point_space

S3 = ["3", "k-3"]
X10 = [-0.512, 0.544, 0.179, 0.058, -0.821, 0.21]  # a critical point at k = 10, to 3 digits


@pytest.fixture(scope="module")
def s3_folds():
    return [attach_arm_spectra(f) for f in folds(fixed_point_space(S3), X10, 10, k_lo=5, k_hi=8, digits=25)]


def test_trace_turns_where_the_extended_system_says(s3_folds):
    tr = trace_branch(fixed_point_space(S3), X10, 10, k_lo=5, k_hi=8)
    turns = sorted(k for k, _ in tr["brackets"])
    assert len(turns) == 2 == len(s3_folds)
    # the float trace turns within a step (h = 0.02 in arclength) of the refined folds
    for k, f in zip(turns, s3_folds):
        assert abs(k - float(f.k)) < 0.02


# the folds of the Δ(S_3 × S_{k−3}) branch to 30 digits (Newton on the extended system at 60 and 75
# digits agreed; now inside the proven enclosures)
S3_FOLDS = ["5.57235257694128154603248637144", "7.03675830524726433364465603969"]


def test_fold_checks(s3_folds):
    lo, hi = s3_folds
    assert (lo.side, hi.side) == ("above", "below")
    for f, known in zip(s3_folds, S3_FOLDS):
        assert f.certified and f.proof.ok and f.checks["side_proven"]
        # the proven enclosure holds the known 30 digits, and the printed digits are its digits
        with mpmath.workdps(50):
            a, b = (mpmath.mpf(t) for t in f.k_enclosure)
            assert a <= mpmath.mpf(known) <= b and b - a < mpmath.mpf(10) ** -28
        assert f.k_str() == known[:26] or known.startswith(f.k_str()[:-1])
        assert len(f.k_str().replace(".", "")) == 25
        # the side: k₂ (k − k* ≈ k₂ t²) has the sign of the side
        assert (f.proof.quadratic > 0) == (f.side == "above")
        # the arms (an independent check): two Krawczyk-certified points with opposite determinants
        assert f.checks["two_certified_zeros"] and f.checks["det_signs_differ"]
        # the arms differ by one negative eigenvalue, in the trivial component, whose eigenvalue
        # near 0 changes sign between them
        a, b = f.arms
        assert abs(a["negative_distinct"] - b["negative_distinct"]) == 1
        assert a["negative"].get("trivial", 0) != b["negative"].get("trivial", 0)
        assert {k: v for k, v in a["negative"].items() if k != "trivial"} == \
            {k: v for k, v in b["negative"].items() if k != "trivial"}


def test_fold_proof_fails_on_a_wrong_box():
    """The proof is not a formality: a centre moved by 1e-20 in k, or a box too large for the
    Newton error, is rejected; the exact Newton centre passes."""
    from symcrit.critical.extended import ExtendedSystem, JacobianBlock, prove_fold
    sp = fixed_point_space(S3)
    p = prove_fold(sp, [-0.5178, 0.6179, 0.2465, 0.1143, -0.5139, 0.4963], 5.5724, digits=20)
    assert p.ok
    with mpmath.workdps(60):
        c = [t / sum(u * u for u in p.null) for t in p.null]   # cᵀφ = 1 at the centre, to 60 digits
        system = ExtendedSystem(sp, JacobianBlock(sp), c)
        good = system.krawczyk(p.x, p.null, p.k_mid, mpmath.mpf(10) ** -30, p.prec)
        bad = system.krawczyk(p.x, p.null, p.k_mid + mpmath.mpf(10) ** -20, mpmath.mpf(10) ** -30, p.prec)
    assert good.ok and not bad.ok and bad.k_str is None and "not inside" in bad.reason


def test_square_root_law(s3_folds):
    """Two critical points at k* + δ (side 'above') separated like √δ: a quadratic fold."""
    f = s3_folds[0]
    sp = fixed_point_space(S3)
    seps = []
    with mpmath.workdps(60):
        for delta in (mpmath.mpf(10) ** -8, mpmath.mpf(10) ** -10):
            pts = [newton(sp, [x + t * mpmath.sqrt(delta) * p for x, p in zip(f.x, f.null)], f.k + delta)[0]
                   for t in (1, -1)]
            seps.append(max(abs(a - b) for a, b in zip(*pts)))
        ratio = seps[0] / seps[1]
    # √(10^2) = 10, up to the O(√δ) correction of the next order
    assert abs(ratio - 10) < 0.01


def test_second_start_same_fold(s3_folds):
    """Refining from a start on the other arm gives the same k* to 25 digits."""
    f = s3_folds[1]
    g = refine_fold(fixed_point_space(S3), [float(v) + 1e-4 for v in f.x], float(f.k) - 1e-3, digits=25)
    with mpmath.workdps(40):
        assert abs(g.k - f.k) < mpmath.mpf(10) ** -24


def test_crossings_reports_the_fold_where_a_family_ends(s3_folds):
    fam = Family("s3w", S3, start=(10, X10))
    assert fam.track["end"] == "fold"
    res = crossings(fam, k_hi=6.0, digits=25)
    fold = [c for c in res if c["kind"] == "fold"]
    assert len(fold) == 1 and fold[0]["sign_change_confirmed"]
    with mpmath.workdps(40):
        assert abs(mpmath.mpf(fold[0]["k"]) - s3_folds[0].k) < mpmath.mpf(10) ** -23
    # the family solves near the fold (its track is sparse there: the start is refined)
    cp = fam.solve("5.6", dps=20, verify=False)  # exact k: the float 5.6 is refused (it is not 5.6)
    assert cp.gradient_residual < 1e-18


def test_no_fold_on_sk1():
    sk1 = fixed_point_space(["1", "k-1"])
    assert folds(sk1, [-0.6, 0.22, 0.31, 0.99, -0.05], 6, k_lo=6, k_hi=20, digits=12) == []
