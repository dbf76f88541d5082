"""Branch tracking of multivalued functions (symcrit.core.branches)."""
import cmath

import pytest

from symcrit.core.branches import BranchContext, BranchLost


def test_branch_context_follows_atan2_past_the_cut():
    """atan2(1, x) for x going around -1 ... the continued angle leaves (-π, π]: no jump of 2π."""
    ctx = BranchContext("complex")
    ctx.atan2(0.1, -1.0)
    refs = ctx.references()
    vals = []
    for t in range(1, 41):
        y = 0.1 * cmath.exp(-1j * cmath.pi * t / 40)  # y from 0.1 to -0.1 through the lower half plane
        ctx = BranchContext("complex", refs, near=0.5)
        vals.append(ctx.atan2(y, -1.0))
        refs = ctx.references()
    assert max(abs(a - b) for a, b in zip(vals, vals[1:])) < 0.05
    assert abs(vals[-1] - (cmath.pi + 0.0996686524911620)) < 1e-9  # principal would be -π + 0.0997
    with pytest.raises(BranchLost):
        BranchContext("complex", refs, near=0.5).sqrt(1.0)          # a different formula: refused
