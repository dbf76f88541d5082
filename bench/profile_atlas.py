"""Profile: where the time of one atlas campaign goes, phase by phase (CPU seconds of this process).

One `atlas([k], runs=N)` (campaign, grouping, every branch at k, crossings, limits, series),
then `plot_atlas` and `render_markdown`, with timers wrapped around the functions of each phase:

  descent          discover.optimise (batched accelerated gradient)
  identification   discover.identify (isotropy, Newton on the fixed-point space, catalogue match)
  classification   discover.classify_end_point (of which: dense Hessian assembly, eigvalsh, or the
                   symmetry blocks)
  grouping         atlas.group_sightings (continuation in real k to each sighting)
  branch points    Family.solve + certify + index (of which: dense Hessian assembly, eigvalsh,
                   prove_inertia, teacher_certificate)
  coincidences     atlas.coincidences
  crossings        atlas.minimum_ranges (the crossing scan in real k, folds)
  limits, series   atlas.branch_limit (continuation to k = 10^12, folds above, series)
  writing          atlas.json, plot_atlas, render_markdown

Timers are inclusive and nest (a phase's sub-rows are part of it); time outside every phase is
listed as "other".  CPU seconds (time.process_time), so a loaded machine changes them less than
wall time.

Run:  python bench/profile_atlas.py [--k 25,30,40] [--runs 25] [--jobs 1] [--reopen]
``--reopen`` also times reopening the finished campaign (summarise the stored records again).
"""
import argparse
import functools
import os
import platform
import tempfile
import time
from collections import defaultdict

import numpy as np

T = defaultdict(float)
N = defaultdict(int)
STACK = []


def _timer(owner, name, key_of):
    """Replace owner.name by a wrapper adding its CPU time to the row ``key_of()`` (a recursive call
    to the same row is counted once)."""
    fn = getattr(owner, name)

    @functools.wraps(fn)
    def timed(*a, **kw):
        key = key_of()
        if key in STACK:
            return fn(*a, **kw)
        STACK.append(key)
        t0 = time.process_time()
        try:
            return fn(*a, **kw)
        finally:
            T[key] += time.process_time() - t0
            N[key] += 1
            STACK.pop()
    setattr(owner, name, timed)


def wrap(owner, name, label):
    """A timer whose row is ``label``."""
    _timer(owner, name, lambda: label)


def sub(owner, name, label):
    """A timer whose row is named after the enclosing phase: 'phase: label'."""
    _timer(owner, name, lambda: f"{STACK[0] if STACK else 'branch points'}: {label}")


def install():
    from symcrit.landscape import atlas as A
    from symcrit.landscape import discover as D
    from symcrit.model import network
    from symcrit.spectra import inertia
    from symcrit.critical import teacher, families
    wrap(D, "optimise", "descent")
    wrap(D, "identify", "identification")
    wrap(D, "classify_end_point", "classification")
    if hasattr(D, "hessian_extremes"):  # the classification computed (not read from the record)
        wrap(D, "hessian_extremes", "classification")
    wrap(A, "group_sightings", "grouping")
    wrap(A, "coincidences", "coincidences")
    wrap(A, "minimum_ranges", "crossings")
    wrap(A, "branch_limit", "limits, series")
    wrap(A, "plot_atlas", "writing")
    wrap(A, "render_markdown", "writing")
    sub(network.StudentTeacher, "_hessian_float", "dense Hessian assembly")
    sub(np.linalg, "eigvalsh", "dense eigvalsh")
    sub(families.Family, "solve", "Family.solve")
    sub(families.CriticalPoint, "certify", "certify (Krawczyk)")
    sub(inertia, "prove_inertia", "prove_inertia")
    sub(A, "point_index", "point_index")
    sub(teacher, "teacher_certificate", "teacher_certificate")
    from symcrit.spectra import hessian
    sub(hessian, "spectrum", "isotypic blocks (spectrum)")
    # atlas.py imported these names before the wrapping: rebind them there
    A.discover = D.discover
    A.teacher_certificate = teacher.teacher_certificate


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--k", default="25,30,40")
    ap.add_argument("--runs", type=int, default=25)
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--reopen", action="store_true")
    args = ap.parse_args()
    install()
    from symcrit.landscape import atlas as A
    from symcrit.landscape.discover import discover
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores; load average at start {os.getloadavg()[0]:.2f}; "
          f"{args.runs} runs, seed {args.seed}, jobs {args.jobs}")
    for k in [int(v) for v in args.k.split(",")]:
        T.clear()
        N.clear()
        with tempfile.TemporaryDirectory() as tmp:
            t0, w0 = time.process_time(), time.perf_counter()
            doc = A.atlas([k], runs=args.runs, seed=args.seed, out=tmp, jobs=args.jobs)
            t1 = time.process_time()
            STACK.append("writing")
            figs = A.plot_atlas(doc, tmp)
            A.render_markdown(doc, figs)
            STACK.pop()
            T["writing"] += time.process_time() - t1
            total, wall = time.process_time() - t0, time.perf_counter() - w0
            rows, calls = dict(T), dict(N)  # the reopening below is not part of the rows
            reopen = None
            if args.reopen:
                r0 = time.process_time()
                discover(k, args.runs, seed=args.seed, out=os.path.join(tmp, f"campaign-k{k:03d}.jsonl"))
                reopen = time.process_time() - r0
        T.clear()
        T.update(rows)
        N.clear()
        N.update(calls)
        top = [key for key in T if ":" not in key]
        print(f"\nk = {k}: {len(doc['branches'])} branches; total {total:.1f} s CPU (this process), "
              f"{wall:.1f} s wall; load average {os.getloadavg()[0]:.2f}")
        print(f"  {'phase':<52} {'calls':>6} {'CPU s':>8}")
        for key in sorted(top, key=lambda x: -T[x]):
            print(f"  {key:<52} {N[key]:>6} {T[key]:>8.2f}")
            for s in sorted((s for s in T if s.startswith(key + ": ")), key=lambda x: -T[x]):
                print(f"    {s[len(key) + 2:]:<50} {N[s]:>6} {T[s]:>8.2f}")
        bp = total - sum(T[key] for key in top)
        print(f"  {'branch points (the rest: solve, certify, index)':<52} {'':>6} {bp:>8.2f}")
        for s in sorted((s for s in T if s.startswith("branch points: ")), key=lambda x: -T[x]):
            print(f"    {s[len('branch points: '):]:<50} {N[s]:>6} {T[s]:>8.2f}")
        if reopen is not None:
            print(f"  reopening the finished campaign (discover again, all runs stored): {reopen:.2f} s CPU")


if __name__ == "__main__":
    main()
