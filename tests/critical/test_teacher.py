"""Points that are the teacher: identified exactly, the zero proven by a Krawczyk box with the
full-space Hessian enclosed over the box (symcrit.critical.teacher)."""
import mpmath
import numpy as np
from flint import arb, ctx as flint_ctx

from symcrit.critical.families import Family, family
from symcrit.critical.teacher import permutation_of, reduced_balls, teacher_certificate
from symcrit.model.network import StudentTeacher

# a branch of the k = 6..20 atlas (docs/atlas/atlas.json) that passes through the teacher at k = 7:
# its last block (k − 5 = 2 rows) tends to [[0, 1], [1, 0]]
D5 = Family("Δ(5,k-5)", ["5", "k-5"], start=(11, ["1.0475887532926144", "0.00067430812850909089",
                                                  "0.01242178163222887", "-0.0086417081759928849",
                                                  "-0.64488141668921335", "0.31542200651333869"]))


def test_permutation_of_is_exact():
    assert permutation_of([[0, 1], [1, 0]]) == [1, 0]
    assert permutation_of([[1, 0], [1, 0]]) is None          # a column twice
    assert permutation_of([[1, 0], [0, 2]]) is None          # not 0/1
    assert permutation_of([[1, 1], [0, 0]]) is None


def test_a_branch_through_the_teacher_is_identified_and_proven():
    cp = D5.solve(7, dps=30)
    assert abs(cp.loss) < 1e-40 and cp.loss != 0          # the computed loss is rounding noise
    c = teacher_certificate(cp)
    assert c["teacher"] and c["loss"] == "0" and c["evidence"].startswith("proven: the point is the teacher")
    assert c["permutation"] == [0, 1, 2, 3, 4, 6, 5] and c["exact_point"] == ["1", "0", "0", "0", "0", "1"]
    assert mpmath.mpf(c["distance"]) < 1e-40 and c["radius"] == "1.0e-12"
    # the embedded exact point is the swapped identity, loss 0 in the dense model at 50 digits
    with mpmath.workdps(50):
        W = D5.space.embed([mpmath.mpf(x) for x in c["exact_point"]], 7)
        assert StudentTeacher(7).loss(W) == 0
    # the global family's point is the teacher itself
    g = teacher_certificate(family("global").solve(9, dps=30))
    assert g["teacher"] and g["permutation"] == list(range(9))


def test_points_that_are_not_the_teacher():
    assert teacher_certificate(D5.solve(8, dps=30)) is None      # loss 0.0236
    assert teacher_certificate(family("sk1").solve(7, dps=30)) is None
    # a box far too large for the test: the certificate says the point rounds to the teacher, unproven
    c = teacher_certificate(D5.solve(7, dps=30), radius="0.3")
    assert c is not None and not c["teacher"] and c["evidence"].startswith("not proven") and c["loss"] is None


def test_the_ball_jacobian_is_the_dense_hessian():
    # at a generic point (sk1 at k = 7, no aligned pair) and at the teacher of D5 (aligned pairs):
    # the enclosures contain the dense mpmath Hessian of StudentTeacher summed over each orbit, and
    # the gradient's ball contains the dense gradient; at the teacher the reduced Hessian's entries
    # are bounded balls
    for fam, k in ((family("sk1"), 7), (D5, 7)):
        cp = fam.solve(k, dps=30)
        sp = cp.space
        vals = cp.values if fam is not D5 else [mpmath.mpf(int(mpmath.nint(v))) for v in cp.values]
        S = np.asarray(sp.slot_matrix(k))
        with mpmath.workdps(40):
            W = sp.embed(vals, k)
            st = StudentTeacher(k)
            H = st.hessian(W)
            g = st.gradient(W)
        with flint_ctx.workprec(200):
            G, J = reduced_balls(sp, k, vals)
        for s in range(sp.dim):
            i, a = map(int, np.argwhere(S == s)[0])
            assert G[s].overlaps(arb(mpmath.nstr(g[i, a], 35)) + arb(0, mpmath.mpf(10) ** -28))
            for t in range(sp.dim):
                ref = sum(H[i * k + a, l * k + b] for l in range(k) for b in range(k) if S[l, b] == t)
                assert J[s][t].rad() < 1e-30
                assert abs(float(J[s][t].mid()) - float(ref)) < 1e-12, (fam.id, s, t)
    # over a box around the teacher the Jacobian stays enclosed (finite, of the box's size)
    c = D5.solve(7, dps=30)
    xs = [int(mpmath.nint(v)) for v in c.values]
    with flint_ctx.workprec(200):
        _, JX = reduced_balls(D5.space, 7, [arb(x) + arb(0, mpmath.mpf(10) ** -12) for x in xs])
    assert all(e.is_finite() and e.rad() < 1e-10 for row in JX for e in row)
