"""LaTeX of expressions and numbers (symcrit.core.tex)."""
from fractions import Fraction

import mpmath
import sympy

from symcrit.core.tex import tex, tex_number, tex_table


def test_atan2_is_one_operator_name():
    x, y = sympy.symbols("x y")
    s = tex(sympy.atan2(y, x) + sympy.pi)
    assert r"\operatorname{atan2}" in s and r"\operatorname{atan}_{2}" not in s and r"\pi" in s


def test_numbers_are_written_exactly_or_to_the_digits_asked():
    assert tex_number(10**40) == "1" + "0" * 40                      # an int in full
    assert tex_number(Fraction(29, 4)) == "7.25"                     # a terminating fraction as its decimal
    assert tex_number(Fraction(-1, 3)) == r"-\frac{1}{3}"
    with mpmath.workdps(30):
        assert tex_number(mpmath.mpf(1) / 3, digits=5) == "0.33333"
        assert tex_number(mpmath.mpf("1.5e-20"), digits=3) == r"1.5 \cdot 10^{-20}"
    assert tex_number("2.5e7") == r"2.5 \cdot 10^{7}"


def test_table_has_one_row_per_line_and_a_column_per_cell():
    t = tex_table(["k", "F"], [["6", "0.1"], ["7", "0.2"]])
    lines = t.splitlines()
    assert lines[0] == r"\begin{tabular}{ll}" and lines[-1] == r"\end{tabular}"
    assert lines[1:-1] == [r"k & F \\", r"6 & 0.1 \\", "7 & 0.2"]
