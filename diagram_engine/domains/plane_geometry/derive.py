"""Scene construction, backward derivation and the exact check for plane geometry."""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import sympy as sp

from ...errors import Rejected, VerificationError
from ...exact import canonical, has_symbolic_trig, is_exact_nice, to_float
from .shapes import BUILDERS, DECORATORS, TERMINAL, Circle, Ctx, L, Recipe, Shape, X

__all__ = ["Construction", "Derivation", "construct", "derive", "target_of_key", "evaluate"]


@dataclass
class Construction:
    shapes: list[Shape]
    circle: Circle | None
    pts: dict[str, tuple[float, float]]
    values: dict[str, sp.Expr]
    recipes: list[Recipe]
    givens: list[str]
    drawn_from: dict[str, tuple[int, ...]] = field(default_factory=dict)   # given -> the values it was drawn from


@dataclass
class Derivation:
    target: str
    steps: list[Recipe]
    givens: list[str]
    values: dict[str, sp.Expr]        # exact value of every given and every step output
    answer: sp.Expr
    approximate: bool = False         # the exact value holds a trig value of a non-special angle
    used_keys: list[str] = field(default_factory=list)


def _polygon_of(ctx, sh: Shape):
    from shapely.geometry import Polygon
    if sh.outline == "polygon":
        return Polygon([ctx.pts[v] for v in sh.verts])
    arc = sh.arc
    c = ctx.pts[arc["center"]] if "center" in arc else arc["center_xy"]
    r = arc["radius"]
    n = 24
    a0, a1 = math.radians(arc["start_deg"]), math.radians(arc["end_deg"])
    ring = [(c[0] + r * math.cos(a0 + (a1 - a0) * i / n), c[1] + r * math.sin(a0 + (a1 - a0) * i / n))
            for i in range(n + 1)]
    if sh.outline == "sector":
        ring.append(c)
    return Polygon(ring)


def construct(rule, rng, builders=BUILDERS) -> Construction:
    """Sample a base shape and 0-3 attached shapes, each on a free edge of the one before.

    ``builders`` maps shape kinds to builders: the built-in ones plus the rule's own.
    """
    ctx = Ctx(rng, rule)
    base_kind = ctx.choice(list(rule.base))
    lo, hi = rule.attach.count
    n_attach = int(rng.integers(lo, hi + 1))
    if base_kind in TERMINAL:
        n_attach = 0
    P, Q = ctx.letter(), ctx.letter()
    lo_len, hi_len = rule.lengths
    s = ctx._drawn(range(lo_len, hi_len + 1))
    # the figure at any orientation: every builder works in the frame of its edge, so turning
    # the base edge turns the whole figure (and no two samples share one picture by accident)
    turn = float(rng.uniform(0.0, 2.0 * math.pi))
    ctx.pts[P] = (0.0, 0.0)
    ctx.pts[Q] = (float(s) * math.cos(turn), float(s) * math.sin(turn))
    base = builders[base_kind](ctx, P, Q, s, True)
    shapes = [base]
    drawn_from: dict[str, tuple[int, ...]] = {}
    _match_draws(base, ctx, drawn_from)
    polys = [_polygon_of(ctx, base)]
    for i in range(n_attach):
        prev = shapes[-1]
        if not prev.free_edges:
            break
        kinds = [k for k in rule.attach.shapes if (k not in TERMINAL or i == n_attach - 1)]
        if not kinds:
            break
        kind = ctx.choice(kinds)
        order = [int(j) for j in rng.permutation(len(prev.free_edges))]
        placed = None
        for j in order:
            U, V = prev.free_edges[j]
            saved_pts, saved_next, saved_draws = dict(ctx.pts), ctx._next, len(ctx.draws)
            sh = builders[kind](ctx, V, U, prev.values[L(U, V)], False)
            sh.incoming = L(U, V)
            poly = _polygon_of(ctx, sh)
            if _fits(ctx, sh, poly, polys, V, U):
                placed = (sh, poly)
                break
            ctx.pts, ctx._next = saved_pts, saved_next
            del ctx.draws[saved_draws:]
        if placed is None:
            raise Rejected("overlap", f"no free edge of {prev.name} takes a {kind}")
        shapes.append(placed[0])
        polys.append(placed[1])
        _match_draws(placed[0], ctx, drawn_from)
    circle = None
    dec = rule.decorate
    last = shapes[-1]
    if dec.kinds and (dec.chance >= 1 or rng.random() < dec.chance):
        kinds = [k for k in dec.kinds]
        kind = ctx.choice(kinds)
        try:
            circle = DECORATORS[kind](ctx, last)
        except Rejected:
            if set(rule.targets) <= {"shaded"}:
                raise
            circle = None
    values: dict[str, sp.Expr] = {}
    recipes: list[Recipe] = []
    for sh in shapes:
        for k, v in sh.values.items():
            values.setdefault(k, v)
        recipes.extend(sh.recipes)
    if circle is not None:
        values.update(circle.values)
        recipes.extend(circle.recipes)
    givens: list[str] = []
    for sh in shapes:
        givens.extend(g for g in sh.params if g not in givens)
    return Construction(shapes, circle, ctx.pts, values, recipes, givens, drawn_from)


def _match_draws(sh: Shape, ctx, drawn_from: dict) -> None:
    """Which draw each of the shape's parameters is: a parameter equal to a draw made while
    the shape was built was drawn from that draw's values (neighbouring problems redraw it
    from them). The draws of a shape tried on an edge it did not fit are dropped with it."""
    pending = list(ctx.draws)
    ctx.draws.clear()
    for g in sh.params:
        v = sh.values.get(g)
        for i, (dv, cands) in enumerate(pending):
            if v is not None and dv == v:
                drawn_from.setdefault(g, cands)
                del pending[i]
                break


def _fits(ctx, sh, poly, polys, P, Q) -> bool:
    area = poly.area
    if area <= 1e-9:
        return False
    for old in polys:
        inter = poly.intersection(old).area
        if inter > 1e-6 * min(area, old.area):
            return False
    # new points must keep clear of every existing point
    ref = math.dist(ctx.pts[P], ctx.pts[Q])
    new = [v for v in sh.verts if v not in (P, Q)]
    for v in new:
        for name, xy in ctx.pts.items():
            if name != v and name not in new and math.dist(ctx.pts[v], xy) < 0.25 * ref:
                return False
    return True


def _closure(recipes: list[Recipe], givens: list[str]) -> dict[str, Recipe]:
    """Breadth-first: every quantity gets the recipe of its shortest derivation."""
    known = set(givens)
    via: dict[str, Recipe] = {}
    while True:
        new: dict[str, Recipe] = {}
        for r in recipes:
            if r.out not in known and r.out not in new and all(i in known for i in r.ins):
                new[r.out] = r
        if not new:
            return via
        known.update(new)
        via.update(new)


def _subtree(target: str, via: dict[str, Recipe]) -> tuple[list[Recipe], list[str]]:
    steps: list[Recipe] = []
    leaves: list[str] = []
    seen: set[str] = set()

    def visit(k: str) -> None:
        if k in seen:
            return
        seen.add(k)
        r = via.get(k)
        if r is None:
            leaves.append(k)
            return
        for i in r.ins:
            visit(i)
        steps.append(r)

    visit(target)
    return steps, leaves


TARGET_KINDS = {"len": "length", "ang": "angle", "area": "area", "perim": "perimeter",
                "arc": "arc", "shaded": "shaded", "rad": "radius", "circ": "perimeter", "hgt": "height"}


def derive(con: Construction, rule, rng) -> Derivation:
    """Pick a target on the last shape and derive it back to the givens."""
    order = [int(i) for i in rng.permutation(len(con.recipes))]
    via = _closure([con.recipes[i] for i in order], con.givens)
    last = con.shapes[-1]
    cand_keys = [k for k in last.values if k != last.incoming]
    if con.circle is not None:
        cand_keys += list(con.circle.values)
    lo, hi = rule.steps
    cands = []
    for k in cand_keys:
        kind = TARGET_KINDS[k.split(":", 1)[0]]
        if kind not in rule.targets or k not in via or k.startswith("hgt:"):
            continue
        steps, leaves = _subtree(k, via)
        if not (lo <= len(steps) <= hi) or not leaves:
            continue
        cands.append((k, steps, leaves))
    if not cands:
        raise Rejected("no-target", "no target with a derivation of the asked length")
    rng_order = [int(i) for i in rng.permutation(len(cands))]
    for i in rng_order:
        k, steps, leaves = cands[i]
        val = con.values[k]
        if rule.answer == "exact" and not is_exact_nice(val):
            continue
        if to_float(val) <= 1e-9:
            continue
        break
    else:
        raise Rejected("not-nice", "no target has a readable exact value")
    vals = {g: con.values[g] for g in leaves}
    evaluate(steps, vals, con.values)
    answer = vals[k]
    return Derivation(k, steps, leaves, vals, answer, approximate=has_symbolic_trig(answer))


def evaluate(steps: list[Recipe], vals: dict[str, sp.Expr], canonical_values=None,
             override: tuple[int, sp.Expr] | None = None) -> sp.Expr:
    """Run the steps forwards; with ``canonical_values``, check each result exactly."""
    out = None
    for i, r in enumerate(steps):
        expr = override[1] if override is not None and override[0] == i else r.expr
        v = canonical(expr.xreplace({X[j]: vals[name] for j, name in enumerate(r.ins)}))
        if canonical_values is not None:
            want = canonical_values[r.out]
            if v != want and not _equal(v, want):
                raise VerificationError(
                    f"formula bank step '{r.kind}' for {r.out} gives {v}, the construction has {want}")
        vals[r.out] = v
        out = v
    return out


def _equal(a: sp.Expr, b: sp.Expr) -> bool:
    d = sp.expand(a - b)
    if d == 0:
        return True
    d = sp.nsimplify(sp.radsimp(sp.simplify(d)))
    return d == 0


def target_of_key(key: str, con: Construction) -> tuple[dict, str]:
    """The record's machine-readable target and question type of a quantity key."""
    kind, _, rest = key.partition(":")
    if kind == "len":
        return {"measure": "length", "of": [rest[0], rest[1]]}, "length"
    if kind == "ang":
        return {"measure": "angle", "vertex": rest[1], "from": rest[0], "to": rest[2]}, "angle"
    if kind == "area":
        return {"measure": "area", "of": rest}, "area"
    if kind == "perim":
        return {"measure": "perimeter", "of": rest}, "perimeter"
    if kind == "arc":
        return {"measure": "arc-length", "of": rest}, "arc-length"
    if kind == "shaded":
        return {"measure": "area", "of": "shaded-" + rest}, "shaded-area"
    if kind == "rad":
        return {"measure": "radius", "of": "circle-" + rest}, "radius"
    if kind == "circ":
        return {"measure": "perimeter", "of": "circle-" + rest}, "circumference"
    raise ValueError(key)
