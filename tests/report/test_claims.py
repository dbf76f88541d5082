"""The evidence framework of the claims (symcrit.report.claims)."""
import pytest

from symcrit.report.claims import Check, Fact, check, settle, weakest


def F(name, value, evidence="checked", **kw):
    return Fact(name, value, evidence, **kw)


# -- the framework ---------------------------------------------------------------------------
def test_evidence_levels_and_settle():
    with pytest.raises(ValueError):
        Fact("x", 1, "certain")
    assert weakest("proven", F("a", 1), "estimated") == "estimated"
    assert check("c", True, F("a", 1, "proven"), F("b", 2, "checked")).evidence == "checked"
    assert settle("confirmed", [Check("a", True, "proven"), Check("b", None, "checked")]) == "inconclusive"
    assert settle("refuted", [Check("a", False, "proven")]) == "refuted"
    with pytest.raises(ValueError):
        settle("pending", [])
