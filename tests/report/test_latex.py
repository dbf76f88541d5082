"""LaTeX of results (symcrit.report.latex)."""
import pytest

from symcrit import family, latex
from symcrit.core.errors import BadInput


def test_latex_of_results():
    from symcrit.spectra.hessian import spectrum
    cp = family("sk1").solve("15/2", dps=20, verify=False)
    s = latex(cp)
    assert "k = 7.5" in s and "a &=" in s and cp._repr_latex_().startswith("$$")
    sp = spectrum(family("sk1").solve(7, dps=20, verify=False))
    t = latex(sp)
    assert "k - 2 = 5" in t and "V_{2}" in t and sp._repr_latex_().startswith("$$")
    with pytest.raises(BadInput):
        latex(object())


def test_latex_of_crossing_records_prints_only_proven_digits():
    import symcrit
    recs = [{"k": "5.58550524742588000694117627762", "component": "V_2", "direction": "saddle → minimum",
             "certified": True},
            {"k": None, "k_estimate": "6.0140890170443", "component": "V_1", "direction": "2 → 1", "certified": False}]
    tex = symcrit.latex(recs)
    assert "$5.58550524742588000694117627762$ (proven)" in tex and "$6.0140890170443$ (not proven)" in tex
