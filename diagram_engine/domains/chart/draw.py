"""A chart's picture: its plotting program run, and the drawn figure checked.

The values read back from the drawn artists must equal the table (a pie's wedges its shares,
a histogram's bins its edges, a scatter's points and trend line the years and the
least-squares line), the colours must be the theme's, an asked axis label must be drawn, and
the answer recomputed from the read-back values (a colour question: the name of the drawn
artist's colour) must equal the exact answer. One image serves the three variants.
"""
from __future__ import annotations

import sympy as sp

from ...core import RenderedPicture, agree
from ...errors import VerificationError
from .build import ROUND, ChartState
from .questions import least_squares
from .render import run_program

__all__ = ["draw"]


def draw(job, built) -> list[RenderedPicture]:
    st: ChartState = built.state
    kind, table, ask = st.kind, st.table, st.ask
    posed = built.problems[0]
    drawn = run_program(st.code, kind, len(table.series), svg=job.options.svg)
    rb = drawn.readback
    # the drawn artists hold the table
    if kind in ROUND:
        total = sum(float(v) for v in table.values[0])
        agree(rb["shares"], [100 * float(v) / total for v in table.values[0]], "pie wedges")
        read = [rb["shares"]]
    else:
        agree([[float(v) for v in row] for row in rb["values"]], table.floats(), "drawn values")
        read = rb["values"]
    if kind == "histogram":
        agree(rb["edges"], [float(e) for e in st.extra["edges"]], "histogram bin edges")
    colours = rb["colors"]
    if st.colours is not None and colours != st.colours:    # the drawn colours are the theme's, in order
        raise VerificationError(f"drawn colours {colours} are not the theme's")
    if ask.qtype == "axis-measure":
        shown = {rb.get(k) for k in ("xlabel", "ylabel", "clabel")}
        if ask.answer not in shown:
            raise VerificationError(f"axis-measure: {ask.answer!r} is not an axis label of the chart ({shown})")
    if kind == "scatter":
        agree(rb["x"], [float(c) for c in table.categories], "scatter x")
        agree(rb["trend"], [float(v) for v in least_squares(
            [sp.Integer(int(c)) for c in table.categories], list(table.values[0]))], "drawn trend line")
    # the answer follows from what was drawn
    if ask.qtype == "colour":           # the colour's name, from the drawn artist
        posed.checks.agreed(job.pb.say("colour-name", job.rng, hex=colours[ask.extra["index"]]), posed.value,
                            "colour from the drawn chart", "drawn")
    else:
        posed.checks.agreed(ask.recompute(read), posed.value, f"{ask.qtype} from the drawn chart", "drawn")
    return [RenderedPicture(drawn.png, drawn.svg, drawn.width, drawn.height, drawn.labels, drawn.to_pixels)]
