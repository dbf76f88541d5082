"""The number of threads of the BLAS/LAPACK library under numpy, scoped.

symcrit runs its parallel work in processes (``--jobs``, a dask cluster).  A BLAS library that
also starts a thread per core inside each of them oversubscribes the machine: on this project's
2-core machine under load, one ``numpy.linalg.eigvalsh`` of a 1600×1600 matrix (the dense
Hessian at k = 40) took 4.4 s of CPU with OpenBLAS's 2 threads and 0.24 s with one (measured by
``bench/profile_atlas.py``).  :func:`blas_threads` sets the number of threads inside a ``with``
block and restores it after: through ``threadpoolctl`` when it is installed, else through
OpenBLAS's own ``*openblas_set_num_threads*`` functions found in the libraries the process has
loaded; with neither (another BLAS, another system) it does nothing and says so.

>>> with blas_threads(1) as how:
...     how in ("threadpoolctl", "openblas", "unchanged")
True
"""
from __future__ import annotations

import contextlib
import ctypes
import os
from typing import Any, Iterator

__all__ = ["blas_threads", "openblas_functions"]

_NAMES = ("openblas_set_num_threads", "openblas_set_num_threads64_", "scipy_openblas_set_num_threads",
          "scipy_openblas_set_num_threads64_")


def openblas_functions() -> list[tuple[Any, Any]]:
    """(set, get) pairs of the OpenBLAS thread functions in the libraries this process has loaded
    (Linux: read from /proc/self/maps; elsewhere an empty list)."""
    import numpy  # noqa: F401 - numpy loads its BLAS

    paths: list[str] = []
    try:
        with open("/proc/self/maps") as fh:
            for line in fh:
                p = line.split()[-1] if line.strip() else ""
                if "openblas" in os.path.basename(p).lower() and p not in paths:
                    paths.append(p)
    except OSError:
        return []
    out = []
    for p in paths:
        try:
            lib = ctypes.CDLL(p)
        except OSError:
            continue
        for name in _NAMES:
            get = name.replace("set_num_threads", "get_num_threads")
            if hasattr(lib, name) and hasattr(lib, get):
                fset, fget = getattr(lib, name), getattr(lib, get)
                fset.argtypes, fset.restype, fget.restype = [ctypes.c_int], None, ctypes.c_int
                out.append((fset, fget))
    return out


@contextlib.contextmanager
def blas_threads(n: int = 1) -> Iterator[str]:
    """Run the block with ``n`` BLAS threads; yields how: 'threadpoolctl', 'openblas' or
    'unchanged' (no way to set them was found)."""
    if int(n) != n or n < 1:
        raise ValueError(f"blas_threads: n must be an integer >= 1, got {n!r}")
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        threadpool_limits = None
    if threadpool_limits is not None:
        with threadpool_limits(limits=int(n), user_api="blas"):
            yield "threadpoolctl"
        return
    funcs = openblas_functions()
    before = [fget() for _, fget in funcs]
    for fset, _ in funcs:
        fset(int(n))
    try:
        yield "openblas" if funcs else "unchanged"
    finally:
        for (fset, _), b in zip(funcs, before):
            fset(b)
