"""A plane-geometry sample's scene and problem: construct the figure, derive the target
backwards over the formula bank (exactly, every step re-evaluated), and record the scene."""
from __future__ import annotations

from dataclasses import dataclass, field

from ...core import Built, Posed
from ...errors import Rejected
from ...exact import sympy_str, to_float
from .derive import Construction, Derivation, construct, derive, target_of_key
from .shapes import BUILDERS, L

__all__ = ["PlaneState", "build"]


@dataclass
class PlaneState:
    """What drawing and wording need of one built sample."""
    con: Construction
    der: Derivation
    diag: list[tuple[str, str]]         # segments the solution uses that are not edges: drawn dashed
    target: dict
    qtype: str
    shown: list[str] = field(default_factory=list)    # the givens the base image shows (set by draw)
    vd_image: int = 0                                  # the vision-dominant variant's image (set by draw)


def _deg(x: float) -> float:
    v = round(x % 360.0, 9)
    return 0.0 if v >= 360.0 else v


def _scene(con: Construction, extra_segments: list[tuple[str, str]]) -> dict:
    objs = []
    for sh in con.shapes:
        if sh.outline == "polygon":
            objs.append({"type": "polygon", "name": sh.name, "vertices": list(sh.verts),
                         "shape": sh.kind if sh.kind != "regular-polygon" else f"regular-{sh.variant}-gon"})
        elif sh.outline == "sector":
            a = sh.arc
            objs.append({"type": "sector", "name": sh.name, "shape": "sector", "center": a["center"],
                         "radius": round(a["radius"], 12), "start_deg": _deg(a["start_deg"]),
                         "end_deg": _deg(a["end_deg"]), "ends": list(a["ends"])})
        else:
            a = sh.arc
            cname = "M" + sh.name
            con.pts[cname] = a["center_xy"]
            objs.append({"type": "sector", "name": sh.name, "shape": "semicircle", "center": cname,
                         "radius": round(a["radius"], 12), "start_deg": _deg(a["start_deg"]),
                         "end_deg": _deg(a["end_deg"]), "ends": list(a["ends"])})
    if con.circle is not None:
        c = con.circle
        cname = "circle-" + c.center
        objs.append({"type": "circle", "name": cname, "center": c.center,
                     "radius": round(to_float(c.radius), 12),
                     "relation": "inscribed" if c.kind == "inscribed-circle" else "circumscribed",
                     "of": c.of})
        outer, inner = (c.of, cname) if c.kind == "inscribed-circle" else (cname, c.of)
        objs.append({"type": "region", "name": "shaded-" + c.of, "op": "difference",
                     "of": [outer, inner]})
    for a, b in extra_segments:
        objs.append({"type": "segment", "name": a + b, "ends": [a, b], "style": "dashed"})
    pts = {k: [round(v[0], 12), round(v[1], 12)] for k, v in con.pts.items()}
    return {"points": pts, "objects": objs}


def _dashed(con: Construction, der: Derivation) -> list[tuple[str, str]]:
    """Segments the target or a step measures that are no edge of a shape (diagonals, heights
    between vertices): the picture draws them dashed."""
    edge_keys = set()
    for sh in con.shapes:
        for a, b in zip(sh.verts, sh.verts[1:] + sh.verts[:1]):
            if sh.outline == "polygon" or (sh.outline == "sector" and {a, b} != {sh.verts[0], sh.verts[2]}):
                edge_keys.add(L(a, b))
    diag = []
    for k in [der.target] + [r.out for r in der.steps]:
        if k.startswith("len:") and k not in edge_keys:
            ab = k[4:]
            if (ab[0], ab[1]) not in diag:
                diag.append((ab[0], ab[1]))
    return diag


def build(job) -> Built:
    spec = job.spec
    compiled = job.rule.compiled
    con = construct(spec, job.rng, compiled.builders if compiled is not None else BUILDERS)
    der = derive(con, spec, job.rng)          # every step re-evaluated exactly, or VerificationError
    answer = to_float(der.answer)
    for g in der.givens:                      # the core refuses a copied answer too; here it costs less
        if abs(to_float(der.values[g]) - answer) <= 1e-9 * max(1.0, abs(answer)):
            raise Rejected("copied", f"{der.target} = {der.answer} repeats the given {g}")
    diag = _dashed(con, der)
    scene = _scene(con, diag)
    scene["exact"] = {g: sympy_str(v) for g, v in der.values.items()}
    target, qtype = target_of_key(der.target, con)
    state = PlaneState(con, der, diag, target, qtype)
    posed = Posed(target, to_float(der.answer), exact=True, what=f"rule {job.rule.id}: {der.target} = {der.answer}")
    return Built(scene, [posed], state)
