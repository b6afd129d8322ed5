"""Shapes defined in rule files, and the checks of a plane-geometry rule that need the whole rule.

A rule file may define polygon kinds of its own (``shapes:``): vertices, sampled params, the
coordinates of the vertices as expressions, equal sides, right angles and a formula bank.
:func:`compile_rule` turns them into builders that work like the built-in ones in
``shapes.py``, after checking them:

* structurally: every name refers to a vertex, segment or angle of the shape, every
  expression parses with the whitelisted vocabulary of :mod:`diagram_engine.expr`;
* numerically: on a dozen sampled parameter sets, every formula, equal-side group and
  right angle must agree with the coordinates the shape is drawn from, and the polygon must
  be simple with the shape on the left of its first edge. A wrong formula is reported at its
  line before any sample is made.

In a sample the same agreement is checked again for every value the shape derives; a
disagreement names the formula (a rule error, never a silently wrong answer).
"""
from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass
from functools import cached_property
from itertools import permutations

import numpy as np

from ...errors import Rejected, RuleError
from ...exact import canonical
from ...expr import Expr, ExprError, parse, symbol
from ...yamlio import line_of, loc_text
from .rule import BUILTIN_SHAPES, PlaneRule, ShapeDef
from .shapes import BUILDERS, A, Ctx, L, Recipe, Shape, X, _frame

__all__ = ["CompiledRule", "CompiledShape", "compile_rule", "required_slots"]

TRIALS = 12
REL_TOL = 1e-7


@dataclass(frozen=True)
class _Formula:
    name: str
    out: str                       # canonical local quantity name
    ins: tuple[str, ...]           # canonical local names, in the order of expr.names
    expr: Expr
    mistakes: tuple[Expr, ...]
    where: tuple[str, int | None, str]   # (path, line, field) for errors in a sample


@dataclass(frozen=True)
class CompiledShape:
    kind: str
    doc: str
    verts: tuple[str, ...]
    params: tuple[tuple[str, str, tuple], ...]          # (quantity, "length" | "angle", range)
    points: tuple[tuple[str, Expr, Expr], ...]
    equal: tuple[tuple[str, ...], ...]
    right_angles: tuple[tuple[str, str, str], ...]
    formulas: tuple[_Formula, ...]
    path: str
    written: tuple[tuple[str, str], ...]     # names written in point expressions -> canonical names

    @property
    def edge(self) -> str:
        return self.verts[0] + self.verts[1]

    # -- one shape of a sample -----------------------------------------------------------
    def __call__(self, ctx: Ctx, P: str, Q: str, s, base: bool) -> Shape:
        p, q, sf, d, n = _frame(ctx, P, Q)
        g = {self.verts[0]: P, self.verts[1]: Q}
        for v in self.verts[2:]:
            g[v] = ctx.letter()
        exact = {self.edge: s}
        floats = {self.edge: sf}
        for qn, kind, (lo, hi) in self.params:
            val = ctx.length_near(sf, lo, hi) if kind == "length" else ctx.angle(lo, hi)
            exact[qn] = val
            floats[qn] = float(val)
        local = _place(self, floats)
        if local is None:
            raise Rejected("degenerate", f"{self.kind}: the vertices do not make a simple polygon")
        for v in self.verts[2:]:
            x, y = local[v]
            ctx.pts[g[v]] = (p[0] + x * d[0] + y * n[0], p[1] + x * d[1] + y * n[1])
        verts = [g[v] for v in self.verts]
        name = "".join(verts)
        key = _keymap(g)
        sh = Shape(self.kind, "", name, verts, {}, ([key(self.edge)] if base else [])
                   + [key(qn) for qn, _, _ in self.params])
        for out, ins, expr, kind, pattern, mistakes in self._recipes:
            sh.recipes.append(Recipe(key(out), tuple(key(i) for i in ins), expr, kind, pattern, name, mistakes))
        for qn, f in _closure(self, floats):
            if f is None:      # an equal side
                exact.setdefault(qn, exact[_eq_src(self, qn, exact)])
                continue
            got, want = f.expr(_args(f, floats)), _measure(self, qn, local)
            if not _agrees(got, want):
                path, line, field = f.where
                raise RuleError(path, line, field, f"gives {got:.6g} for {f.out}, but the drawn shape "
                                f"measures {want:.6g} ({_show(self._given(floats))})")
            if qn not in exact:
                exact[qn] = canonical(f.expr.exact(_args(f, exact)))
        sh.values = {key(qn): v for qn, v in exact.items()}
        sh.right_angles = [(g[a], g[v], g[b]) for a, v, b in self.right_angles]
        sh.ticks = [(g[seg[0]], g[seg[1]], i + 1) for i, grp in enumerate(self.equal) for seg in grp]
        sides = [(verts[i], verts[(i + 1) % len(verts)]) for i in range(len(verts))]
        sh.free_edges = [e for e in sides if set(e) != {P, Q} and L(*e) in sh.values]
        return sh

    @cached_property
    def _recipes(self) -> list[tuple]:
        """The formula bank over local names, built once: (out, ins, expr over X0.., name,
        pattern, mistakes); a sample only maps the names to its letters."""
        out = []
        for f in _implicit(self) + list(self.formulas):
            names = list(f.expr.names)
            out.append((f.out, f.ins, _to_x(f.expr, names), f.name, f.expr.pattern(names),
                        tuple(_to_x(m, names) for m in f.mistakes)))
        return out

    def _given(self, floats: dict) -> dict:
        return {k: floats[k] for k in (self.edge, *(p[0] for p in self.params))}


class CompiledRule:
    """What a rule adds to the built-in vocabulary: its own shape kinds."""

    def __init__(self, shapes: dict[str, CompiledShape]):
        self.shapes = shapes
        self.builders = {**BUILDERS, **shapes}


# --- quantities of a shape ---------------------------------------------------------------------

def _segments(verts) -> dict[str, str]:
    """Every written segment name (both orders) -> its canonical name."""
    idx = {v: i for i, v in enumerate(verts)}
    out = {}
    for a, b in permutations(verts, 2):
        out[a + b] = a + b if idx[a] < idx[b] else b + a
    return out


def _angles(verts) -> dict[str, str]:
    idx = {v: i for i, v in enumerate(verts)}
    out = {}
    for a, v, b in permutations(verts, 3):
        out[a + v + b] = a + v + b if idx[a] < idx[b] else b + v + a
    return out


def _keymap(g):
    def key(qn: str) -> str:
        if qn in ("area", "perimeter"):
            name = "".join(g[v] for v in g)
            return ("area:" if qn == "area" else "perim:") + name
        if len(qn) == 2:
            return L(g[qn[0]], g[qn[1]])
        return A(g[qn[0]], g[qn[1]], g[qn[2]])
    return key


def _to_x(e: Expr, names: list[str]) -> object:
    """The expression over the recipe symbols X0, X1, ...: Xj stands for the formula's j-th name
    (a mistake uses the names of its formula, in the formula's order)."""
    return e.sympy.xreplace({symbol(nm): X[names.index(nm)] for nm in e.names})


def _args(f: _Formula, values: dict) -> dict:
    return {nm: values[q] for nm, q in zip(f.expr.names, f.ins)}


def _show(floats: dict) -> str:
    return ", ".join(f"{k} = {v:g}" for k, v in floats.items())


def _implicit(cs: CompiledShape) -> list[_Formula]:
    """Equal sides as formulas in both directions (the step 'XY = UV')."""
    out = []
    for grp in cs.equal:
        for other in grp[1:]:
            for a, b in ((grp[0], other), (other, grp[0])):
                e = parse(b, [b])
                out.append(_Formula("equal-sides", a, (b,), e, (), (cs.path, None, "")))
    return out


def _eq_src(cs, qn, exact):
    for grp in cs.equal:
        if qn in grp:
            for other in grp:
                if other in exact:
                    return other
    raise KeyError(qn)


def _closure(cs: CompiledShape, floats: dict) -> list[tuple[str, _Formula | None]]:
    """Forward from the edge and params: (quantity, formula giving it) in order; fills ``floats``.

    Formulas whose output is already known are listed too (their agreement is checked), as
    (out, formula). Equal-side steps give (quantity, None).
    """
    order = []
    progress = True
    done_formulas: set[int] = set()
    while progress:
        progress = False
        for grp in cs.equal:
            known = [q for q in grp if q in floats]
            if known:
                for q in grp:
                    if q not in floats:
                        floats[q] = floats[known[0]]
                        order.append((q, None))
                        progress = True
        for i, f in enumerate(cs.formulas):
            if i in done_formulas or not all(q in floats for q in f.ins):
                continue
            done_formulas.add(i)
            progress = True
            if f.out not in floats:
                floats[f.out] = f.expr(_args(f, floats))
            order.append((f.out, f))
    return order


def _measure(cs: CompiledShape, qn: str, pts: dict) -> float:
    """A quantity measured from the shape's local coordinates."""
    if qn == "area" or qn == "perimeter":
        ring = [pts[v] for v in cs.verts]
        if qn == "perimeter":
            return sum(math.dist(a, b) for a, b in zip(ring, ring[1:] + ring[:1]))
        return abs(_signed_area(ring))
    if len(qn) == 2:
        return math.dist(pts[qn[0]], pts[qn[1]])
    a, v, b = (pts[c] for c in qn)
    u = (a[0] - v[0], a[1] - v[1])
    w = (b[0] - v[0], b[1] - v[1])
    return abs(math.degrees(math.atan2(u[0] * w[1] - u[1] * w[0], u[0] * w[0] + u[1] * w[1])))


def _agrees(x: float, y: float) -> bool:
    return math.isfinite(x) and abs(x - y) <= REL_TOL * max(1.0, abs(x), abs(y))


def _signed_area(ring) -> float:
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1])) / 2


def _place(cs: CompiledShape, floats: dict) -> dict | None:
    """Local coordinates of every vertex; None when the polygon is not simple or not on the left."""
    pts = {cs.verts[0]: (0.0, 0.0), cs.verts[1]: (floats[cs.edge], 0.0)}
    args = {w: floats[c] for w, c in cs.written}
    try:
        for v, ex, ey in cs.points:
            pts[v] = (float(ex(args)), float(ey(args)))
    except (ValueError, ZeroDivisionError, OverflowError):
        return None
    ring = [pts[v] for v in cs.verts]
    if not all(math.isfinite(c) for p in ring for c in p):
        return None
    if _signed_area(ring) <= 1e-9 * floats[cs.edge] ** 2:
        return None
    from shapely.geometry import Polygon
    if not Polygon(ring).is_valid:
        return None
    return pts


# --- compiling and checking a rule ------------------------------------------------------------

def compile_rule(spec: PlaneRule, path: str, lines: dict, digest: str):
    """(CompiledRule, errors) where errors are (loc, message) pairs."""
    errors: list[tuple[tuple, str]] = []
    shapes: dict[str, CompiledShape] = {}
    for kind, sdef in spec.shapes.items():
        loc = ("shapes", kind)
        if kind in BUILTIN_SHAPES:
            errors.append((loc, f"'{kind}' is a built-in shape kind; give the new kind another name"))
            continue
        if not re.match(r"^[a-z][a-z0-9-]{0,39}$", kind):
            errors.append((loc, f"shape kind '{kind}' must be lower-case letters, digits and '-', "
                           "starting with a letter"))
            continue
        cs, errs = _compile_shape(kind, sdef, loc, path, lambda lc: line_of(lines, lc))
        errors += errs
        if cs is not None and not errs:
            errors += _check_numerically(cs, spec, loc, digest)
            shapes[kind] = cs
    if "shaded" in spec.targets and not spec.decorate.kinds:
        errors.append((("targets", spec.targets.index("shaded")),
                       "target 'shaded' needs decorate.kinds (a circle to shade against)"))
    elif set(spec.targets) <= {"shaded", "radius"} and spec.decorate.chance < 1:
        errors.append((("decorate", "chance"), "the targets are only shaded/radius, which need the "
                       "circle on every sample: decorate.chance must be 1"))
    known = list(BUILTIN_SHAPES) + list(spec.shapes)
    for field, kinds in (("base", spec.base), ("attach.shapes", spec.attach.shapes)):
        for i, k in enumerate(kinds):
            if k not in known:
                near = difflib.get_close_matches(k, known, n=1)
                hint = f"; did you mean '{near[0]}'?" if near else ""
                errors.append(((*field.split("."), i), f"unknown shape kind '{k}'{hint} (built-in: "
                               f"{', '.join(BUILTIN_SHAPES)}{'; defined here: ' + ', '.join(spec.shapes) if spec.shapes else ''})"))
    return CompiledRule(shapes), errors


def _compile_shape(kind: str, sdef: ShapeDef, loc: tuple, path: str, line_at):
    errors: list[tuple[tuple, str]] = []
    verts = list(sdef.vertices)
    for i, v in enumerate(verts):
        if len(v) != 1 or not ("A" <= v <= "Z"):
            errors.append(((*loc, "vertices", i), f"vertex names are single capital letters, got '{v}'"))
    if len(set(verts)) != len(verts):
        errors.append(((*loc, "vertices"), "vertex names must be distinct"))
    if errors:
        return None, errors
    segs, angs = _segments(verts), _angles(verts)
    edge = verts[0] + verts[1]
    sides = {segs[verts[i] + verts[(i + 1) % len(verts)]] for i in range(len(verts))}
    quantity_names = list(segs) + list(angs) + ["area", "perimeter"]

    def canon(name: str, where: tuple, allow=("segment", "angle", "area")) -> str | None:
        if name in segs and "segment" in allow:
            return segs[name]
        if name in angs and "angle" in allow:
            return angs[name]
        if name in ("area", "perimeter") and "area" in allow:
            return name
        want = {"segment": "a segment like " + edge, "angle": "an angle like " + verts[1] + verts[0] + verts[-1],
                "area": "area or perimeter"}
        near = difflib.get_close_matches(name, [n for n in quantity_names if len(n) == len(name)], n=1)
        hint = f"; did you mean '{near[0]}'?" if near else ""
        errors.append((where, f"'{name}' is not {' or '.join(want[a] for a in allow)} of vertices "
                       f"{', '.join(verts)}{hint}"))
        return None

    params = []
    for qn, pdef in sdef.params.items():
        kind_ = "length" if pdef.length is not None else "angle"
        c = canon(qn, (*loc, "params", qn), ("segment",) if kind_ == "length" else ("angle",))
        if c is None:
            continue
        if c == edge:
            errors.append(((*loc, "params", qn), f"{qn} is the edge the shape is built on; its length "
                           "comes from the previous shape (or the rule's lengths for a base)"))
            continue
        params.append((c, kind_, pdef.length if kind_ == "length" else pdef.angle))
    param_names = [edge] + [qn for qn in sdef.params]
    var_names = {edge: edge, **{qn: c for qn, (c, _, _) in zip(sdef.params, params)}}

    def expr(src, where, names, degrees=True) -> Expr | None:
        try:
            return parse(str(src), names, degrees=degrees)
        except ExprError as e:
            errors.append((where, str(e)))
            return None

    points = []
    for v, xy in sdef.points.items():
        where = (*loc, "points", v)
        if v not in verts:
            errors.append((where, f"'{v}' is not a vertex of the shape ({', '.join(verts)})"))
            continue
        if v in verts[:2]:
            errors.append((where, f"{v} is fixed at ({'0' if v == verts[0] else edge}, 0); give only "
                           f"the other vertices ({', '.join(verts[2:])})"))
            continue
        ex = expr(xy[0], (*where, 0), param_names)
        ey = expr(xy[1], (*where, 1), param_names)
        if ex is not None and ey is not None:
            points.append((v, ex, ey))
    missing = [v for v in verts[2:] if v not in sdef.points]
    if missing:
        errors.append(((*loc, "points"), f"no coordinates for {', '.join(missing)}"))
    points.sort(key=lambda t: verts.index(t[0]))

    equal, seen = [], set()
    for gi, grp in enumerate(sdef.equal):
        cg = []
        for si, nm in enumerate(grp):
            c = canon(nm, (*loc, "equal", gi, si), ("segment",))
            if c is None:
                continue
            if c not in sides:
                errors.append(((*loc, "equal", gi, si), f"{nm} is not a side of the shape; tick marks go on sides"))
            elif c in seen:
                errors.append(((*loc, "equal", gi, si), f"{nm} is in two groups of equal sides"))
            seen.add(c)
            cg.append(c)
        if len(grp) < 2:
            errors.append(((*loc, "equal", gi), "a group of equal sides needs at least two sides"))
        equal.append(tuple(cg))

    rights = []
    for i, nm in enumerate(sdef.right_angles):
        c = canon(nm, (*loc, "right_angles", i), ("angle",))
        if c is None:
            continue
        if segs[c[0] + c[1]] not in sides or segs[c[1] + c[2]] not in sides:
            errors.append(((*loc, "right_angles", i), f"{nm}: a right-angle mark goes between two sides "
                           "of the shape"))
        rights.append((c[0], c[1], c[2]))

    formulas = []
    for i, fd in enumerate(sdef.formulas):
        where = (*loc, "formulas", i)
        out = canon(fd.out, (*where, "out"))
        e = expr(fd.expr, (*where, "expr"), quantity_names)
        if out is None or e is None:
            continue
        ins = tuple(canon(nm, (*where, "expr")) for nm in e.names)
        if out in ins:
            errors.append(((*where, "expr"), f"the formula for {fd.out} uses {fd.out} itself"))
            continue
        if not e.names:
            errors.append(((*where, "expr"), "the formula uses no quantity of the shape"))
            continue
        mistakes = []
        for j, m in enumerate(fd.mistakes):
            me = expr(m, (*where, "mistakes", j), list(e.names))
            if me is not None:
                mistakes.append(me)
        fpath = (*where, "expr")
        formulas.append(_Formula(fd.name, out, ins, e, tuple(mistakes), (path, line_at(fpath), loc_text(fpath))))
    if errors:
        return None, errors
    return CompiledShape(kind, sdef.doc, tuple(verts), tuple(params), tuple(points), tuple(equal),
                         tuple(rights), tuple(formulas), path, tuple(var_names.items())), errors


def _check_numerically(cs: CompiledShape, spec: PlaneRule, loc: tuple, digest: str):
    """Sample the shape's params a few times; every stated relation must hold in the drawing."""
    errors: dict[tuple, str] = {}
    rng = np.random.Generator(np.random.PCG64(int(digest, 16) & 0xFFFF_FFFF_FFFF))
    ctx = Ctx(rng, spec)
    lo, hi = spec.lengths
    ok_trials = 0
    mistakes_differ = [[False] * len(f.mistakes) for f in cs.formulas]
    for _ in range(TRIALS):
        s = float(rng.integers(lo, hi + 1))
        floats = {cs.edge: s}
        try:
            for qn, kind, (a, b) in cs.params:
                floats[qn] = float(ctx.length_near(s, a, b) if kind == "length" else ctx.angle(a, b))
        except Rejected:
            continue
        local = _place(cs, floats)
        if local is None:
            errors.setdefault((*loc, "points"), "the vertices do not make a simple polygon lying on the "
                              f"left of {cs.verts[0]}→{cs.verts[1]} (counter-clockwise) for {_show(floats)}")
            continue
        ok_trials += 1
        try:
            order = _closure(cs, floats)
        except (ValueError, ZeroDivisionError, OverflowError) as e:
            errors.setdefault((*loc, "formulas"), f"a formula cannot be evaluated for {_show(floats)}: {e}")
            continue
        for qn, f in order:
            if f is None:
                continue
            i = cs.formulas.index(f)
            try:
                got = f.expr(_args(f, floats))
            except (ValueError, ZeroDivisionError, OverflowError) as e:
                errors.setdefault((*loc, "formulas", i, "expr"), f"cannot be evaluated for {_show(floats)}: {e}")
                continue
            want = _measure(cs, qn, local)
            if not _agrees(got, want):
                errors.setdefault((*loc, "formulas", i, "expr"),
                                  f"gives {got:.6g} for {f.out}, but the drawn shape measures {want:.6g} "
                                  f"({_show(cs._given(floats))})")
            for j, m in enumerate(f.mistakes):
                try:
                    mistakes_differ[i][j] |= not _agrees(m(_args(f, floats)), got)
                except (ValueError, ZeroDivisionError, OverflowError):
                    mistakes_differ[i][j] = True
        for gi, grp in enumerate(cs.equal):
            ms = [_measure(cs, q, local) for q in grp]
            if not all(_agrees(m, ms[0]) for m in ms):
                errors.setdefault((*loc, "equal", gi), "these sides are not equal in the drawn shape "
                                  f"({', '.join(f'{q} = {m:.6g}' for q, m in zip(grp, ms))})")
        for i, (a, v, b) in enumerate(cs.right_angles):
            m = _measure(cs, a + v + b, local)
            if not _agrees(m, 90.0):
                errors.setdefault((*loc, "right_angles", i), f"∠{a}{v}{b} measures {m:.6g}°, not 90°")
    if ok_trials == 0 and not errors:
        errors[(*loc, "params")] = ("no sampled params fit the rule's lengths and angles; widen the "
                                    "ranges")
    for i in range(len(cs.formulas)):
        for j, differs in enumerate(mistakes_differ[i]):
            if ok_trials and not differs:
                errors.setdefault((*loc, "formulas", i, "mistakes", j), "equals the formula itself; a "
                                  "mistake must give a different value")
    return list(errors.items())


def required_slots(spec: PlaneRule) -> list[tuple[tuple, str]]:
    """Template slots the rule's own shapes need: (loc, slot)."""
    out = []
    for kind, sdef in spec.shapes.items():
        out.append((("shapes", kind), f"lexicon.{kind}"))
        out.append((("shapes", kind), f"prop.{kind}"))
        for i, f in enumerate(sdef.formulas):
            out.append((("shapes", kind, "formulas", i, "name"), f"reason.{f.name}"))
    return out
