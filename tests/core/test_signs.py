"""Sign counts with their evidence (symcrit.core.signs)."""
import pytest

from symcrit import count_signs


# -- 3. one index definition ----------------------------------------------------------------------
def test_count_signs_decides_only_outside_the_bound():
    from flint import arb
    c = count_signs([arb(-1, 0.1), arb(0, 1e-30), arb(2)], multiplicities=[2, 1, 3], evidence="proven")
    assert (c.negative, c.undecided, c.positive, c.index) == (2, 1, 3, None) and "raise the precision" in c.reason
    c = count_signs([-1.0, 1e-20, 2.0], bound=1e-12, forced_zero=1)
    assert (c.negative, c.zero, c.positive, c.index) == (1, 1, 1, 1)
    # forced zeros that do not match the undecided count are not taken
    c = count_signs([-1.0, 1e-20, -1e-21, 2.0], bound=1e-12, forced_zero=1)
    assert c.index is None and c.zero == 0
    with pytest.raises(ValueError):
        count_signs([1.0], evidence="certified")
