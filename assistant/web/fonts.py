"""The font the PNG and PDF exports draw with, and what it can draw.

Pillow's default font and the PDF core fonts miss '£', '€', '—', typographic quotes and most
accents, which come out as boxes or '?'. DejaVu Sans covers them; it ships inside matplotlib's
wheel (a dependency for exactly this), so nothing is downloaded and no system font is assumed.
Characters the font lacks (emoji, mostly) are dropped from the drawn text rather than shown as
boxes; the map's own text is never changed.
"""

from __future__ import annotations

import importlib.util
import unicodedata
from functools import cache
from pathlib import Path

from fontTools.ttLib import TTFont

REGULAR = "DejaVuSans.ttf"
BOLD = "DejaVuSans-Bold.ttf"


class FontMissing(RuntimeError):
    """The bundled font is not where matplotlib's wheel puts it."""


@cache
def font_path(name: str = REGULAR) -> Path:
    """The path of a bundled DejaVu font file (found without importing matplotlib)."""
    spec = importlib.util.find_spec("matplotlib")
    for folder in spec.submodule_search_locations or [] if spec else []:
        path = Path(folder) / "mpl-data" / "fonts" / "ttf" / name
        if path.is_file():
            return path
    raise FontMissing(
        f"the export font {name} was not found: it ships with matplotlib (pip install matplotlib)"
    )


@cache
def covered(name: str = REGULAR) -> frozenset[int]:
    """The code points the font has a glyph for."""
    with TTFont(str(font_path(name)), lazy=True) as font:
        return frozenset(font.getBestCmap())


def drawable(text: str, name: str = REGULAR) -> str:
    """The text with every character the font cannot draw removed (emoji, private-use codes)."""
    glyphs = covered(name)
    # NFC first: a letter and its combining accent become the one precomposed glyph DejaVu has.
    kept = (ch for ch in unicodedata.normalize("NFC", text) if ord(ch) in glyphs or ch in "\n\t")
    return "".join(kept).replace("  ", " ")
