"""The atlas: grouping into branches by continuation (never split, never merged wrongly, never
lost), hidden minima, basin intervals, and the command on small k."""
import json

import mpmath
import pytest

from symcrit.critical.families import family
from symcrit.landscape.atlas import group_sightings, wilson_interval


def _sighting(fid, k, count=1):
    cp = family(fid).solve(k, dps=30, verify=False)
    # blocks written as campaigns write them ("k-1"), not as sympy prints them ("k - 1")
    return {"k": k, "count": count, "blocks": [str(b).replace(" ", "") for b in family(fid).space.blocks],
            "params": [mpmath.nstr(v, 25) for v in cp.values]}


def test_two_branches_of_one_isotropy_type_are_kept_apart_and_whole():
    # sk1 and sk1b share the isotropy Δ(S_1 × S_{k-1}); seen as "new" points they must form exactly
    # two branches, each holding all of its own widths
    sightings = [_sighting("sk1", k, 2) for k in (7, 9, 10)] + [_sighting("sk1b", k) for k in (8, 10)]
    branches = group_sightings(sightings, catalogue=False)
    got = sorted(sorted(b.sightings) for b in branches)
    assert got == [[7, 9, 10], [8, 10]]
    assert sum(sum(b.sightings.values()) for b in branches) == 2 * 3 + 2  # no run lost
    # each branch is a family a user can follow: it reproduces the catalogued points
    for b in branches:
        ref = "sk1" if sorted(b.sightings) == [7, 9, 10] else "sk1b"
        x = b.family.solve(8, dps=30, verify=False).values
        y = family(ref).solve(8, dps=30, verify=False).values
        assert max(abs(a - c) for a, c in zip(x, y)) < 1e-20


def test_catalogued_sightings_join_their_family():
    branches = group_sightings([{"k": 8, "count": 5, "family": "sk1"}, {"k": 9, "count": 1, "family": "sk1"}])
    sk1 = next(b for b in branches if b.id == "sk1")
    assert sk1.sightings == {8: 5, 9: 1}
    assert next(b for b in branches if b.id == "sk").sightings == {}


def test_wilson_interval():
    lo, hi = wilson_interval(0, 920)
    assert lo == 0.0 and 0.004 < hi < 0.0045
    lo, hi = wilson_interval(46, 920)
    assert lo < 0.05 < hi and hi - lo < 0.03


def test_atlas_on_a_local_dask_cluster_is_the_same_atlas(tmp_path):
    from distributed import Client, LocalCluster

    from symcrit.landscape.atlas import atlas
    # seed 0 at k = 8: run 7 ends at sk1, the others at the global minimum (two branches with runs);
    # with the proofs (indices, crossings, limits, the fixed-point search): the branch tasks run on the
    # cluster's workers (enclosure=False: the enclosure's saddle branches are tested below)
    local = atlas([8], runs=10, seed=0, out=str(tmp_path / "local"), enclosure=False)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        remote = atlas([8], runs=10, seed=0, out=str(tmp_path / "remote"), scheduler=client, enclosure=False)
    assert remote["branches"] == local["branches"] and remote["campaigns"] == local["campaigns"]
    assert all(p["index_evidence"] == "proven" for b in remote["branches"] for p in b["points"])
    assert remote["coincidences"] == local["coincidences"]
    seen = {b["id"]: b["points"][0]["count"] for b in local["branches"] if b["points"][0]["count"]}
    assert seen == {"global": 9, "sk1": 1}
    # the campaign files are the same records, whichever way the runs were made
    read = [sorted((tmp_path / d / "campaign-k008.jsonl").read_text().splitlines(), key=lambda l: json.loads(l)["run"])
            for d in ("local", "remote")]
    assert read[0] == read[1]


def test_atlas_on_a_process_pool_is_the_same_atlas(tmp_path):
    """--jobs 2: the campaigns, the classification of their end points and the branches (points,
    proven indices, crossings, limits, coincidences) run on a pool: the same atlas and the same
    campaign records as in one process."""
    from symcrit.landscape.atlas import atlas
    # (enclosure=False: the enclosure's saddle branches are tested below, without proofs)
    one = atlas([8], runs=10, seed=0, out=str(tmp_path / "one"), enclosure=False)
    two = atlas([8], runs=10, seed=0, out=str(tmp_path / "two"), jobs=2, enclosure=False)
    assert two == one and len(one["branches"]) >= 2
    assert any(p["index_evidence"] == "proven" for b in one["branches"] for p in b["points"])
    read = [sorted((tmp_path / d / "campaign-k008.jsonl").read_text().splitlines(), key=lambda l: json.loads(l)["run"])
            for d in ("one", "two")]
    assert read[0] == read[1] and sum('"classification"' in l for l in read[0]) == 2
    # the fixed-point search (sk1 is reached at k = 8: Δ(S_1 × S_{k-1}) is searched, and ΔS_k): it
    # finds sk and sk1b itself, matched with their branches, and adds no branch
    spaces = {tuple(sp["blocks"]): sp for sp in one["fixed_point_search"]["spaces"]}
    assert sorted(spaces) == [("1", "k-1"), ("k",)] and all(sp["k"] == 8 for sp in spaces.values())
    assert sorted(m["branch"] for m in spaces[("1", "k-1")]["minima"]) == ["global", "sk", "sk1", "sk1b"]
    assert spaces[("k",)]["completeness"].startswith("proven complete")
    assert spaces[("1", "k-1")]["completeness"] == "estimated complete (400 starts)"
    by = {b["id"]: b for b in one["branches"]}
    assert not any(b["found_by"] == "fixed-point search" for b in one["branches"])
    assert [f["blocks"] for f in by["sk1b"]["fixed_point_search"]] == [["1", "k-1"]]
    assert by["sk1b"]["fixed_point_search"][0]["match"].startswith("checked: the k×k matrices agree")
    # 9 converged runs cannot show that sk1b's basin is below 0.5 %: not reached, not hidden
    assert not by["sk1b"]["hidden_minimum"] and by["sk1b"]["basin_verdict"].startswith("not reached in 10")


# -- proven indices, minimum ranges from proven crossings, coincidences, limits ------------------
# two branches the k = 6..20 atlas found (docs/atlas/atlas.json), by their definitions
D2 = ("Δ(2,k-2)", ["2", "k-2"], (9, ["0.0017444258707367019", "1.0621694518109486", "0.017188016090442078",
                                     "-0.0096675153370802125", "-0.70439134539257897", "0.27680696173535357"]))
D6 = ("Δ(6,k-6)", ["6", "k-6"], (12, ["-0.64279658469635037", "0.31371332340972985", "-0.0080901650956741351",
                                      "0.011505868825881048", "1.0441383554132204", "0.0006029378980882302"]))


def _fam(spec):
    from symcrit.critical.families import Family
    return Family(spec[0], spec[1], start=spec[2])


def test_a_new_branch_has_a_json_definition_that_defines_it_again():
    from symcrit.critical.families import Family
    from symcrit.landscape.atlas import Branch

    b = Branch(D2[0], _fam(D2), "campaigns")
    d = json.loads(json.dumps(b.definition()))  # exact start values (Fractions) become decimal strings
    assert d["start"][0] == 9 and d["start"][1][1] == "1.0621694518109486"
    again = Family("again", d["blocks"], start=d["start"]).solve(9, dps=30, verify=False).values
    assert max(abs(a - c) for a, c in zip(again, _fam(D2).solve(9, dps=30, verify=False).values)) < 1e-25


def test_indices_are_proven_over_the_krawczyk_box():
    from symcrit.landscape.atlas import point_index
    # sk1b: index 6 at k = 6, a minimum from k = 7 on; Δ(2,k-2): index 3, 6 at k = 6, 7, a minimum at 8
    got = [point_index(family("sk1b").solve(k, dps=30)) for k in (6, 7)]
    got += [point_index(_fam(D2).solve(k, dps=30)) for k in (6, 7, 8)]
    assert [g["index_evidence"] for g in got] == ["proven"] * 5
    assert [g["critical_evidence"] for g in got] == ["proven"] * 5
    assert [(g["index"], g["minimum"]) for g in got] == [(6, False), (0, True), (3, False), (6, False), (0, True)]
    assert all("proven (ball" in g["evidence_text"] for g in got)


def test_minimum_range_starts_at_the_proven_crossing():
    from symcrit.landscape.atlas import minimum_ranges, point_index
    from symcrit.spectra.hessian import spectrum

    fam = _fam(D2)
    pts = [dict(k=k, **point_index(fam.solve(k, dps=30))) for k in (6, 7, 8, 9, 10)]
    mr = minimum_ranges(fam, 10.0, pts)
    # below the atlas's k = 6: a minimum from a proven crossing in (4, 5) until the component
    # [p-2,1,1]_2 appears, with a negative eigenvalue, at k = 5 exactly (where the block k − 2 reaches 3)
    assert mr["consistent"] and len(mr["minimum_ranges"]) == 2
    first = mr["minimum_ranges"][0]
    assert 4 < mpmath.mpf(first["lo"]) < 5 and "Krawczyk" in first["lo_evidence"]
    assert first["hi"] == "5" and "appears with 1 negative" in first["hi_evidence"]
    r = mr["minimum_ranges"][1]
    assert r["hi"] is None and "Krawczyk" in r["lo_evidence"]
    lo = mpmath.mpf(r["lo"])
    assert len(r["lo"].replace(".", "")) >= 25 and 7 < lo < 8  # proven digits, between the proven indices 6 and 0
    # independently: the spectrum by symmetry at real k just below / above k* (negative eigenvalues)
    def negatives(k):
        sp = spectrum(fam.solve(k, dps=30, verify=False))
        return sum(sp.component_signs(c.name).negative for c in sp.components)
    assert negatives(mpmath.nstr(lo - mpmath.mpf("1e-4"), 12)) == 1
    assert negatives(mpmath.nstr(lo + mpmath.mpf("1e-4"), 12)) == 0


D7c = ("Δ(7,k-7)#3", ["7", "k-7"], (20, ["-0.86517625713526156", "0.085500445965780423", "0.07004049573791234",
                                        "0.10184554043363157", "0.99405863493474096", "-0.039983608473735855"]))
D5 = ("Δ(5,k-5)", ["5", "k-5"], (11, ["1.0475887532926144", "0.00067430812850909089", "0.01242178163222887",
                                     "-0.0086417081759928849", "-0.64488141668921335", "0.31542200651333869"]))


def test_minimum_range_from_the_end_of_the_branch():
    """Δ(7,k-7)#3 exists from k = 9 (the end of its isotropy type), a minimum there (proven index 0)
    and a saddle from a crossing k* ∈ (9.24, 9.25): the scan must start at the branch's end, not at
    the first multiple of its step (9.25), which reported no range at all below 15.6."""
    from symcrit.landscape.atlas import minimum_ranges, point_index

    fam = _fam(D7c)
    pts = [dict(k=9, **point_index(fam.solve(9, dps=30)))]
    assert pts[0]["minimum"] and pts[0]["index_evidence"] == "proven"
    mr = minimum_ranges(fam, 9.5, pts)
    assert mr["consistent"] and [r["lo"] for r in mr["minimum_ranges"]] == ["9.0"]
    hi = mpmath.mpf(mr["minimum_ranges"][0]["hi"])
    assert 9.24 < hi < 9.25 and "Krawczyk" in mr["minimum_ranges"][0]["hi_evidence"]


def test_minimum_range_of_a_component_that_appears_with_a_negative_eigenvalue():
    """Δ(5,k-5) starts at the teacher (k = 7: index 0), is a saddle just above it, a minimum from a
    crossing k* ≈ 7.148, and a saddle again from k = 8 exactly, where the component [p-2,1,1]_2 (it
    needs the block k − 5 ≥ 3) appears with a negative eigenvalue — no eigenvalue crosses 0 there."""
    from symcrit.landscape.atlas import minimum_ranges, point_index

    fam = _fam(D5)
    pts = [dict(k=k, **point_index(fam.solve(k, dps=30))) for k in (7, 8)]
    assert [p["index"] for p in pts] == [0, 1]
    mr = minimum_ranges(fam, 8.5, pts)
    assert mr["consistent"]
    (r0, r1) = mr["minimum_ranges"]
    assert (r0["lo"], r0["hi"]) == ("7", "7") and "isolated minimum point" in r0["lo_evidence"]
    assert 7.14 < mpmath.mpf(r1["lo"]) < 7.15 and r1["hi"] == "8" and "appears with 1 negative" in r1["hi_evidence"]
    # independently: the spectrum by symmetry at real k (no crossing scan): saddle, minimum, saddle
    from symcrit.spectra.hessian import spectrum

    def negatives(k):
        sp = spectrum(fam.solve(k, dps=30, verify=False))
        return sum(sp.component_signs(c.name).negative for c in sp.components)
    assert [negatives(k) for k in ("7.5", "8")] == [0, 1]


def test_coincident_points_of_two_labels_are_found_and_proven():
    from symcrit.landscape.atlas import coincidences

    # Δ(2,k-2) at k = 8 has blocks (2, 6), Δ(6,k-6) has (6, 2): one critical point, two affine labels;
    # at k = 9 (blocks (2, 7) and (6, 3)) they differ
    items = [(sp[0], _fam(sp).solve(k, dps=30)) for k in (8, 9) for sp in (D2, D6)]
    for _, cp in items:
        cp.certify()
    found = coincidences(items)
    assert [(c["k"], sorted(c["branches"]), c["proven"]) for c in found] == [(8, ["Δ(2,k-2)", "Δ(6,k-6)"], True)]
    assert mpmath.mpf(found[0]["distance"]) < 1e-25
    # the global minimum reached by a saddle branch's label is a coincidence too (the teacher)
    g = [("global", family("global").solve(6, dps=30)), ("sk", family("sk").solve(6, dps=30))]
    assert coincidences(g) == []


def test_limits_of_new_branches():
    from symcrit.landscape.atlas import branch_limit

    fam = _fam(D2)
    d2 = branch_limit(fam, k_check=10, order=4)
    assert d2["limit"] == ["0", "1", "0", "0", "-1", "0"] and d2["loss_asymptotics"]["form"] == "F → c"
    # the constant in closed form, proven by the exact series engine: sk's 1/2 − 1/π (0.18169…)
    a = d2["loss_asymptotics"]
    assert a["c_exact"] == "1/2 - 1/pi" and a["c_latex"] == r"\frac{1}{2} - \frac{1}{\pi}"
    assert a["c_exact_evidence"].startswith("exact (derived in Q(π)") and a["c"].startswith("0.1816901138162093")
    from flint import arb

    from symcrit.landscape.atlas import loss_constant_closed_form
    wrong = loss_constant_closed_form(family("sk"), 0, arb("0.1817", "1e-6"))  # a ball the form is not in
    assert "c_exact" not in wrong and wrong["c_exact_evidence"].startswith("rejected")
    # the series of the critical value against a solve at k = 1000 (an independent route): the
    # truncation through s^4 errs by O(s^5) = O(3e-8)
    s = mpmath.mpf(1000) ** -0.5
    partial = sum(mpmath.mpf(c) * s ** j for j, c in enumerate(d2["series"]["loss"]))
    assert abs(fam.solve(1000, dps=30, verify=False).loss - partial) < 1e-5
    d6 = branch_limit(_fam(D6), k_check=12, order=4)
    assert d6["limit"] is None and "not an exact point" in d6["limit_evidence"] and d6.get("series") is None


# -- points on the teacher: loss 0 and index 0, proven -------------------------------------------
D5 = ("Δ(5,k-5)", ["5", "k-5"], (11, ["1.0475887532926144", "0.00067430812850909089", "0.01242178163222887",
                                      "-0.0086417081759928849", "-0.64488141668921335", "0.31542200651333869"]))


def test_a_point_on_the_teacher_has_loss_0_and_index_0_proven():
    from symcrit.critical.teacher import teacher_certificate
    from symcrit.landscape.atlas import coincidences, teacher_index

    d7, g7 = _fam(D5).solve(7, dps=30), family("global").solve(7, dps=30)
    tc = teacher_certificate(d7)
    assert tc["teacher"] and tc["loss"] == "0"
    cache = {}
    idx = teacher_index(7, cache)
    assert (idx["index"], idx["minimum"], idx["index_evidence"]) == (0, True, "proven")
    assert "global minimum" in idx["evidence_text"] and "positive definite" in idx["evidence_text"]
    assert cache[7]["index_evidence"] == "proven"  # the global family's ball LDLᵀ at W = I
    # the coincidence of the two labels of the teacher: checked by distance alone, proven with the
    # certificates
    items = [("global", g7.certify()), (D5[0], d7)]
    plain = coincidences(items)
    assert [c["proven"] for c in plain] == [False] and plain[0]["evidence"].startswith("checked")
    both = coincidences(items, teachers={("global", 7): teacher_certificate(g7), (D5[0], 7): tc})
    assert [(c["proven"], c["loss"]) for c in both] == [(True, "0")]
    assert "both points are the teacher" in both[0]["evidence"]


def test_default_runs_are_computed_from_the_design_share():
    import pytest

    from symcrit.landscape.atlas import DEFAULT_RUNS, DESIGN_MISS, DESIGN_SHARE, runs_for

    assert str(DESIGN_SHARE) == "1/200" and str(DESIGN_MISS) == "1/100"
    # independently, at 50 digits: the default is the first n with P(miss a 0.5 % basin) <= 1 %
    with mpmath.workdps(50):
        p = mpmath.mpf(199) / 200
        assert p ** DEFAULT_RUNS <= mpmath.mpf("0.01") < p ** (DEFAULT_RUNS - 1)
    assert DEFAULT_RUNS == 919
    assert runs_for("0.05", "0.05") == 59          # the rule of three's neighbour: 0.95^59 = 0.0485
    with pytest.raises(TypeError):
        runs_for(0.005, 0.01)
    with pytest.raises(ValueError):
        runs_for(0, "0.01")


# -- a branch whose range ends at a fold -------------------------------------------------------------
# Δ(S_1 × S_6 × S_{k−7}) of the k = 6..20 atlas exists on [18.7295…, 23.6426753577819448488050698763]
# (both ends folds); here it is started at k = 23, near its upper fold
D167 = ("Δ(1,6,k-7)", ["1", "6", "k-7"],
        (23, ["0.08433877748778278", "0.38156040517273043", "-0.08143724870398376", "0.3233627165030423",
              "-0.7909251423340267", "0.15257983280317364", "0.02291590956757636", "-0.06282982608404557",
              "0.03949756353016006", "1.0212247730898714", "-0.0051470516950679205"]))


def test_a_branch_range_that_ends_at_a_refined_fold():
    import pytest

    from symcrit.core.errors import SymcritError
    from symcrit.landscape.atlas import branch_limit, real_range

    fam = _fam(D167)
    # the atlas asks branch_limit from the branch's last width (23 here), not from its own last width
    # (k = 40 in a k ≤ 40 atlas, where nothing was found above: the range's upper end was lost)
    lim = branch_limit(fam, k_check=23)
    assert lim["limit"] is None and lim["limit_evidence"].startswith("none: the branch ends at a fold above")
    fold = lim["fold_above"]
    assert fold is not None and "Krawczyk" in fold["evidence"] and fold["side"] == "below"
    with mpmath.workdps(40):
        assert abs(mpmath.mpf(fold["k"]) - mpmath.mpf("23.6426753577819448488050698763")) < 1e-18
        lo_e, hi_e = (mpmath.mpf(x) for x in fold["k_enclosure"])
        # the printed k is the enclosure rounded to 20 digits
        assert lo_e <= hi_e and hi_e - lo_e < 1e-18 and abs(mpmath.mpf(fold["k"]) - lo_e) <= mpmath.mpf(10) ** -18
    rr = real_range(fam, [], {"fold_above": fold, "limit": None})
    assert rr["hi"] == fold["k"] and rr["hi_evidence"].startswith("proven: a fold, k* = 23.64267535778194")
    # the lower end, without the crossing scan's fold record: where continuation stops, estimated
    assert 18.72 < float(rr["lo"]) < 18.74 and rr["lo_evidence"].startswith("estimated")
    low = {"kind": "fold", "certified": True, "k": "18.7295035760377359134439856555", "evidence": "Krawczyk on …"}
    assert real_range(fam, [low], {"fold_above": fold})["lo_evidence"].startswith("proven: a fold, k* = 18.72950357")
    # independently, by continuation: the branch exists just below the fold and not above it
    assert fam.solve("23.6", dps=20, verify=False).gradient_residual < 1e-15
    with pytest.raises(SymcritError):
        fam.solve("23.7", dps=20, verify=False)


# -- small k: two pairs of branches that share an isotropy type, interleaved ------------------------
D3 = ("Δ(3,k-3)", ["3", "k-3"], (10, ["-0.75518253507304981", "0.16039745907378802", "0.14541860644787391",
                                      "0.19911477674162665", "0.97698276688251183", "-0.067434705356411439"]))
D3b = ("Δ(3,k-3)#2", ["3", "k-3"], (17, ["1.0481272223770996", "0.0030484713486647885", "0.016284288740473249",
                                         "-0.0043525395716972785", "-0.85383895868630992", "0.1379556728223626"]))


def _seen(fam, k, count=1):
    cp = fam.solve(k, dps=30, verify=False)
    return {"k": k, "count": count, "blocks": [str(b).replace(" ", "") for b in fam.space.blocks],
            "params": [mpmath.nstr(v, 25) for v in cp.values]}


def test_small_k_branches_are_not_split_merged_or_lost():
    # Δ(3,k-3) and Δ(3,k-3)#2 share Δ(S_3 × S_{k-3}); s2 and Δ(2,k-2) share Δ(S_2 × S_{k-2}); all four
    # are seen as new points at k = 6..10, interleaved, with gaps, twice at one k, and in shuffled order
    fams = {"a": _fam(D3), "b": _fam(D3b), "c": family("s2"), "d": _fam(D2)}
    plan = {"a": {6: 2, 8: 1, 10: 3}, "b": {7: 1, 9: 2, 10: 1}, "c": {6: 1, 9: 4}, "d": {7: 2, 8: 1, 10: 1}}
    sightings = [_seen(fams[n], k, c) for n, ks in plan.items() for k, c in ks.items()]
    sightings = sightings[::2] + sightings[1::2]
    # the same branch sighted twice at one k (two groups of one campaign, e.g. two loss roundings):
    # the counts add up, neither overwrites the other
    sightings += [_seen(fams["a"], 8, 4), _seen(fams["c"], 9, 1)]
    plan["a"][8] += 4
    plan["c"][9] += 1
    branches = group_sightings(sightings, catalogue=False)
    # no split and no wrong merge: exactly one branch per family, holding exactly its own widths and counts
    assert len(branches) == 4
    assert sorted(sorted(b.sightings.items()) for b in branches) == sorted(sorted(v.items()) for v in plan.values())
    assert sum(sum(b.sightings.values()) for b in branches) == sum(sum(v.values()) for v in plan.values())
    # each branch is its family: it arrives at the reference point at a width where it was not seen
    for b in branches:
        name = next(n for n, ks in plan.items() if ks == b.sightings)
        k = next(k for k in range(6, 11) if k not in b.sightings)
        x = b.family.solve(k, dps=30, verify=False).values
        y = fams[name].solve(k, dps=30, verify=False).values
        assert max(abs(u - v) for u, v in zip(x, y)) < 1e-20
    ids = sorted(b.id for b in branches)
    assert ids == ["Δ(2,k-2)", "Δ(2,k-2)#2", "Δ(3,k-3)", "Δ(3,k-3)#2"]


def test_atlas_refuses_widths_and_runs_that_are_not_integers():
    from symcrit.core.errors import SymcritError
    from symcrit.landscape.atlas import atlas

    for ks, runs in (([6.9], 10), ([6, True], 10), ([6], True), ([6], 2.5)):
        with pytest.raises(SymcritError, match="integer"):
            atlas(ks, runs=runs, proofs=False)


def test_the_enclosures_branches_are_in_the_atlas(tmp_path):
    """The branches the interval branch-and-bound found (saddles no run reaches) are branches of the
    atlas with found_by 'enclosure', basin share 0 from the campaigns, kept although no run meets them
    and none is a minimum; enclosure=False leaves them out.  Checked against the families' own points."""
    from symcrit.critical.families import enclosure_families
    from symcrit.landscape.atlas import atlas
    ids = [f.id for f in enclosure_families()]
    doc = atlas([6], runs=10, seed=2, out=str(tmp_path / "a"), proofs=False)
    enc = [b for b in doc["branches"] if b["found_by"] == "enclosure"]
    assert [b["id"] for b in enc] == ids == ["sk1g-m", "sk1g-p", "sksk1b-p", "sksk1b-m"]
    for b in enc:
        (p,) = b["points"]
        assert p["k"] == 6 and p["count"] == 0 and p["basin_share"] == 0 and not p["minimum"]
        assert "branch-and-bound" in b["found_by_evidence"] and "branch-and-bound" in p["evidence"]["branch"]
        with mpmath.workdps(30):
            assert abs(mpmath.mpf(p["loss"]) - family(b["id"]).solve(6, dps=30, verify=False).loss) < 1e-20
        assert b["definition"]["start"][0] == 6
    assert [p["index"] for b in enc for p in b["points"]] == [1, 1, 5, 11]
    assert next(b for b in doc["branches"] if b["id"] == "sk")["found_by_evidence"].startswith("a catalogued")
    doc2 = atlas([6], runs=10, seed=2, out=str(tmp_path / "a"), proofs=False, enclosure=False)
    assert [b["id"] for b in doc2["branches"]] == [b["id"] for b in doc["branches"] if b["found_by"] != "enclosure"]


def test_the_limit_of_a_branch_whose_row_tends_to_zero():
    """sk1g-m tends to W∞ = (0, 0, 0, 1, 0) (row 1 → 0, rows 2..k → the teacher's), where F is not
    differentiable: no series, and the record says why; F → 1/8 − 1/(4π) (the estimate at k = 10^12)."""
    from symcrit.landscape.atlas import branch_limit
    lim = branch_limit(family("sk1g-m"), k_check=8, order=4)
    assert lim["limit"] is None and lim.get("series") is None
    assert lim["limit_estimate"][3] == "1.0" and "row block 1 → 0" in lim["limit_evidence"]
    assert "10^12" in lim["limit_evidence"] and "10^40" not in lim["limit_evidence"]
    assert abs(mpmath.mpf(lim["loss_limit_estimate"]) - (mpmath.mpf(1) / 8 - 1 / (4 * mpmath.pi))) < 1e-7


def test_a_hidden_minimum_is_decided_by_the_wilson_upper_bound():
    from symcrit.landscape.atlas import basin_verdict

    def pts(count, conv, minimum=(True, True)):
        return [{"k": k, "minimum": m, "count": count, "converged": conv,
                 "basin_interval_95": list(wilson_interval(count, conv))} for k, m in zip((6, 7), minimum)]
    # 0 of 920: the upper bound 0.42 % < 0.5 %: hidden
    hidden, text = basin_verdict(pts(0, 920))
    assert hidden and "0.42 % < 0.5 %" in text
    # 0 of 20 (the --runs 20 atlas that flagged sk1): 16.1 % does not exclude 0.5 %: not reached, not hidden
    hidden, text = basin_verdict(pts(0, 20))
    assert not hidden and text.startswith("not reached in 20 converged runs") and "16.11 %" in text
    # 0 of 700: 0.55 %, just above: not hidden (the rule is the bound, not the count)
    assert basin_verdict(pts(0, 700))[0] is False and wilson_interval(0, 700)[1] > 0.005
    # reached once, or never a minimum: no verdict
    assert basin_verdict(pts(1, 920)) == (False, None)
    assert basin_verdict(pts(0, 920, minimum=(False, False))) == (False, None)


def test_minimum_range_is_the_hull_of_the_minimum_ranges():
    from symcrit.landscape.atlas import minimum_range_hull, render_markdown

    rec = json.loads(open(__file__.replace("tests/landscape/test_atlas.py", "docs/atlas/atlas.json")).read())
    d4 = next(b for b in rec["branches"] if b["id"] == "Δ(4,k-4)")
    assert len(d4["minimum_ranges"]) == 2  # [6, 6.0289…] and from 10.978…: a saddle between
    rng, ev = minimum_range_hull(d4)
    assert rng == ["6.0", None]  # the committed atlas printed only the last interval, [10.978…, None]
    assert ev["lo"].startswith("the branch ends at k = 6.0") and ev["hi"].startswith("a minimum up to k = 20")
    assert "the hull of 2 separate intervals" in ev["hull_of"] and "10.9783902655032246254337641961" in ev["hull_of"]
    s2 = next(b for b in rec["branches"] if b["id"] == "s2")
    assert minimum_range_hull(s2)[0] == s2["minimum_range"] and "hull_of" not in minimum_range_hull(s2)[1]
    # the markdown lists every interval
    md = render_markdown({**rec, "branches": [d4]})
    assert "a minimum for k in [6.0, 6.02891180176935264684321566239], [10.9783902655032246254337641961, beyond 20]" in md


def test_the_fixed_point_search_makes_a_branch_of_a_minimum_on_no_branch():
    # an atlas at k = 8 that lacks sk1b: the search of Δ(S_1 × S_{k-1}) (sk1 reached) finds it, on no
    # branch, and makes it a branch found by "fixed-point search" that is sk1b
    from symcrit.landscape.atlas import Branch, fixed_point_search, point_index

    branches, results = [], {}
    for fid, seen in (("global", {8: 5}), ("sk1", {8: 3}), ("sk", {})):
        cp = family(fid).solve(8, dps=30)
        idx = point_index(cp) if fid != "global" else {"index": 0, "minimum": True, "index_evidence": "proven"}
        branches.append(Branch(fid, family(fid), "catalogue", dict(seen)))
        results[fid] = {"points": [{"k": 8, "minimum": idx["minimum"], "index": idx["index"],
                                    "index_evidence": idx["index_evidence"]}], "losses": [(8, float(cp.loss))]}
    extra, rec = fixed_point_search(branches, results, [8], starts=150)
    assert [(b.id, b.found_by, b.blocks) for b in extra] == [("Δ(1,k-1)", "fixed-point search", ["1", "k - 1"])]
    x = extra[0].family.solve(9, dps=30, verify=False).values  # followed to another k: it is sk1b
    y = family("sk1b").solve(9, dps=30, verify=False).values
    assert max(abs(a - c) for a, c in zip(x, y)) < 1e-20
    one = next(sp for sp in rec["spaces"] if sp["blocks"] == ["1", "k-1"])
    got = {m["branch"]: m for m in one["minima"]}
    assert sorted(got) == ["global", "sk", "sk1", "Δ(1,k-1)"]
    assert got["Δ(1,k-1)"]["index_evidence"] == "proven" and got["Δ(1,k-1)"]["match_evidence"].startswith("a new branch")
    assert got["sk1"]["match_evidence"].startswith("checked") and got["sk1"]["index_evidence"] == "proven"


def test_a_branch_that_ends_without_a_fold_gets_an_estimated_end():
    """sksk1b-m ends near k ≈ 15.19, where its row 1 shrinks to 0 (no fold: the branch and bound at
    k = 16..20 no longer finds it): its real range's upper end is an estimate, labelled as such."""
    from symcrit.landscape.atlas import branch_limit, real_range

    f = family("sksk1b-m")
    lim = branch_limit(f, 15)
    assert lim["limit"] is None and lim["fold_above"] is None
    rr = real_range(f, [], lim)
    assert rr["hi"] is None and 15.1 < float(rr["hi_estimate"]) < 15.3
    assert "estimated: continuation stops near k = " + rr["hi_estimate"] in rr["hi_evidence"]
