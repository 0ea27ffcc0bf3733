"""Fonts: the Noto families from npm's @fontsource packages, for the site and the PDFs alike.

The packages ship woff2 files split by script with a unicode-range each, so a browser
downloads only the scripts a page uses, and WeasyPrint embeds only the glyphs it prints.
Nothing is fetched from a third party at read time.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from functools import cache
from io import BytesIO
from pathlib import Path

from fontTools.ttLib import woff2

from wegweiser.resources import FONTSOURCE

WEIGHTS = (400, 700)


@dataclass(frozen=True)
class Family:
    package: str
    subsets: tuple[str, ...]
    italic: bool = False  # the package has italic files


FAMILIES = (
    Family("noto-sans", ("latin", "latin-ext", "cyrillic", "cyrillic-ext", "greek"), italic=True),
    Family("noto-naskh-arabic", ("arabic",)),
    Family("noto-sans-ethiopic", ("ethiopic",)),
)

# Arabic script first, then a Latin font for digits, dashes and Latin words in the same line;
# the Latin stack ends with the Arabic font for language names written in their own script.
STACK_LATIN = '"Noto Sans", "Noto Sans Ethiopic", "Noto Naskh Arabic", sans-serif'
STACK_ARABIC = '"Noto Naskh Arabic", "Noto Sans", sans-serif'

FACE = re.compile(r"@font-face\s*\{(.*?)\}", re.DOTALL)
FILE = re.compile(r"url\(\./files/([^)]+\.woff2)\)")


@dataclass(frozen=True)
class FontFace:
    family: str
    weight: int
    file: Path
    unicode_range: str
    style: str = "normal"

    def css(self, url_prefix: str) -> str:
        return (
            "@font-face {\n"
            f"  font-family: '{self.family}';\n  font-style: normal;\n"
            f"  font-weight: {self.weight};\n  font-display: swap;\n"
            f"  src: url('{url_prefix}{self.file.name}') format('woff2');\n"
            f"  unicode-range: {self.unicode_range};\n}}\n"
        )


@cache
def font_faces() -> tuple[FontFace, ...]:
    """Every upright face of the configured families, subsets and weights."""
    return read_faces(FAMILIES, "normal")


@cache
def italic_faces() -> tuple[FontFace, ...]:
    """The true italics (Noto Sans has them; Naskh Arabic and Ethiopic have none). The
    PDFs use them for <em>; without them the renderer names an upright face "Oblique"."""
    return read_faces(tuple(f for f in FAMILIES if f.italic), "italic")


def print_faces() -> tuple[FontFace, ...]:
    """The faces the PDFs may embed: upright and italic."""
    return font_faces() + italic_faces()


def read_faces(families: tuple[Family, ...], style: str) -> tuple[FontFace, ...]:
    """The faces of `families` in `style`, from the @fontsource CSS files."""
    suffix = "" if style == "normal" else f"-{style}"
    faces = []
    for family in families:
        folder = FONTSOURCE / family.package
        if not folder.is_dir():
            raise FileNotFoundError(f"{folder} is missing: run `npm ci` (build.py does it)")
        for weight in WEIGHTS:
            css = (folder / f"{weight}{suffix}.css").read_text(encoding="utf-8")
            for block in FACE.findall(css):
                name = FILE.search(block)
                if not name or not any(
                    name.group(1) == f"{family.package}-{s}-{weight}-{style}.woff2"
                    for s in family.subsets
                ):
                    continue
                faces.append(FontFace(
                    family=re.search(r"font-family:\s*'([^']+)'", block).group(1),
                    weight=weight,
                    file=folder / "files" / name.group(1),
                    unicode_range=re.search(r"unicode-range:\s*([^;]+);", block).group(1).strip(),
                    style=style,
                ))
    return tuple(faces)


def font_css(url_prefix: str) -> str:
    """@font-face rules whose files live at `url_prefix` (a URL path or a file:// URI)."""
    return "".join(face.css(url_prefix) for face in font_faces())


def copy_fonts(target: Path) -> list[Path]:
    """Copy the font files into `target` (e.g. site/assets/fonts/) and list them."""
    target.mkdir(parents=True, exist_ok=True)
    copied = []
    for face in font_faces():
        destination = target / face.file.name
        if not destination.exists():
            shutil.copyfile(face.file, destination)
        copied.append(destination)
    return copied


def truetype(woff2_file: Path) -> bytes:
    """The TrueType font a woff2 file holds, decoded as WeasyPrint decodes it (fontTools)."""
    font = BytesIO()
    woff2.decompress(BytesIO(woff2_file.read_bytes()), font)
    return font.getvalue()
