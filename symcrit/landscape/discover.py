"""Discovery: map the landscape from random starts and identify every minimum.

A *campaign* runs first-order optimisation from random starts (entries N(0, 1/k), as Safran and
Shamir did) until the gradient's Frobenius norm is below 1e-10, all runs of a batch at once
(vectorised over runs).  The optimiser is Nesterov's accelerated gradient with the adaptive
restart of O'Donoghue & Candès (step 1/(k/4 + 2), the inverse of a bound on the largest Hessian
eigenvalue near minima): plain gradient descent reaches the same points about ten times slower
(the smallest Hessian eigenvalues at the spurious minima are ~0.005 at k = 6).

Each end point is then *identified*: its isotropy is found (:func:`~symcrit.symmetry.fixedpoint.isotropy`),
it is refined by Newton's method on the reduced equations of that fixed-point space (k symbolic,
so one compiled system serves every k), checked in full space, and matched to a catalogued family
(same isotropy type and the same point to 1e-8), or reported as new with a ready family
definition (blocks affine in k and a ``start`` selector) that :func:`register_family` accepts.

Runs are deterministic: run i of seed S starts from ``numpy.random.default_rng([S, i])``.
With ``out=FILE`` every finished run is appended to a JSON-lines file (flushed and fsynced), so an
interrupted campaign continues where it stopped and loses nothing.
"""
from __future__ import annotations

from symcrit.core.errors import BadFile, BadInput
from symcrit.core.numbers import to_mpf
import functools
import json
import math
import os
import sys
from typing import Any

import mpmath
import numpy as np

from symcrit.model.kernel import pair_angles

__all__ = ["batched_gradient", "optimise", "identify", "merge_parallel", "discover", "summarise",
           "classify_end_point", "hessian_extremes", "read_campaign", "check_scheduler", "run_tasks",
           "store_classifications", "HESSIAN_ROUTES"]

_TWO_PI = 2 * math.pi


def batched_gradient(W, V):
    """dF/dW for a stack of students W (R, n, d) against the teacher V (k, d) (second layers 1)."""
    nw = np.linalg.norm(W, axis=2)
    nv = np.linalg.norm(V, axis=1)
    thw = pair_angles(W, W, nw, nw)
    thv = pair_angles(W, V, nw, nv)
    Aw = nw[:, None, :] * np.sin(thw) / _TWO_PI
    Av = nv[None, None, :] * np.sin(thv) / _TWO_PI
    coef = (Aw.sum(2) - Av.sum(2)) / nw
    return coef[..., None] * W + ((np.pi - thw) / _TWO_PI) @ W - ((np.pi - thv) / _TWO_PI) @ V


def optimise(W, V, tol=1e-10, max_iter=100_000):
    """Nesterov's accelerated gradient with adaptive restart on a stack of starts W (R, n, d).

    Returns (X, iterations, converged): the end points, the iteration at which each run's gradient
    norm fell below ``tol``, and a boolean mask."""
    k = V.shape[0]
    lr = 1.0 / (k / 4 + 2)
    X = W.astype(float).copy()
    Xp = X.copy()
    t = np.ones(len(X))
    its = np.full(len(X), max_iter)
    active = np.arange(len(X))
    for it in range(max_iter):
        a = active
        beta = ((t[a] - 1) / (t[a] + 2))[:, None, None]
        Y = X[a] + beta * (X[a] - Xp[a])
        grad = batched_gradient(Y, V)
        newX = Y - lr * grad
        restart = np.einsum("rij,rij->r", grad, newX - X[a]) > 0
        Xp[a] = X[a]
        X[a] = newX
        t[a] = np.where(restart, 1, t[a] + 1)
        # converged when the gradient at the new iterate is below tol (checked every 10 steps)
        if it % 10 == 0 or len(a) < 8:
            Gx = batched_gradient(X[a], V)
            done = np.sqrt((Gx ** 2).sum((1, 2))) < tol
            its[a[done]] = it + 1
            active = a[~done]
            if len(active) == 0:
                break
    conv = np.ones(len(X), bool)
    conv[active] = False
    return X, its, conv


def _affine_blocks(sizes):
    """Integer block sizes at one k -> blocks affine in k (the largest block takes the rest)."""
    big = max(range(len(sizes)), key=lambda i: (sizes[i], i))
    rest = sum(s for i, s in enumerate(sizes) if i != big)
    out = [str(s) for s in sizes]
    out[big] = "k" if rest == 0 else f"k-{rest}"
    return out


def identify(W: Any, k: int, dps: int = 30, max_distance: float = 1e-4,
             max_residual: Any = None) -> dict[str, Any]:
    """Refine a numerical end point and match it to a family.  Returns a dict with the loss,
    the isotropy block sizes, the family id (or None), the refined parameters, and for a new
    point a family definition {blocks, start}.

    The Newton-refined point is accepted only if it stays near the end point (max-norm distance in
    the reduced parameters at most ``max_distance``) and its reduced gradient is small (at most
    ``max_residual``, default 10^-(dps-5)); otherwise the record says ``refined: False`` and
    ``unidentified`` gives the reason (Newton may converge to another critical point)."""
    from symcrit.core.newton import newton
    from symcrit.critical.families import families
    from symcrit.symmetry.fixedpoint import fixed_point_space, isotropy
    from symcrit.model.network import StudentTeacher

    iso = isotropy(W, tol=1e-6)
    sizes = list(iso.sizes)
    loss0 = float(StudentTeacher(k).loss(W))
    if len(sizes) == k and all(s == 1 for s in sizes):
        return {"isotropy": sizes, "family": None, "loss": loss0, "refined": False,
                "unidentified": "trivial isotropy: no fixed-point space to refine on"}
    blocks = _affine_blocks(sizes)
    sp = fixed_point_space(blocks)
    Wc = iso.canonical(W)
    x0 = sp.project(Wc)
    tol_res = mpmath.mpf(10) ** -(dps - 5) if max_residual is None else mpmath.mpf(max_residual)
    with mpmath.workdps(dps + 10 + len(str(int(k)))):  # k itself exactly, whatever its size
        try:
            x, _, _ = newton(sp, [mpmath.mpf(float(v)) for v in x0], to_mpf(k))
        except Exception as exc:  # noqa: BLE001 - reported as unrefined, never hidden
            return {"isotropy": sizes, "family": None, "loss": loss0, "refined": False,
                    "unidentified": f"Newton on the fixed-point space failed: {type(exc).__name__}: {exc}"[:200]}
        F = sp.loss_function("mpmath")(x, k)
        resid = max(abs(v) for v in sp.gradient_function("mpmath")(x, k))
        dist = max(abs(a - mpmath.mpf(float(b))) for a, b in zip(x, x0))
    checks = {"distance": float(dist), "max_distance": float(max_distance), "residual": float(resid),
              "max_residual": float(tol_res)}
    reason = None
    if not dist <= max_distance:
        reason = (f"Newton moved {mpmath.nstr(dist, 3)} from the end point (more than {max_distance:g}): "
                  "it converged to another critical point")
    elif not resid <= tol_res:
        reason = f"reduced gradient {mpmath.nstr(resid, 3)} after Newton (more than {mpmath.nstr(tol_res, 3)})"
    if reason:
        return {"isotropy": sizes, "family": None, "loss": loss0, "refined": False, "unidentified": reason,
                "refinement": checks}
    fam_id = None
    for f in families():
        if f.space.sizes != sp.sizes or f.space.extra or k < f.k_min:
            continue
        ref = _family_values(f, k, dps)
        if max(abs(a - b) for a, b in zip(ref, x)) < 1e-8:
            fam_id = f.id
            break
    rec = {"isotropy": sizes, "family": fam_id, "loss": float(F), "loss_str": mpmath.nstr(F, 20),
           "params": {str(p): mpmath.nstr(v, 20) for p, v in zip(sp.params, x)},
           "residual": float(resid), "refined": True, "refinement": checks}
    if fam_id is None and float(F) > 1e-12:
        rec["definition"] = {"blocks": blocks, "start": [k, [mpmath.nstr(v, 20) for v in x]]}
    return rec


@functools.lru_cache(maxsize=512)
def _family_values(f, k, dps):
    """A catalogued family's point at k (``Family.solve``, deterministic), solved once per process:
    every run of a campaign that ends on the family's isotropy type compares against it."""
    return tuple(f.solve(k, dps=dps, verify=False).values)


def merge_parallel(W, tol=1e-6):
    """Merge rows of W that point in the same direction (angle < tol) by adding them.

    With output weights fixed at 1, relu(w·x) + relu(w'·x) = relu((w + w')·x) when w ∥ w', so the
    merged student computes the same function: a width-n point whose rows split a neuron reduces
    to a width-(n - 1) point with the same loss (the neuron-splitting embedding in reverse).
    Returns (merged matrix, groups of merged row indices)."""
    n = W.shape[0]
    nw = np.linalg.norm(W, axis=1)
    Wh = W / nw[:, None]
    groups, used = [], set()
    for i in range(n):
        if i in used:
            continue
        g = [i] + [j for j in range(i + 1, n) if j not in used and np.linalg.norm(Wh[i] - Wh[j]) < tol]
        used.update(g)
        groups.append(g)
    return np.array([W[g].sum(0) for g in groups]), groups


def _identify_overparameterised(W, k):
    """For n > k: merge split neurons; if that leaves k rows, identify the merged point (n = k)."""
    from symcrit.model.network import StudentTeacher
    n = W.shape[0]
    loss = float(StudentTeacher(k, n=n).loss(W))
    # split neurons are parallel only to ~1e-4 at |grad| < 1e-10: the loss depends on the angle
    # between them at third order, so descent is slow there; the loss check below guards the merge
    M, groups = merge_parallel(W, tol=1e-2)
    rec = {"loss": loss, "isotropy": None, "family": None, "merged_rows": [g for g in groups if len(g) > 1]}
    if M.shape[0] == k:
        merged = identify(M, k)
        # the merged point computes the same function: its loss must be the same
        if abs(merged["loss"] - loss) < 1e-9:
            rec.update({"isotropy": merged["isotropy"], "family": merged["family"], "reduces_to": "n = k",
                        "refined": False})
    return rec


def _run_batch(args):
    k, n, seed, idxs, tol = args
    from symcrit.model.network import StudentTeacher
    d = k
    W0 = np.stack([np.random.default_rng([seed, int(i)]).normal(scale=k ** -0.5, size=(n, d)) for i in idxs])
    V = np.eye(k, d)
    X, its, conv = optimise(W0, V, tol=tol)
    out = []
    m = StudentTeacher(k, n=n)
    for j, i in enumerate(idxs):
        rec = {"run": int(i), "seed": seed, "k": k, "n": n, "converged": bool(conv[j]), "iterations": int(its[j])}
        if conv[j] and n == k:
            rec.update(identify(X[j], k))
        elif conv[j]:
            rec.update(_identify_overparameterised(X[j], k))
        else:
            rec.update({"loss": float(m.loss(X[j])), "isotropy": None, "family": None})
        out.append(rec)
    return out


#: the fields every campaign record has
RECORD_FIELDS = ("run", "seed", "k", "n", "converged", "loss")


def read_campaign(path):
    """The finished runs of a campaign file (JSON lines, one record per run): {run: record}.

    A last line cut by an interruption is skipped (that run is redone).  Anything else that is not
    a campaign record -- not UTF-8 text, not JSON, JSON that is not a record (``42``), a record
    with a missing field -- raises :class:`~symcrit.core.errors.BadFile` naming the file and the line.
    """
    recs = {}
    if not path or not os.path.exists(path):
        return recs
    if os.path.isdir(path):
        raise BadFile(f"{path}: is a folder, not a campaign file")
    fix = f"it is not a symcrit campaign file: give another --out/out=, or delete the line to redo that run"
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        raise BadFile(f"{path}: cannot read it ({exc.strerror})") from None
    lines = data.split(b"\n")
    for no, raw in enumerate(lines, 1):
        if not raw.strip():
            continue
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise BadFile(f"{path}, line {no}: not UTF-8 text; {fix}") from None
        try:
            r = json.loads(line)
        except json.JSONDecodeError:
            # a record cut by an interruption (the tail of the file, or a line a resume ended)
            if line.startswith('{"run": ') and not line.rstrip().endswith("}"):
                continue
            raise BadFile(f"{path}, line {no}: not JSON; {fix}") from None
        if not isinstance(r, dict):
            raise BadFile(f"{path}, line {no}: {line[:30]!r} is not a campaign record (a JSON object); {fix}")
        missing = [f for f in RECORD_FIELDS if f not in r]
        if missing:
            raise BadFile(f"{path}, line {no}: the record has no field {missing[0]!r}; {fix}")
        if not isinstance(r["run"], int) or isinstance(r["run"], bool):
            raise BadFile(f"{path}, line {no}: 'run' must be an integer; {fix}")
        recs[r["run"]] = r
    return recs


def check_scheduler(address, timeout: float = 2.0) -> None:
    """Raise :class:`~symcrit.core.errors.BadInput` unless a dask scheduler address is reachable
    (a TCP connection within ``timeout`` seconds) and ``distributed`` is installed."""
    import socket
    from urllib.parse import urlsplit

    try:
        import distributed  # noqa: F401
    except ImportError:
        raise BadInput("a scheduler needs dask.distributed: pip install distributed") from None
    a = address if "://" in address else f"tcp://{address}"
    try:
        u = urlsplit(a)
        host, port = u.hostname, u.port
    except ValueError:
        host = port = None
    if u.scheme not in ("tcp", "tls") or not host or not port:
        raise BadInput(f"scheduler {address!r}: give an address such as tcp://HOST:PORT")
    try:
        with socket.create_connection((host, port), timeout=timeout):
            pass
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise BadInput(f"scheduler {address} is not reachable ({reason}): start it (`dask scheduler`) "
                       "or check the address") from None
    # something answers there: it must speak dask's protocol (a web server or another service
    # would make the client fail deep inside distributed, with a traceback).  The probe runs in a
    # thread of its own, so it works where an event loop is already running (Jupyter).
    import asyncio
    import concurrent.futures

    async def probe() -> Any:
        from distributed.comm import connect
        comm = await connect(a, timeout=max(timeout, 5.0))
        try:
            await comm.write({"op": "identity"})
            return await comm.read()
        finally:
            await comm.close()

    try:
        with concurrent.futures.ThreadPoolExecutor(1) as ex:
            reply = ex.submit(asyncio.run, asyncio.wait_for(probe(), max(timeout, 5.0) + 1)).result()
        why: str | None = (None if isinstance(reply, dict) and reply.get("type") == "Scheduler"
                           else f"it replied {str(reply)[:60]!r}")
    except Exception as exc:  # any failure of the handshake is the address's fault, not a bug
        first = str(exc).splitlines()[0] if str(exc) else ""
        why = type(exc).__name__ + (f": {first[:120]}" if first else "")
    if why:
        raise BadInput(f"scheduler {address} did not answer as a dask scheduler ({why}): check the address")


def discover(k: int, runs: int, seed: int = 0, n: int | None = None, jobs: int = 1,
             out: str | os.PathLike[str] | None = None, batch: int = 25, tol: float = 1e-10,
             progress: bool = False, scheduler: Any = None, hessian: str = "blocks") -> dict[str, Any]:
    """Run (or resume) a campaign of ``runs`` starts at width k; returns the summary dict
    (:func:`summarise`).

    ``jobs > 1``: a local process pool.  ``scheduler``: a ``dask.distributed`` scheduler address
    (or a ``Client``): the same batches run on the cluster's workers, results are stored as they
    arrive; then the distinct end points are classified (:func:`summarise`) on the same pool or
    cluster.  The results do not depend on where a batch or a classification runs.

    With ``out``, each group's classification (``hessian``: 'blocks' or 'dense', see
    :func:`hessian_extremes`) is stored in the record of the group's first run
    (:func:`store_classifications`), so reopening a finished campaign does not compute it again."""
    from tqdm import tqdm

    n = k if n is None else n
    if k < 2 or runs < 1 or n < k:
        raise BadInput("need k >= 2, runs >= 1 and n >= k")
    if isinstance(scheduler, str):
        check_scheduler(scheduler)
    done = read_campaign(out)
    # records of another campaign in the same file are not mixed in
    done = {i: r for i, r in done.items() if r.get("k") == k and r.get("n") == n and r.get("seed") == seed and i < runs}
    todo = [i for i in range(runs) if i not in done]
    chunks = [(k, n, seed, todo[j:j + batch], tol) for j in range(0, len(todo), batch)]
    fh = None
    if out:
        # an interruption may have cut the last line: end it, so the next record starts cleanly
        if os.path.exists(out) and os.path.getsize(out) > 0:
            with open(out, "rb") as f:
                f.seek(-1, os.SEEK_END)
                dangling = f.read(1) != b"\n"
            if dangling:
                with open(out, "a") as f:
                    f.write("\n")
        fh = open(out, "a")
    bar = tqdm(total=runs, initial=len(done), desc=f"discover k={k}", unit="run", disable=not progress,
               file=sys.stderr, leave=False)
    try:
        for recs in run_tasks(_run_batch, chunks, jobs=jobs, scheduler=scheduler):
            _store(recs, done, fh, bar)
    finally:
        bar.close()
        if fh:
            fh.close()
    summary, classified = _summarise(k, n, runs, [done[i] for i in sorted(done)], jobs=jobs, scheduler=scheduler,
                                     hessian=hessian)
    if out and classified:
        try:
            store_classifications(out, {r["run"]: r for r in classified})
        except OSError as exc:  # a read-only campaign: the summary is right, only the reuse is lost
            import warnings
            warnings.warn(f"{out}: the classifications could not be stored ({exc.strerror}); "
                          "they are computed again when the campaign is reopened", stacklevel=2)
    return summary


def run_tasks(fn: Any, items: list[Any], jobs: int = 1, scheduler: Any = None) -> Any:
    """Apply ``fn`` (a module-level function) to each item and yield the results as they arrive:
    on a ``dask.distributed`` cluster (``scheduler``: an address or a ``Client``), on a local
    process pool of ``jobs`` processes, or here, one after the other.  The caller must not depend
    on the order of the results (tag them).  Each call runs with one BLAS thread
    (:func:`symcrit.core.blas.blas_threads`): the parallelism is in the processes, and a BLAS
    thread per core inside each of them oversubscribes the machine."""
    fn = functools.partial(_one_blas_thread, fn)
    if scheduler is not None:
        from distributed import Client, as_completed
        client = scheduler if isinstance(scheduler, Client) else Client(scheduler)
        try:
            futures = client.map(fn, items, pure=False)
            for fut in as_completed(futures):
                yield fut.result()
        finally:
            if client is not scheduler:
                client.close()
    elif jobs > 1 and len(items) > 1:
        import multiprocessing as mp
        # fork where available: it does not re-import the caller's main module, so a plain
        # script without an `if __name__ == "__main__"` guard works too
        method = "fork" if "fork" in mp.get_all_start_methods() else "spawn"
        with mp.get_context(method).Pool(min(jobs, len(items))) as pool:
            yield from pool.imap_unordered(fn, items)
    else:
        for it in items:
            yield fn(it)


def _one_blas_thread(fn, item):
    from symcrit.core.blas import blas_threads
    with blas_threads(1):
        return fn(item)


def _store(recs, done, fh, bar):
    for r in recs:
        done[r["run"]] = r
        if fh:
            fh.write(json.dumps(r) + "\n")
            fh.flush()
            os.fsync(fh.fileno())
    bar.update(len(recs))


def store_classifications(path: str | os.PathLike[str], updated: dict[int, dict[str, Any]]) -> None:
    """Write the records ``updated`` ({run: record}, records of the campaign in ``path`` with a new
    ``classification`` field) over their lines in the campaign file.  Every other line is kept as
    it is; the file is replaced atomically (a temporary file, fsynced, then ``os.replace``), so an
    interruption leaves either the old file or the new one.  A line is replaced only when it is
    the same run of the same campaign (run, seed, k, n)."""
    with open(path, "rb") as fh:
        lines = fh.read().split(b"\n")
    out = []
    for raw in lines:
        rec = None
        if raw.strip():
            try:
                rec = json.loads(raw.decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError):
                rec = None
        new = updated.get(int(rec["run"])) if isinstance(rec, dict) and isinstance(rec.get("run"), int) else None
        if isinstance(rec, dict) and new is not None and all(rec.get(f) == new.get(f) for f in ("run", "seed", "k", "n")):
            raw = json.dumps(new).encode("utf-8")
        out.append(raw)
    tmp = f"{os.fspath(path)}.tmp-{os.getpid()}"
    with open(tmp, "wb") as fh:
        fh.write(b"\n".join(out))
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def _group(recs):
    conv = [r for r in recs if r["converged"]]
    groups: dict[Any, list[dict[str, Any]]] = {}
    for r in conv:
        loss = r["loss"] if abs(r["loss"]) > 1e-14 else 0.0  # rounding noise at the global minimum
        key = (r.get("family"), tuple(r["isotropy"]) if r.get("isotropy") else None, round(loss, 9),
               bool(r.get("refined")))
        groups.setdefault(key, []).append(r)
    return conv, sorted(groups.items(), key=lambda t: (t[0][2], not t[0][3]))


def summarise(k: int, n: int, runs: int, recs: list[dict[str, Any]], jobs: int = 1, scheduler: Any = None,
              hessian: str = "blocks") -> dict[str, Any]:
    """{k, n, runs, converged, spurious_fraction, minima: [...]}.

    ``minima`` lists the groups of converged end points (same family, isotropy and loss), each with
    ``count``, ``min_eigenvalue``, ``max_eigenvalue``, ``index`` and what is known about it:
    ``kind`` ('minimum', 'saddle', 'undecided' or 'end point' when nothing beyond the descent is
    known), ``evidence`` ('checked' or 'estimated'), ``method``, ``hessian`` (how the eigenvalues
    were obtained) and a one-line ``label``; an end point whose Newton refinement was rejected
    carries ``unidentified`` (the reason).

    Each group is classified at its first run's record (:func:`classify_end_point`); a record that
    already holds a ``classification`` of the route ``hessian`` is not computed again, the others
    are computed on ``jobs`` processes or the dask ``scheduler`` (:func:`run_tasks`) and stored in
    the record (the dicts of ``recs`` gain the field)."""
    return _summarise(k, n, runs, recs, jobs=jobs, scheduler=scheduler, hessian=hessian)[0]


def _summarise(k, n, runs, recs, jobs=1, scheduler=None, hessian="blocks"):
    """(the summary, the records that gained a classification)."""
    conv, groups = _group(recs)
    spurious = [r for r in conv if r["loss"] > 1e-10]
    firsts = [rs[0] for _, rs in groups]
    todo = [r for r in firsts if n == k and r.get("refined") and not _stored(r, hessian)]
    for run, cls in run_tasks(_classify_task, [(r, k, hessian) for r in todo], jobs=jobs, scheduler=scheduler):
        next(r for r in todo if r["run"] == run)["classification"] = cls
    minima = []
    for (fam, iso, loss, _), rs in groups:
        status = classify_end_point(rs[0], k, n, hessian=hessian)
        m = {"loss": loss, "isotropy": list(iso) if iso else None, "family": fam, "count": len(rs), **status}
        if "definition" in rs[0]:
            m["definition"] = rs[0]["definition"]
        if rs[0].get("unidentified"):
            m["unidentified"] = rs[0]["unidentified"]
        minima.append(m)
    summary = {"k": k, "n": n, "runs": runs, "converged": len(conv),
               "spurious_fraction": (len(spurious) / len(conv)) if conv else None, "minima": minima}
    return summary, todo


def _stored(rec, hessian):
    c = rec.get("classification")
    return (isinstance(c, dict) and c.get("requested", c.get("route")) == hessian
            and isinstance(c.get("min_eigenvalue"), float) and isinstance(c.get("max_eigenvalue"), float)
            and isinstance(c.get("method"), str))


def _classify_task(args):
    rec, k, hessian = args
    return rec["run"], hessian_extremes(rec, k, hessian)


EIGENVALUE_TOL = 1e-8

#: the routes to an end point's Hessian eigenvalues (:func:`hessian_extremes`)
HESSIAN_ROUTES = ("blocks", "dense")


def classify_end_point(rec: dict, k: int, n: int, tol: float = EIGENVALUE_TOL, hessian: str = "blocks") -> dict:
    """What is known about a converged end point: {min_eigenvalue, max_eigenvalue, index, kind,
    evidence, method, hessian, label}.

    A refined point (n = k) is classified by the Hessian's eigenvalues at the refined point
    (:func:`hessian_extremes`; read from the record's ``classification`` when it holds one of the
    route ``hessian``, else computed): 'minimum' (evidence 'checked': the descent ended there and
    every eigenvalue exceeds ``tol``·max(1, |λ|_max)), 'saddle' (one is below −that), or
    'undecided'.  ``index`` is the number of negative eigenvalues with multiplicity (estimated:
    a sign count with a heuristic error bound; None if a sign is undecided; the proven index is
    :func:`symcrit.spectra.inertia.prove_inertia`, as the atlas does).  Without a refinement
    (rejected, trivial isotropy, n > k) only the descent is known: kind 'end point', evidence
    'estimated'."""
    if hessian not in HESSIAN_ROUTES:
        raise BadInput(f"hessian must be one of {HESSIAN_ROUTES}, got {hessian!r}")
    cls = None
    if n == k and rec.get("refined"):
        cls = rec["classification"] if _stored(rec, hessian) else hessian_extremes(rec, k, hessian)
    if cls is None:
        why = rec.get("unidentified") or ("n > k: the merged point is not refined" if n != k else "not refined")
        method = f"end of a descent run with |∇F| below its tolerance; Hessian not evaluated ({why})"
        return {"min_eigenvalue": None, "max_eigenvalue": None, "index": None, "kind": "end point",
                "evidence": "estimated", "method": method, "hessian": None,
                "label": f"end point (minimum not established): estimated ({method})"}
    lam, lam_max = cls["min_eigenvalue"], cls["max_eigenvalue"]
    what = cls["method"]
    scale = tol * max(1.0, abs(lam_max))
    if lam > scale:
        kind = "minimum"
        method = f"{what}: all > {scale:.1e} (smallest {lam:.3e})"
        evidence = "checked"
    elif lam < -scale:
        kind = "saddle"
        method = f"{what}: smallest {lam:.3e} < −{scale:.1e}"
        evidence = "checked"
    else:
        kind = "undecided"
        method = f"{what}: smallest {lam:.3e} within {scale:.1e} of 0"
        evidence = "estimated"
    return {"min_eigenvalue": lam, "max_eigenvalue": lam_max, "index": cls.get("index"), "kind": kind,
            "evidence": evidence, "method": method, "hessian": cls["route"], "label": f"{kind}: {evidence} ({method})"}


def hessian_extremes(rec: dict[str, Any], k: int, route: str = "blocks") -> dict[str, Any]:
    """The Hessian's smallest and largest eigenvalues and its index at a refined end point:
    ``{"min_eigenvalue", "max_eigenvalue", "index", "index_evidence", "route", "method"}`` (JSON-ready:
    this is what a campaign record stores as ``classification``).

    The point is the refined one stored in the record (its parameters, 20 digits, on the
    fixed-point space of its isotropy), else its family solved at 20 digits.  ``route``:

    - 'blocks': the eigenvalues of the isotypic blocks of the Hessian by symmetry
      (:func:`symcrit.spectra.hessian.spectrum`: mpmath at 20 digits plus guard digits, a few
      blocks of size at most 2r + 1 for r blocks of the isotropy; no k²×k² matrix), each with its
      exact multiplicity;
    - 'dense': float64 ``eigvalsh`` of the dense k²×k² Hessian (StudentTeacher.hessian), the
      independent route (O(k⁶)).

    ``index`` counts the negative eigenvalues with multiplicity, with a heuristic error bound per
    eigenvalue (:func:`symcrit.core.signs.count_signs`): 'estimated', None when a sign is within
    its bound."""
    if route not in HESSIAN_ROUTES:
        raise BadInput(f"route must be one of {HESSIAN_ROUTES}, got {route!r}")
    from symcrit.core.signs import count_signs, float_eigenvalue_bound

    cp = _refined_point(rec, k)
    failed = None
    if route == "blocks":
        from symcrit.core.errors import SymcritError
        from symcrit.spectra.hessian import MultiplicityError, spectrum
        try:
            sp = spectrum(cp)
            ev = sp.eigenvalues()
            index = sp.negative_count
            out = {"min_eigenvalue": float(ev[0][0]), "max_eigenvalue": float(ev[-1][0]),
                   "method": "isotypic-block Hessian eigenvalues by symmetry (mpmath) at the refined point"}
            return {**out, "index": None if index is None else int(index), "index_evidence": "estimated",
                    "route": "blocks", "requested": "blocks"}
        except (SymcritError, MultiplicityError, ValueError, ArithmeticError, ZeroDivisionError) as exc:
            failed = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"[:200]
    from symcrit.model.network import StudentTeacher
    with mpmath.workdps(cp.work_dps):
        W = np.array(cp.W, dtype=float)
    lam = np.linalg.eigvalsh(StudentTeacher(k).hessian(W))
    index = count_signs(lam, bound=float_eigenvalue_bound(list(lam), len(lam)), evidence="estimated").index
    out = {"min_eigenvalue": float(lam[0]), "max_eigenvalue": float(lam[-1]),
           "method": "float64 eigenvalues of the dense Hessian at the refined point"
                     + (f" (the symmetry blocks failed: {failed})" if failed else "")}
    return {**out, "index": None if index is None else int(index), "index_evidence": "estimated", "route": "dense",
            "requested": route}


#: digits of the refined point the classification works at (the record stores 20)
CLASSIFY_DPS = 20


def _refined_point(rec, k):
    """A CriticalPoint at the record's refined point (no branch tracking, no solve: a finished
    campaign reopens quickly), else at its family solved at 20 digits."""
    from symcrit.critical.families import CriticalPoint, Family, family
    from symcrit.symmetry.fixedpoint import fixed_point_space
    work = CLASSIFY_DPS + 15 + len(str(int(k)))
    if rec.get("params") and rec.get("isotropy"):
        try:
            sp = fixed_point_space(_affine_blocks(rec["isotropy"]))
            with mpmath.workdps(work):
                x = [mpmath.mpf(rec["params"][str(p)]) for p in sp.params]
            fam = Family(rec.get("family") or "end point", sp, start=(k, x))
            return CriticalPoint(fam, k, CLASSIFY_DPS, x, work)
        except (KeyError, ValueError, TypeError):
            pass
    if rec.get("family"):
        return family(rec["family"]).solve(k, dps=CLASSIFY_DPS, verify=False)
    if rec.get("loss", 0) <= 1e-12:
        return family("global").solve(k, dps=CLASSIFY_DPS, verify=False)
    d = rec["definition"]
    f = Family("new", fixed_point_space(d["blocks"]), start=(k, [float(v) for v in d["start"][1]]))
    return f.solve(k, dps=CLASSIFY_DPS, verify=False)
