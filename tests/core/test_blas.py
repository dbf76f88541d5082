"""The BLAS thread count, scoped."""
import numpy as np
import pytest

from symcrit.core.blas import blas_threads, openblas_functions


def test_blas_threads_are_set_in_the_block_and_restored_after():
    funcs = openblas_functions()
    before = [g() for _, g in funcs]
    A = np.random.default_rng(0).normal(size=(50, 50))
    with blas_threads(1) as how:
        assert how in ("threadpoolctl", "openblas", "unchanged")
        if how == "openblas":
            assert funcs and all(g() == 1 for _, g in funcs)
        ev = np.linalg.eigvalsh(A + A.T)
    assert [g() for _, g in funcs] == before
    assert np.allclose(ev, np.linalg.eigvalsh(A + A.T))  # the same numbers, whatever the threads


def test_blas_threads_refuses_a_count_below_one():
    with pytest.raises(ValueError):
        with blas_threads(0):
            pass
