import mpmath
import pytest


@pytest.fixture
def dps50():
    with mpmath.workdps(50):
        yield
