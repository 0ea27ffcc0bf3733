"""Where the files that come with Wegweiser are: the package's own, npm's and the theme's.

Every stage finds them here, so moving a module never silently breaks a path.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
CHECKOUT = PACKAGE.parent  # Wegweiser's own folder: node_modules/ for a project without one

SCHEMAS = PACKAGE / "schemas"  # the single source of the file formats
TEMPLATES = PACKAGE / "templates"  # one folder per output kind: site, brochure, flyer, report
OVERRIDES = PACKAGE / "overrides"  # the theme's custom_dir
ASSETS = PACKAGE / "assets"  # the site's CSS and scripts
LOCALE = PACKAGE / "locale"  # the editors' messages (wording) and the shipped interface catalogs
SHIPPED_INTERFACE = LOCALE / "interface"
NODE_MODULES = CHECKOUT / "node_modules"
FONTSOURCE = NODE_MODULES / "@fontsource"
# what is made once from the installed packages (node_modules/.cache/<tool>, as npm tools do)
NODE_CACHE = NODE_MODULES / ".cache" / "wegweiser"


def templates(kind: str) -> Path:
    """The template folder of one output kind."""
    return TEMPLATES / kind


def material_templates() -> Path:
    """The installed theme's templates (mkdocs-material), with its icons under .icons/."""
    import material

    return Path(material.__file__).resolve().parent / "templates"


def icon_file(name: str) -> Path:
    """The SVG of an icon name such as material/translate, as the theme's icon shortcodes
    find it; the file is missing for a name the theme doesn't have."""
    return material_templates() / ".icons" / f"{name}.svg"


def srgb_profile() -> bytes:
    """The sRGB ICC profile WeasyPrint ships, for the print PDF's output intent."""
    return (files("weasyprint.pdf") / "sRGB2014.icc").read_bytes()
