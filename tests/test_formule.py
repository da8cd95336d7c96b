"""Tests of the « expression du besoin » formula language (SPEC §2.5)."""

from __future__ import annotations

import math
import operator
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agesh_tui.engine.regles.formule import (
    FORMULE_PAR_DEFAUT,
    MAX_DEPTH,
    MAX_LENGTH,
    Formule,
    FormuleError,
    evaluer,
    parse,
)

# --- Default formula -------------------------------------------------------------


def test_default_formula_text():
    assert FORMULE_PAR_DEFAUT == "intdiv(cM, 5) * 32 + (cM % 5 > 0 ? 24 : 0)"
    assert parse(FORMULE_PAR_DEFAUT).variables == {"cM"}


@pytest.mark.parametrize("cm, expected", [(0, 0), (4, 24), (5, 32), (7, 56), (10, 64), (11, 88)])
def test_default_formula_guide_values(cm, expected):
    assert evaluer(FORMULE_PAR_DEFAUT, cm) == expected


@given(st.integers(0, 10_000))
def test_default_formula_matches_python(cm):
    assert evaluer(FORMULE_PAR_DEFAUT, cm) == (cm // 5) * 32 + (24 if cm % 5 else 0)


# --- Values, precedence, associativity -----------------------------------------------


@pytest.mark.parametrize("text, expected", [
    ("3", 3), ("2.5", 2.5), (" \t1\n+ 2 ", 3),
    ("1 + 2 * 3", 7), ("(1 + 2) * 3", 9), ("2 * 3 + 1", 7),
    ("10 - 4 - 3", 3), ("10 - (4 - 3)", 9), ("100 / 10 / 5", 2), ("100 / (10 / 5)", 50),
    ("2 * 3 % 4", 2), ("2 * (3 % 4)", 6), ("7 / 2", 3.5), ("2.5 * 2", 5),
    ("-2 * 3", -6), ("-(2 + 3)", -5), ("--3", 3), ("- -3", 3), ("2 - -3", 5), ("-2 - 3", -5),
    ("!0", 1), ("!5", 0), ("!!7", 1), ("!0 + 1", 2), ("!(0 + 1)", 0), ("-!0", -1),
    ("1 + 2 < 4", 1), ("3 < 3", 0), ("3 <= 3", 1), ("3 > 2", 1), ("3 >= 4", 0),
    ("3 == 3", 1), ("3 != 4", 1), ("3 != 3", 0),
    ("1 < 2 == 1", 1), ("2 == 2 < 3", 0),  # C: relations bind tighter than equality
    ("3 > 2 > 1", 0),  # left-associative: (3 > 2) > 1 is 1 > 1
    ("1 || 0 && 0", 1), ("0 && 1 || 1", 1), ("(1 || 0) && 0", 0), ("2 && 3", 1), ("0 || -2", 1),
    ("1 ? 2 : 3", 2), ("0 ? 2 : 3", 3), ("0.5 ? 2 : 3", 2),
    ("1 ? 2 : 0 ? 3 : 4", 2), ("0 ? 2 : 0 ? 3 : 4", 4),  # right-associative
    ("1 ? 0 ? 5 : 6 : 7", 6), ("0 || 1 ? 10 : 20", 10), ("1 + 1 ? 3 : 4", 3),
    ("(0 ? 1 : 2) + 1", 3),
    ("-7 % 5", -2), ("7 % -5", 2), ("-7 % -5", -2), ("7 % 5", 2), ("7.5 % 2", 1.5),
    ("intdiv(7, 2)", 3), ("intdiv(-7, 2)", -3), ("intdiv(7, -2)", -3), ("intdiv(-7, -2)", 3),
    ("intdiv(7.5, 2)", 3), ("intdiv(0.7, 0.1)", 6), ("intdiv(10, 5)", 2),
    ("round(2.5)", 3), ("round(-2.5)", -3), ("round(0.5)", 1), ("round(1.5)", 2),
    ("round(1.4999)", 1), ("round(0.49999999999999994)", 0), ("round(2.4)", 2),
    ("round(-2.6)", -3), ("round(7)", 7),
    ("floor(-1.5)", -2), ("floor(1.5)", 1), ("ceil(-1.5)", -1), ("ceil(1.2)", 2),
    ("abs(-3)", 3), ("abs(3)", 3), ("min(3, 1, 2)", 1), ("max(3, 1, 2)", 3), ("min(2, 5)", 2),
    ("max(-1, -4)", -1), ("max(1, min(5, 3)) * 2", 6), ("intdiv(2 + 5, 3 - 1)", 3),
    ("-abs(-2)", -2), ("(((4)))", 4),
])
def test_values(text, expected):
    result = evaluer(text, 0)
    assert isinstance(result, float)
    assert result == expected


def test_variables_and_their_values():
    formule = parse("cM * 100 + cI * 10 + hI")
    assert formule.variables == {"cM", "cI", "hI"}
    assert formule.evaluate(3, 2, 1.5) == 321.5
    assert formule.evaluate(3) == 300
    assert parse("1 + 2").variables == set()
    assert evaluer("hI / cI", 0, cI=4, hI=10) == 2.5


def test_integral_results_equal_ints_and_no_negative_zero():
    assert evaluer("7 / 7", 0) == 1 and isinstance(evaluer("7 / 7", 0), float)
    for text in ("-0", "round(-0.4)", "0 * -1", "-cM"):
        assert math.copysign(1, evaluer(text, 0)) == 1, text


@pytest.mark.parametrize("text", [
    "cM > 0 ? hI / cM : 0", "0 && 1 / 0", "1 || 1 / 0", "cM == 0 || 10 / cM > 1",
    "cM ? 1 / cM : 2", "cM && intdiv(1, cM)",
])
def test_short_circuit_avoids_division_by_zero(text):
    assert evaluer(text, 0, hI=10) in (0, 1, 2)


def test_long_flat_formula_is_not_too_deep():
    text = "1+" * 999 + "12"
    assert len(text) == MAX_LENGTH
    assert evaluer(text, 0) == 1011


def test_formule_repr_and_text():
    formule = parse("cM + 1")
    assert formule.text == "cM + 1"
    assert repr(formule) == "Formule('cM + 1')"
    assert isinstance(formule, Formule)


# --- Errors --------------------------------------------------------------------------


def _error(text: str, cm: int = 0, ci: int = 0, hi: float = 0.0) -> FormuleError:
    with pytest.raises(FormuleError) as info:
        evaluer(text, cm, ci, hi)
    return info.value


@pytest.mark.parametrize("text, message, position", [
    ("", "formule vide", 0),
    ("   ", "formule vide", 0),
    ("1 +", "fin de formule inattendue", 3),
    ("(", "fin de formule inattendue", 1),
    ("-", "fin de formule inattendue", 1),
    ("(1 + 2", "parenthèse fermante manquante", 6),
    ("(1 + 2 3", "parenthèse fermante manquante", 7),
    ("min(1, 2", "parenthèse fermante manquante", 8),
    ("min(1 2)", "parenthèse fermante manquante", 6),
    ("1 + 2)", "opérateur inattendu « ) »", 5),
    ("intdiv(cM, )", "opérateur inattendu « ) »", 11),
    ("()", "opérateur inattendu « ) »", 1),
    ("* 2", "opérateur inattendu « * »", 0),
    ("+1", "opérateur inattendu « + »", 0),
    ("1 <> 2", "opérateur inattendu « > »", 3),
    ("1 ! 2", "opérateur inattendu « ! »", 2),
    ("min(1,)", "opérateur inattendu « ) »", 6),
    ("1 2", "nombre inattendu « 2 »", 2),
    ("cM cI", "nom inattendu « cI »", 3),
    ("2cM", "nom inattendu « cM »", 1),
    ("1e5", "nom inattendu « e5 »", 1),  # no exponent notation
    ("x + 1", "variable inconnue « x » (variables : cM, cI, hI)", 0),
    ("1 + cm", "variable inconnue « cm » (variables : cM, cI, hI)", 4),
    ("CM", "variable inconnue « CM » (variables : cM, cI, hI)", 0),
    ("1 + foo(2)", "fonction inconnue « foo »", 4),
    ("cM(2)", "fonction inconnue « cM »", 0),
    ("Round(2)", "fonction inconnue « Round »", 0),
    ("min + 1", "parenthèse ouvrante attendue après « min »", 4),
    ("round", "parenthèse ouvrante attendue après « round »", 5),
    ("intdiv(1)", "« intdiv » attend 2 arguments", 0),
    ("1 + intdiv(1, 2, 3)", "« intdiv » attend 2 arguments", 4),
    ("round(1, 2)", "« round » attend 1 argument", 0),
    ("abs()", "« abs » attend 1 argument", 0),
    ("floor()", "« floor » attend 1 argument", 0),
    ("ceil(1, 2)", "« ceil » attend 1 argument", 0),
    ("min(1)", "« min » attend au moins 2 arguments", 0),
    ("max()", "« max » attend au moins 2 arguments", 0),
    ("1 $ 2", "caractère inattendu « $ »", 2),
    ("1 = 2", "caractère inattendu « = »", 2),
    ("1 & 2", "caractère inattendu « & »", 2),
    ("1 | 2", "caractère inattendu « | »", 2),
    ("1.2.3", "caractère inattendu « . »", 3),
    (".5", "caractère inattendu « . »", 0),
    ("é", "caractère inattendu « é »", 0),
    ("1 + ²", "caractère inattendu « ² »", 4),
    ("1\x00", "caractère inattendu « U+0000 »", 1),
    ("2. + 1", "nombre mal formé « 2. »", 0),
    ("1 + 3.", "nombre mal formé « 3. »", 4),
    ("1 + 1" + "0" * 400, "nombre trop grand", 4),
    ("1 ? 2", "« : » attendu", 5),
    ("1 ? 2 3", "« : » attendu", 6),
    ("1 ? 2 : ", "fin de formule inattendue", 8),
])
def test_syntax_errors(text, message, position):
    error = _error(text)
    assert (error.message, error.position) == (message, position)
    assert str(error) == f"colonne {position + 1} : {message}"


def test_error_str_example_and_type():
    error = _error("intdiv(cM, )")
    assert str(error) == "colonne 12 : opérateur inattendu « ) »"
    assert isinstance(error, ValueError)


@pytest.mark.parametrize("text, cm, ci, hi, message, position", [
    ("1 / 0", 0, 0, 0.0, "division par zéro", 2),
    ("cM / (cI - 1)", 3, 1, 0.0, "division par zéro", 3),
    ("1 + 2 / (cM * 0)", 5, 0, 0.0, "division par zéro", 6),
    ("5 % cM", 0, 0, 0.0, "modulo par zéro", 2),
    ("1 + intdiv(1, cM)", 0, 0, 0.0, "division par zéro", 4),
    ("intdiv(1, 0.0)", 0, 0, 0.0, "division par zéro", 0),
    ("hI * hI", 0, 0, 1e200, "dépassement de capacité", 3),
    ("1 + hI / 0.000000001", 0, 0, 1e305, "dépassement de capacité", 7),
    ("intdiv(hI, 0.000001)", 0, 0, 1e305, "dépassement de capacité", 0),
    ("round(hI * 10)", 0, 0, 1e308, "dépassement de capacité", 9),
    ("-hI - hI", 0, 0, 1e308, "dépassement de capacité", 4),
])
def test_evaluation_errors(text, cm, ci, hi, message, position):
    error = _error(text, cm, ci, hi)
    assert (error.message, error.position) == (message, position)


def test_too_long():
    text = "1+" * 1000 + "1"
    assert len(text) == MAX_LENGTH + 1
    error = _error(text)
    assert error.message == f"formule trop longue ({MAX_LENGTH} caractères au maximum)"
    assert error.position == MAX_LENGTH


TOO_DEEP = f"formule trop imbriquée ({MAX_DEPTH} niveaux au maximum)"


@pytest.mark.parametrize("prefix, suffix, value, opener", [
    ("(", ")", 7, 0), ("-", "", 7, 0), ("!", "", 1, 0), ("abs(", ")", 7, 3),
    ("min(8, ", ")", 7, 3), ("0 ? 0 : ", "", 7, 2), ("1 ? ", " : 0", 7, 2), ("round(", ")", 7, 5),
])
def test_nesting_limit(prefix, suffix, value, opener):
    def nested(depth: int) -> str:
        return prefix * depth + "7" + suffix * depth

    assert evaluer(nested(MAX_DEPTH), 0) == value
    error = _error(nested(MAX_DEPTH + 1))
    # Reported at the symbol that opens the level one too many.
    assert (error.message, error.position) == (TOO_DEEP, len(prefix) * MAX_DEPTH + opener)


def test_nesting_limit_counts_operator_levels_not_only_parentheses():
    # Every parenthesis opens all the precedence levels: the tree is deeper
    # than the nesting, and must still be refused cleanly.
    text = "1"
    for _ in range(40):
        text = f"0 || 1 && 1 == 1 < 1 + 1 * ({text})"
    assert len(text) < MAX_LENGTH
    assert _error(text).message == TOO_DEEP
    text = "1"
    for _ in range(10):
        text = f"0 || 1 && 1 == 1 < 1 + 1 * ({text})"
    assert evaluer(text, 0) == 1


# --- Property tests ----------------------------------------------------------------
# Trees are tuples: ("num", v), ("var", name), ("un", op, x), ("bin", op, l, r),
# ("cond", c, a, b), ("call", name, args). They are rendered to text and
# evaluated by the reference below, independently of the module's own tree.

BINARY = {"||": 1, "&&": 2, "==": 3, "!=": 3, "<": 4, "<=": 4, ">": 4, ">=": 4,
          "+": 5, "-": 5, "*": 6, "/": 6, "%": 6}
COMPARE = {"==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le,
           ">": operator.gt, ">=": operator.ge, "+": operator.add, "-": operator.sub,
           "*": operator.mul}


def precedence(tree) -> int:
    if tree[0] == "bin":
        return BINARY[tree[1]]
    return {"cond": 0, "un": 7}.get(tree[0], 8)


def render(tree, minimal: bool) -> str:
    def wrap(child, needed: bool) -> str:
        text = render(child, minimal)
        return f"({text})" if needed or (not minimal and precedence(child) < 8) else text

    kind = tree[0]
    if kind in ("num", "var"):
        return str(tree[1])
    if kind == "un":
        return tree[1] + wrap(tree[2], precedence(tree[2]) < 7)
    if kind == "bin":
        p = BINARY[tree[1]]
        left = wrap(tree[2], precedence(tree[2]) < p)
        right = wrap(tree[3], precedence(tree[3]) <= p)  # left-associative
        return f"{left} {tree[1]} {right}"
    if kind == "cond":
        return (f"{wrap(tree[1], precedence(tree[1]) == 0)} ? {wrap(tree[2], False)}"
                f" : {wrap(tree[3], False)}")
    return f"{tree[1]}({', '.join(render(arg, minimal) for arg in tree[2])})"


def reference(tree, env) -> float:
    kind = tree[0]
    if kind == "num":
        return float(tree[1])
    if kind == "var":
        return float(env[tree[1]])
    if kind == "un":
        value = reference(tree[2], env)
        return -value if tree[1] == "-" else (1.0 if value == 0 else 0.0)
    if kind == "cond":
        return reference(tree[2] if reference(tree[1], env) != 0 else tree[3], env)
    if kind == "bin":
        op = tree[1]
        if op == "&&":
            return 1.0 if reference(tree[2], env) != 0 and reference(tree[3], env) != 0 else 0.0
        if op == "||":
            return 1.0 if reference(tree[2], env) != 0 or reference(tree[3], env) != 0 else 0.0
        a, b = reference(tree[2], env), reference(tree[3], env)
        if op == "/":
            return a / b  # ZeroDivisionError is expected as a FormuleError
        if op == "%":  # exact C remainder a - b * trunc(a / b)
            fa, fb = Fraction(a), Fraction(b)
            return float(fa - fb * math.trunc(fa / fb))
        return float(COMPARE[op](a, b))
    name, args = tree[1], [reference(arg, env) for arg in tree[2]]
    if name == "intdiv":
        return float(math.trunc(Fraction(args[0]) / Fraction(args[1])))
    if name == "round":
        return float(Decimal(args[0]).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return float({"floor": math.floor, "ceil": math.ceil, "abs": abs,
                  "min": min, "max": max}[name](*args))


def variables_of(tree) -> set[str]:
    if tree[0] == "var":
        return {tree[1]}
    children = tree[2] if tree[0] == "call" else [t for t in tree[1:] if isinstance(t, tuple)]
    return set().union(*(variables_of(child) for child in children))


leaves = st.one_of(
    st.tuples(st.just("num"), st.integers(0, 20)),
    st.tuples(st.just("num"), st.sampled_from([0.5, 1.5, 2.5, 0.25])),
    st.tuples(st.just("var"), st.sampled_from(["cM", "cI", "hI"])),
)


def extend(children):
    return st.one_of(
        st.tuples(st.just("un"), st.sampled_from("-!"), children),
        st.tuples(st.just("bin"), st.sampled_from(sorted(BINARY)), children, children),
        st.tuples(st.just("cond"), children, children, children),
        st.tuples(st.just("call"), st.sampled_from(["round", "floor", "ceil", "abs"]),
                  st.lists(children, min_size=1, max_size=1)),
        st.tuples(st.just("call"), st.just("intdiv"), st.lists(children, min_size=2, max_size=2)),
        st.tuples(st.just("call"), st.sampled_from(["min", "max"]),
                  st.lists(children, min_size=2, max_size=3)),
    )


trees = st.recursive(leaves, extend, max_leaves=20)
environments = st.fixed_dictionaries({
    "cM": st.integers(0, 50), "cI": st.integers(0, 50),
    "hI": st.integers(0, 400).map(lambda n: n / 2),
})


@settings(max_examples=500)
@given(trees, environments)
def test_random_expressions_match_reference(tree, env):
    try:
        expected = reference(tree, env) + 0.0
    except ZeroDivisionError:
        expected = None
    for minimal in (True, False):
        formule = parse(render(tree, minimal))
        assert formule.variables == variables_of(tree)
        if expected is None:
            with pytest.raises(FormuleError) as info:
                formule.evaluate(env["cM"], env["cI"], env["hI"])
            assert info.value.message in ("division par zéro", "modulo par zéro")
        else:
            assert formule.evaluate(env["cM"], env["cI"], env["hI"]) == expected


FORMULA_CHARACTERS = "0123456789.cMIhx_+-*/%<>=!&|?:(), \tintdivmaxroundflceabs$é"


@settings(max_examples=500)
@given(st.one_of(st.text(), st.text(alphabet=FORMULA_CHARACTERS)), environments)
def test_arbitrary_text_only_raises_formule_error(text, env):
    try:
        formule = parse(text)
    except FormuleError as error:
        assert error.message and 0 <= error.position <= len(text)
        return
    try:
        result = formule.evaluate(env["cM"], env["cI"], env["hI"])
    except FormuleError as error:
        assert 0 <= error.position < len(text)
    else:
        assert math.isfinite(result)


@given(st.text(alphabet="(-!)1+?:", max_size=MAX_LENGTH))
def test_nesting_soup_never_overflows_the_stack(text):
    try:
        parse(text).evaluate(1)
    except FormuleError:
        pass
