"""Benchmark: `symcrit enclose` on Δ(S_1 × S_{k−1}) (five parameters): boxes, time, the critical
points proven, the continua, and what stays undecided.

Run:  python bench/bench_enclose.py [--k 6,7,8] [--rho 0] [--max-boxes 600000] [--stats]
(--rho 0, the default: every critical point with nonzero rows is searched: a proven domain;
--rho default: 7/8 of the ΔS_k bound, an assumed lower bound on the row norms.)
Prints one line per k and the points found; the machine is whatever runs it.  With --stats, a
run that ends incomplete is diagnosed (symcrit.critical.enclosure.search_statistics: where the
bisected boxes lie and which test failed on them).

Measured (x86_64, 2 cores shared with up to 8 other jobs: load 4-9; `--k 6 --rho 0`):

  k = 6: complete = True (proven: no box undecided), 204,835 boxes, 2124 s wall, 529 s cpu;
  12 isolated critical points (global, sk, sk1, sk1b and 8 the catalogue lacks, F = 0.0603848833,
  0.0604630247, 0.1011575559, 0.1085876138, 0.5601511162 (twice), 0.9920904891 (twice)) and the two
  segments W = u 1ᵀ (Σu = k t±, F = 1.171273148, 3.708141487) in 11 and 8 tilted tubes.
  k = 7: complete = True, 274,601 boxes, 3169 s wall, 792 s cpu; the same structure: 12 isolated
  points (global, sk, sk1, sk1b, the mixed pair F = 1.362863012, and F = 0.0582669168,
  0.0583278110, 0.1068765126, 0.1147259432, 0.8158688318 (twice)) and the two segments
  (F = 1.647181256, 4.807935561) in 11 and 16 tilted tubes.
  Before (d56c902): not complete after 140,000 boxes (47 min).  The first 20,000 boxes, both
  versions side by side on the same machine state: 21.96 % of the volume decided by each (the
  depth-first order meets the segments later), 430 boxes per cpu-second before, 577 after (19
  tilted tubes are cheaper to test than 1,247 tube boxes).

Faster search (branch bnbfast; same machine, load 8-13 from other agents, the runs niced 5):

  Profile (cProfile, k = 6, the first 20,000 boxes, 8fd0504): the norm contractor takes 78 % of
  the CPU (the mean-value form's A'(φ), b'(φ) 34 %, the Gauss-Seidel sweeps 23 % of which the
  pseudo-inverse 8 %, the cosine form 15 %), the Jacobian enclosure 7 %, the radial test 4 %.
  Half of all boxes are bisected; in the first 40,000 boxes 76 % of the bisections are boxes
  wider than JACOBIAN_WIDTH that the radial test and the contractor do not exclude, and every
  deep box (width < 1e-2) lies at the t- segment (3,599, of which 2,706 narrower than 1e-3),
  where the tubes were 0.001 wide in s (search_statistics).
  Changes: tube shapes (σ in s up to 0.1-0.3, separate from the angles' w: 32 and 20 tubes at
  k = 6, 67 and 12 in the run below): deep boxes at t- in the first 40,000 boxes 3,599 -> 53,
  decided share 0.264 -> 0.501; A(φ), b(φ) and their derivatives cached per angle box
  (_AngleCache: norm bisections and the Jacobian tests reuse them), one SVD per box, arb's
  intersection: the first 20,000 boxes 38.3 s -> 29.7 s CPU (the same boxes, share 0.2196).
  Tried and dropped: the left null space of mid A as extra contractor rows (no box excluded
  more), JACOBIAN_WIDTH 0.05 / 0.15 and CENTRED_WIDTH 0 / 0.2 / 1 / inf (less volume decided
  per CPU second on the first 20,000 boxes).
  k = 6 after (5bd0e36: the tube shapes and one SVD per box; not yet the angle cache):
  complete = True, 186,687 boxes (-9 %), 439 s CPU (-17 %), 3375 s wall; the same 12 isolated
  points and 2 segments (67 and 12 tilted tubes).  Results per k: bench/results/enclose_S1xSk-1.jsonl.

  k = 7 (66389a5, beside an atlas run; the k = 7 run of an earlier session, 274,601 boxes and 792 s CPU
  before the tube shapes and the angle cache, had left no result line):
  k = 7: complete = True, 183,391 boxes, 275 s cpu, 785 s wall; 12 isolated points (2 unnamed: the equal-rows pair), 2 segments
  k = 8..20 (fd4ee8c: with the angle cache; two runs at a time, niced, beside an atlas run until
  15:15, alone after), every one complete, no box undecided:
  k = 8: complete = True, 175,525 boxes, 247 s cpu, 382 s wall; 12 isolated points (2 unnamed: the equal-rows pair), 2 segments
  k = 9: complete = True, 176,301 boxes, 268 s cpu, 465 s wall; 12 isolated points (2 unnamed: the equal-rows pair), 2 segments
  k = 10: complete = True, 170,305 boxes, 264 s cpu, 460 s wall; 12 isolated points (2 unnamed: the equal-rows pair), 2 segments
  k = 11: complete = True, 163,057 boxes, 277 s cpu, 810 s wall; 12 isolated points (2 unnamed: the equal-rows pair), 2 segments
  k = 12: complete = True, 167,545 boxes, 304 s cpu, 838 s wall; 12 isolated points (2 unnamed: the equal-rows pair), 2 segments
  k = 13: complete = True, 161,777 boxes, 299 s cpu, 304 s wall; 12 isolated points (2 unnamed: the equal-rows pair), 2 segments
  k = 14: complete = True, 156,893 boxes, 291 s cpu, 295 s wall; 12 isolated points (2 unnamed: the equal-rows pair), 2 segments
  k = 15: complete = True, 155,829 boxes, 278 s cpu, 281 s wall; 12 isolated points (2 unnamed: the equal-rows pair), 2 segments
  k = 16: complete = True, 159,195 boxes, 294 s cpu, 297 s wall; 11 isolated points (2 unnamed: the equal-rows pair), 2 segments
  k = 17: complete = True, 158,305 boxes, 325 s cpu, 328 s wall; 11 isolated points (2 unnamed: the equal-rows pair), 2 segments
  k = 18: complete = True, 160,999 boxes, 334 s cpu, 338 s wall; 11 isolated points (2 unnamed: the equal-rows pair), 2 segments
  k = 19: complete = True, 161,231 boxes, 333 s cpu, 337 s wall; 11 isolated points (2 unnamed: the equal-rows pair), 2 segments
  k = 20: complete = True, 157,381 boxes, 325 s cpu, 329 s wall; 11 isolated points (2 unnamed: the equal-rows pair), 2 segments
  The isolated points at every k: global, sk, sk1, sk1b, rank1mp, rank1pm, sk1g-m, sk1g-p, sksk1b-p,
  sksk1b-m (up to k = 15: the branch ends at k ≈ 15.19, where its row 1 reaches 0) and the
  equal-rows pair (no family: see README).
"""
import argparse
import json
import os
import subprocess
import time

import mpmath

from symcrit.critical.enclosure import all_critical_points, search_statistics
from symcrit.symmetry.fixedpoint import fixed_point_space


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--k", default="6", help="comma-separated integers")
    ap.add_argument("--rho", default="0", help="'0' (proven domain) or 'default'")
    ap.add_argument("--max-boxes", type=int, default=600_000)
    ap.add_argument("--blocks", default="1,k-1")
    ap.add_argument("--stats", action="store_true", help="diagnose an incomplete run (where, why)")
    ap.add_argument("--out", default=None, help="append one JSON line per k to this file")
    args = ap.parse_args()
    space = fixed_point_space(args.blocks.split(","))
    for k in (int(v) for v in args.k.split(",")):
        t0 = time.perf_counter()
        enc = all_critical_points(space, k, rho=None if args.rho == "default" else args.rho, max_boxes=args.max_boxes)
        wall = time.perf_counter() - t0
        c = enc.counts
        print(f"k = {k}: complete = {enc.complete}, boxes = {c['boxes']}, decided share = {c['decided_volume_share']}, "
              f"wall {wall:.1f} s (search {enc.seconds:.1f} s, cpu {c['cpu_seconds']} s), undecided = {len(enc.undecided)}",
              flush=True)
        print(f"   counts: {c}")
        for p in enc.points:
            print(f"   point: {p.family or 'new'}  F = {p.to_dict()['loss']}  in domain: {p.in_domain}  "
                  f"values = {[mpmath.nstr(v, 12) for v in p.values]}")
        for t in enc.continua:
            print(f"   continuum: {t['label']}  F = {t['loss']}  ({t['tube_boxes']} tube boxes)")
        cat = enc.catalogue
        print(f"   catalogue: matched {sorted(cat['matched'])}, new {cat['new']}, missing {cat['missing']}")
        if args.out:
            _append(args.out, enc, k, args, wall)
        if enc.undecided:
            print(f"   first undecided: {enc.undecided[0]['reason']}: {enc.undecided[0]['box']}")
            print(f"   undecided by reason: {enc.undecided_reasons()}")
            if args.stats:
                st = search_statistics(space, k, rho=None if args.rho == "default" else args.rho,
                                       max_boxes=min(args.max_boxes, 50_000), small=1e-3)
                print(f"   diagnosis ({st['boxes']} boxes): by reason {st['by_reason']}")
                print(f"   deep boxes by place: {st['by_place']}")
                for h in st["hotspots"][:5]:
                    print(f"   hotspot: {h['place']} visits {h['visits']} params {[round(v, 4) for v in h['params']]} "
                          f"reasons {h['reasons']}")


def _append(path, enc, k, args, wall):
    """One JSON line: the result of one k (complete, boxes, wall/cpu, the points and continua with
    their identification by compare_with_catalogue)."""
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                                cwd=os.path.dirname(os.path.abspath(__file__))).stdout.strip()
    except OSError:
        commit = None
    commit = commit or os.environ.get("SYMCRIT_COMMIT")  # a run from an exported tree (no .git)
    cat = enc.catalogue
    rec = {"blocks": args.blocks, "k": k, "rho": args.rho, "complete": enc.complete, "evidence": enc.evidence,
           "boxes": enc.counts["boxes"], "counts": enc.counts, "wall_seconds": round(wall, 1),
           "cpu_seconds": enc.counts["cpu_seconds"], "load_at_end": os.getloadavg()[0], "commit": commit,
           "points": [{"family": p.family, "loss": p.to_dict()["loss"], "in_domain": p.in_domain,
                       "values": [mpmath.nstr(v, 15) for v in p.values]} for p in enc.points],
           "continua": [{"label": t["label"], "family": t["family"], "loss": t["loss"], "tube_boxes": t["tube_boxes"],
                         "norm_ranges_not_covered": t["norm_ranges_not_covered"]} for t in enc.continua],
           "catalogue": {"matched": sorted(cat["matched"]), "new": cat["new"], "missing": cat["missing"],
                         "continua": cat["continua"], "full_gradient_residual": cat["full_gradient_residual"]},
           "undecided": len(enc.undecided), "undecided_reasons": enc.undecided_reasons(),
           "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "a") as fh:
        fh.write(json.dumps(rec) + "\n")


if __name__ == "__main__":
    main()
