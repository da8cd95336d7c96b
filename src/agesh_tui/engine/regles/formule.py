"""Formula language of the « expression du besoin » (SPEC §2.5).

A département sets, per school year, a formula giving the weekly hours needed
for the décisions mutualisées, e.g. the national default
``intdiv(cM, 5) * 32 + (cM % 5 > 0 ? 24 : 0)``. The text is typed by a user,
so it is read by a hand-written tokenizer and parser (never Python ``eval``)
into an immutable tree, then evaluated over ``cM`` (décisions mutualisées),
``cI`` (décisions individuelles) and ``hI`` (their notified hours).

Semantics, C-like:

* every value is a float; booleans are numbers: comparisons, ``!``, ``&&`` and
  ``||`` give 1 (true) or 0 (false), and a condition is true when non-zero;
* ``/`` is real division (``7 / 2 == 3.5``);
* ``a % b`` is the C remainder: its sign is the sign of the dividend
  (``-7 % 5 == -2``, ``7 % -5 == 2``), so that for integers
  ``a == intdiv(a, b) * b + a % b``;
* ``intdiv(a, b)`` truncates the exact quotient toward zero
  (``intdiv(-7, 2) == -3``);
* ``round(x)`` rounds half away from zero (``round(2.5) == 3``,
  ``round(-2.5) == -3``), as one rounds by hand, not Python's banker's
  rounding;
* ``&&``, ``||`` and ``c ? a : b`` short-circuit, so
  ``cM > 0 ? hI / cM : 0`` never divides by zero;
* precedence, loosest first: ``?:`` (right-associative), ``||``, ``&&``,
  ``== !=``, ``< <= > >=`` (equality below relations, as in C), ``+ -``,
  ``* / %``, unary ``- !``, then calls and parentheses; binary operators are
  left-associative.

Every problem (syntax, unknown name, arity, division by zero, overflow, size)
raises :class:`FormuleError` with a French message and a 0-based offset.
"""

from __future__ import annotations

import math
import operator
import string
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import NamedTuple

FORMULE_PAR_DEFAUT = "intdiv(cM, 5) * 32 + (cM % 5 > 0 ? 24 : 0)"
VARIABLES = ("cM", "cI", "hI")
# Bounds against pathological input: they keep both parser and evaluator
# recursion far below Python's recursion limit.
MAX_LENGTH = 2000
MAX_DEPTH = 100

_TOO_DEEP = f"formule trop imbriquée ({MAX_DEPTH} niveaux au maximum)"


class FormuleError(ValueError):
    """Invalid formula or failed evaluation; ``position`` is a 0-based offset."""

    def __init__(self, message: str, position: int) -> None:
        super().__init__(message, position)
        self.message = message
        self.position = position

    def __str__(self) -> str:
        return f"colonne {self.position + 1} : {self.message}"


# --- Tokenizer ---------------------------------------------------------------

class _Token(NamedTuple):
    kind: str  # "num", "name", "op" or "end"
    text: str
    pos: int


# Two-character operators first, so that "<=" is not read as "<" then "=".
_SYMBOLS = ("<=", ">=", "==", "!=", "&&", "||") + tuple("+-*/%<>!()?:,")
_DIGITS = "0123456789"  # not str.isdigit(), which accepts "²" or "٣"
_NAME_START = string.ascii_letters + "_"
_NAME_CHARS = _NAME_START + _DIGITS


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c in " \t\r\n":
            i += 1
            continue
        j = i + 1
        if c in _DIGITS:
            while j < n and text[j] in _DIGITS:
                j += 1
            if j < n and text[j] == ".":
                j += 1
                if j == n or text[j] not in _DIGITS:
                    raise FormuleError(f"nombre mal formé « {text[i:j]} »", i)
                while j < n and text[j] in _DIGITS:
                    j += 1
            if not math.isfinite(float(text[i:j])):
                raise FormuleError("nombre trop grand", i)
            tokens.append(_Token("num", text[i:j], i))
        elif c in _NAME_START:
            while j < n and text[j] in _NAME_CHARS:
                j += 1
            tokens.append(_Token("name", text[i:j], i))
        else:
            symbol = next((s for s in _SYMBOLS if text.startswith(s, i)), None)
            if symbol is None:
                shown = c if c.isprintable() else f"U+{ord(c):04X}"
                raise FormuleError(f"caractère inattendu « {shown} »", i)
            j = i + len(symbol)
            tokens.append(_Token("op", symbol, i))
        i = j
    tokens.append(_Token("end", "", n))
    return tokens


# --- Tree ----------------------------------------------------------------------
# ``depth`` counts operator levels above the leaves; the parser rejects trees
# deeper than MAX_DEPTH so that the recursive evaluator cannot overflow.

@dataclass(frozen=True, slots=True)
class _Num:
    value: float
    depth: int = 0


@dataclass(frozen=True, slots=True)
class _Var:
    name: str
    depth: int = 0


@dataclass(frozen=True, slots=True)
class _Unary:
    op: str
    operand: _Node
    depth: int


@dataclass(frozen=True, slots=True)
class _Chain:
    """``first op1 x1 op2 x2 ...`` at one precedence level, folded left.

    A flat chain rather than nested binary nodes, so that ``1+1+...+1`` is a
    shallow tree however long it is.
    """

    precedence: int
    first: _Node
    rest: tuple[tuple[str, int, _Node], ...]  # (operator, position, operand)
    depth: int


@dataclass(frozen=True, slots=True)
class _Cond:
    cond: _Node
    then: _Node
    other: _Node
    depth: int


@dataclass(frozen=True, slots=True)
class _Call:
    name: str
    pos: int
    args: tuple[_Node, ...]
    depth: int


_Node = _Num | _Var | _Unary | _Chain | _Cond | _Call

_PRECEDENCE = {"||": 1, "&&": 2, "==": 3, "!=": 3, "<": 4, "<=": 4, ">": 4,
               ">=": 4, "+": 5, "-": 5, "*": 6, "/": 6, "%": 6}


def _intdiv(a: float, b: float) -> float:
    if not math.isfinite(a / b):
        return math.inf  # reported as an overflow by the caller
    # Exact rationals: truncating a rounded float quotient could be off by one.
    return float(math.trunc(Fraction(a) / Fraction(b)))


def _round_half_away(x: float) -> float:
    """Round half away from zero: 2.5 -> 3, -2.5 -> -3 (not banker's rounding)."""
    whole = math.floor(abs(x))
    if abs(x) - whole >= 0.5:  # exact: floor(x) is 0 or within a factor 2 of x
        whole += 1
    return math.copysign(whole, x)


# name -> (minimum arity, maximum arity or None, implementation)
_FUNCTIONS: dict[str, tuple[int, int | None, Callable[..., float]]] = {
    "intdiv": (2, 2, _intdiv),
    "min": (2, None, min),
    "max": (2, None, max),
    "round": (1, 1, _round_half_away),
    "floor": (1, 1, math.floor),
    "ceil": (1, 1, math.ceil),
    "abs": (1, 1, abs),
}


# --- Parser ----------------------------------------------------------------------

class _Parser:
    """Recursive descent for ``?:``, unary operators and primaries; binary
    operators by operator precedence with an explicit stack, which keeps the
    recursion to a few frames per nesting level."""

    def __init__(self, text: str) -> None:
        self.tokens = _tokenize(text)
        self.i = 0
        self.nesting = 0
        self.variables: set[str] = set()

    def peek(self) -> _Token:
        return self.tokens[self.i]

    def advance(self) -> _Token:
        tok = self.tokens[self.i]
        if tok.kind != "end":
            self.i += 1
        return tok

    def at(self, symbol: str) -> bool:
        tok = self.tokens[self.i]
        return tok.kind == "op" and tok.text == symbol

    def expect(self, symbol: str, message: str) -> None:
        if not self.at(symbol):
            raise FormuleError(message, self.peek().pos)
        self.advance()

    def enter(self, pos: int) -> None:
        self.nesting += 1
        if self.nesting > MAX_DEPTH:
            raise FormuleError(_TOO_DEEP, pos)

    @staticmethod
    def checked(node: _Node, pos: int) -> _Node:
        if node.depth > MAX_DEPTH:
            raise FormuleError(_TOO_DEEP, pos)
        return node

    @staticmethod
    def unexpected(tok: _Token) -> FormuleError:
        if tok.kind == "end":
            return FormuleError("fin de formule inattendue", tok.pos)
        label = {"num": "nombre", "name": "nom", "op": "opérateur"}[tok.kind]
        return FormuleError(f"{label} inattendu « {tok.text} »", tok.pos)

    def formula(self) -> _Node:
        if self.peek().kind == "end":
            raise FormuleError("formule vide", 0)
        node = self.expression()
        if self.peek().kind != "end":
            raise self.unexpected(self.peek())
        return node

    def expression(self) -> _Node:
        cond = self.binary()
        if not self.at("?"):
            return cond
        pos = self.advance().pos
        self.enter(pos)
        then = self.expression()  # C allows a whole expression here
        self.expect(":", "« : » attendu")
        other = self.expression()  # right-associative: a ? b : c ? d : e
        self.nesting -= 1
        depth = 1 + max(cond.depth, then.depth, other.depth)
        return self.checked(_Cond(cond, then, other, depth), pos)

    def binary(self) -> _Node:
        operands = [self.unary()]
        pending: list[tuple[_Token, int]] = []
        while (tok := self.peek()).kind == "op" and tok.text in _PRECEDENCE:
            precedence = _PRECEDENCE[tok.text]
            while pending and pending[-1][1] >= precedence:  # left-associative
                self.reduce(operands, pending)
            pending.append((self.advance(), precedence))
            operands.append(self.unary())
        while pending:
            self.reduce(operands, pending)
        return operands[0]

    def reduce(self, operands: list[_Node], pending: list[tuple[_Token, int]]) -> None:
        tok, precedence = pending.pop()
        right, left = operands.pop(), operands.pop()
        if isinstance(left, _Chain) and left.precedence == precedence:
            # Extending the left chain is exact even if it was parenthesised:
            # (a - b) - c is a - b - c.
            node = _Chain(precedence, left.first, left.rest + ((tok.text, tok.pos, right),),
                          max(left.depth, right.depth + 1))
        else:
            node = _Chain(precedence, left, ((tok.text, tok.pos, right),),
                          1 + max(left.depth, right.depth))
        operands.append(self.checked(node, tok.pos))

    def unary(self) -> _Node:
        tok = self.peek()
        if not (tok.kind == "op" and tok.text in ("-", "!")):
            return self.primary()
        self.advance()
        self.enter(tok.pos)
        operand = self.unary()
        self.nesting -= 1
        return self.checked(_Unary(tok.text, operand, operand.depth + 1), tok.pos)

    def primary(self) -> _Node:
        tok = self.peek()
        if tok.kind == "num":
            self.advance()
            return _Num(float(tok.text))
        if tok.kind == "name":
            self.advance()
            if self.at("("):
                return self.call(tok)
            if tok.text in _FUNCTIONS:
                raise FormuleError(f"parenthèse ouvrante attendue après « {tok.text} »",
                                   self.peek().pos)
            if tok.text not in VARIABLES:
                raise FormuleError(f"variable inconnue « {tok.text} » "
                                   f"(variables : {', '.join(VARIABLES)})", tok.pos)
            self.variables.add(tok.text)
            return _Var(tok.text)
        if self.at("("):
            self.advance()
            self.enter(tok.pos)
            node = self.expression()
            self.expect(")", "parenthèse fermante manquante")
            self.nesting -= 1
            return node
        raise self.unexpected(tok)

    def call(self, name: _Token) -> _Node:
        if name.text not in _FUNCTIONS:
            raise FormuleError(f"fonction inconnue « {name.text} »", name.pos)
        self.enter(self.advance().pos)  # "("
        args: list[_Node] = []
        if not self.at(")"):
            args.append(self.expression())
            while self.at(","):
                self.advance()
                args.append(self.expression())
        self.expect(")", "parenthèse fermante manquante")
        self.nesting -= 1
        low, high, _ = _FUNCTIONS[name.text]
        if len(args) < low or (high is not None and len(args) > high):
            count = f"{low} argument{'s' if low > 1 else ''}"
            wanted = count if high == low else f"au moins {count}"
            raise FormuleError(f"« {name.text} » attend {wanted}", name.pos)
        depth = 1 + max(arg.depth for arg in args)
        return self.checked(_Call(name.text, name.pos, tuple(args), depth), name.pos)


# --- Evaluation ------------------------------------------------------------------

_OPERATIONS: dict[str, Callable[[float, float], float | bool]] = {
    "+": operator.add, "-": operator.sub, "*": operator.mul,
    "/": operator.truediv, "%": math.fmod,  # fmod: sign of the dividend, like C
    "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
    "==": operator.eq, "!=": operator.ne,
}


def _finite(value: float, pos: int) -> float:
    # Floats overflow silently to inf, then inf - inf is nan: stop at the cause.
    if not math.isfinite(value):
        raise FormuleError("dépassement de capacité", pos)
    return value


def _eval(node: _Node, env: dict[str, float]) -> float:
    match node:
        case _Num(value):
            return value
        case _Var(name):
            return env[name]
        case _Unary("-", operand):
            return -_eval(operand, env)
        case _Unary("!", operand):
            return float(_eval(operand, env) == 0)
        case _Cond(cond, then, other):
            return _eval(then if _eval(cond, env) != 0 else other, env)
        case _Call(name, pos, args):
            values = [_eval(arg, env) for arg in args]
            if name == "intdiv" and values[1] == 0:
                raise FormuleError("division par zéro", pos)
            return _finite(float(_FUNCTIONS[name][2](*values)), pos)
        case _Chain(_, first, rest):
            acc = _eval(first, env)
            for op, pos, operand in rest:
                if op == "&&":
                    acc = float(acc != 0 and _eval(operand, env) != 0)
                elif op == "||":
                    acc = float(acc != 0 or _eval(operand, env) != 0)
                else:
                    value = _eval(operand, env)
                    if value == 0 and op in ("/", "%"):
                        raise FormuleError("division par zéro" if op == "/"
                                           else "modulo par zéro", pos)
                    acc = _finite(float(_OPERATIONS[op](acc, value)), pos)
            return acc
    raise AssertionError(f"unknown node {node!r}")


class Formule:
    """A parsed formula; build it with :func:`parse`."""

    __slots__ = ("text", "variables", "_root")

    def __init__(self, text: str, variables: frozenset[str], root: _Node) -> None:
        self.text = text
        self.variables = variables  # names of the variables the formula uses
        self._root = root

    def __repr__(self) -> str:
        return f"Formule({self.text!r})"

    def evaluate(self, cM: int, cI: int = 0, hI: float = 0.0) -> float:
        env = {"cM": float(cM), "cI": float(cI), "hI": float(hI)}
        # "+ 0.0" turns -0.0 into 0.0, so that callers never display "-0".
        return _eval(self._root, env) + 0.0


def parse(text: str) -> Formule:
    """Parse ``text``; raise :class:`FormuleError` if it is not a valid formula."""
    if len(text) > MAX_LENGTH:
        raise FormuleError(f"formule trop longue ({MAX_LENGTH} caractères au maximum)",
                           MAX_LENGTH)
    parser = _Parser(text)
    root = parser.formula()
    return Formule(text, frozenset(parser.variables), root)


def evaluer(text: str, cM: int, cI: int = 0, hI: float = 0.0) -> float:
    """Parse and evaluate in one go (raises :class:`FormuleError`)."""
    return parse(text).evaluate(cM, cI, hI)
