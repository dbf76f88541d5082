"""The commands spectrum, crossings, bifurcation (symcrit.cli.spectra)."""
import json

from symcrit.cli import main

import pytest

from cli_helpers import assert_user_error, run_main


def test_spectrum_multiplicity_exact_at_ten_to_the_hundred(capsys):
    rc, out, err, _ = run_main(["spectrum", "sk1", "--k", "1e100", "--json"], capsys)
    assert rc == 0, err
    d = json.loads(out)
    assert d["k"] == 10**100
    mult = {e["component"]: e["multiplicity"] for e in d["eigenvalues"]}
    # exact integers, written as decimal strings in JSON when they exceed 2^53
    assert mult["V_2"] == str(10**100 - 2)
    assert mult["[p-2,1,1]_2"] == str((10**100 - 3) * (10**100 - 2) // 2)


def test_cli_crossings_json(capsys):
    import json
    from symcrit.cli import main
    assert main(["crossings", "sk1", "--from", "5.5", "--to", "6", "--step", "0.5", "--digits", "20", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert list(out) == ["crossings", "completeness"]
    assert out["completeness"]["evidence"].startswith("not computed") and out["completeness"]["range"] == [5.5, 6.0]
    assert len(out["crossings"]) == 1
    c = out["crossings"][0]
    assert list(c)[:4] == ["k", "k_enclosure", "certified", "evidence"]
    assert c["k"] == "5.5855052474258800069" and c["certified"] is True
    assert c["k_enclosure"][0] <= "5.58550524742588000694117627762" <= c["k_enclosure"][1]


def test_cli_crossings_complete_json(capsys):
    """`crossings --complete --json` on a range without crossings: proven complete."""
    import json
    from symcrit.cli import main
    assert main(["crossings", "sk1", "--from", "12", "--to", "12.5", "--step", "0.5", "--complete", "--json",
                 "--force"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["crossings"] == []
    c = out["completeness"]
    assert c["range"] == [12.0, 12.5] and c["evidence"] == "proven" and c["intervals"] >= 1 and c["undecided"] == []


def test_cli_spectrum_and_crossings(capsys, tmp_path):
    assert main(["spectrum", "sk", "--k", "8", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["negative_count"] == 0 and sum(e["multiplicity"] for e in d["eigenvalues"]) == 64
    png = tmp_path / "b.png"
    assert main(["crossings", "sk1", "--from", "5", "--to", "6", "--step", "0.5", "--json", "--plot", str(png)]) == 0
    out = json.loads(capsys.readouterr().out)
    c = out["crossings"]
    assert len(c) == 1 and c[0]["k"].startswith("5.585505247") and png.stat().st_size > 10_000
    assert out["completeness"]["evidence"].startswith("not computed")
    assert main(["spectrum", "sk1", "--k", "6,7"]) == 2


def test_cli_spectrum_json_exact_multiplicities_at_1e100(capsys):
    from symcrit.cli import main
    assert main(["spectrum", "sk1", "--k", "1e100", "--dps", "25", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    k = 10 ** 100
    assert d["k"] == k
    assert len(d["eigenvalues"]) == 12 and set(d["eigenvalues"][0]) == {"value", "multiplicity", "component"}
    assert sum(int(e["multiplicity"]) for e in d["eigenvalues"]) == k * k
    assert all(isinstance(e["multiplicity"], str) for e in d["eigenvalues"] if e["component"] != "trivial")
    # every number says how it is known: the eigenvalues are estimates (no enclosure), with their bound
    assert d["eigenvalue_evidence"] == "estimated" and d["negative_count_evidence"] == "estimated"
    assert d["eigenvalue_error_bound"].startswith("10^-12")


def test_cli_spectrum_sk1x(capsys):
    assert main(["spectrum", "sk1x", "--k", "7", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["negative_count"] == 0 and sum(e["multiplicity"] for e in out["eigenvalues"]) == 56
    assert main(["spectrum", "sk1x", "--k", "7", "--d", "9"]) == 2
    assert "not implemented" in capsys.readouterr().err
    assert main(["loss", "--blocks", "1,k-1", "--extra", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["n"] == "k+1"


@pytest.mark.parametrize("argv", [
    ["spectrum", "sk1", "--k", "10**400"],
    ["crossings", "sk1", "--to", "1e400"],
    ["crossings", "sk1", "--from", "1e300", "--to", "1e301"],
])
def test_huge_k_is_a_user_error(argv, capsys):
    rc, out, err, dt = run_main(argv, capsys)
    assert_user_error(rc, out, err)
    assert out == "" and dt < 5


def test_completeness_text_never_widens_the_proven_range():
    from symcrit.cli.spectra import completeness_text
    t = completeness_text({"range": [4.0000004, 12.0], "evidence": "proven", "intervals": 3, "seconds": 1.5})
    assert "k in [4.00001, 12]" in t                         # not [4, 12]: 4 itself is not covered
    t = completeness_text({"range": [10.0, 20.0], "evidence": "not proven", "undecided": [[5.5855052474, 5.5856, "x"]]})
    assert "[5.585505247, 5.585600001]" in t                 # the undecided interval rounded outwards


def test_spectrum_plot_at_astronomical_k_is_a_user_error(capsys, tmp_path):
    """k = 10^200: multiplicities ~10^400 do not fit a plot's float axis: one line, before the work
    (it was an OverflowError traceback after the spectrum)."""
    rc, out, err, dt = run_main(["spectrum", "sk1", "--k", "1e200", "--plot", str(tmp_path / "d.png")], capsys)
    assert_user_error(rc, out, err)
    assert dt < 5 and not (tmp_path / "d.png").exists()


def test_spectrum_html_at_astronomical_k():
    from symcrit import family
    from symcrit.spectra.hessian import spectrum
    html = spectrum(family("sk1").solve(10**200, dps=20, verify=False))._repr_html_()
    assert "about 10^400" in html and "(estimated)" in html
