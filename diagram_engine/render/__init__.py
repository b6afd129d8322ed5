"""Rendering: a display list in PNG pixels, written as SVG and rasterized to PNG."""
from .draw import Drawing, png_from_drawing, svg_from_drawing, text_box, FONT_FAMILY
from .layout import Labeler, Label

__all__ = ["Drawing", "png_from_drawing", "svg_from_drawing", "text_box", "FONT_FAMILY",
           "Labeler", "Label"]
