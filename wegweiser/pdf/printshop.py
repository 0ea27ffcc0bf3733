"""What the print PDF gets for the print shop beyond the laid-out pages.

WeasyPrint 70 writes TrimBox and BleedBox (CSS `bleed: 3mm`), but its `marks: crop` draws
the crop marks inside the bleed, over the cover's colour, where the cut leaves traces of
them. Here each page gets a slug around the bleed and crop marks in it, outside the bleed,
as the print shop's cutting guide: /Artifact /Page marked content (not part of the
document's text), in registration colour (all four plates).

Colours: WeasyPrint writes every colour as sRGB (DeviceRGB). The print PDF states that
with an OutputIntent (sRGB IEC61966-2.1, the profile WeasyPrint ships); the print shop
converts to its press's CMYK. It is not a PDF/X file (see README, "For the print shop").
"""

from __future__ import annotations

from pathlib import Path

import pikepdf

from wegweiser.resources import srgb_profile

MM = 72 / 25.4
SLUG = 10 * MM  # from the trim edge: 3 mm bleed, 1 mm gap, 5 mm mark, 1 mm to spare
MARK_FROM, MARK_TO = 4 * MM, 9 * MM  # a crop mark's ends, from the trim edge
MARK_WIDTH = 0.25  # points
SRGB_NAME = "sRGB IEC61966-2.1"


def crop_marks(trim: list[float]) -> bytes:
    """Eight lines in the slug, each in line with a trim edge, starting outside the bleed."""
    x0, y0, x1, y1 = trim
    lines = []
    for x, sx in ((x0, -1), (x1, 1)):
        for y, sy in ((y0, -1), (y1, 1)):
            lines.append((x + sx * MARK_FROM, y, x + sx * MARK_TO, y))  # horizontal
            lines.append((x, y + sy * MARK_FROM, x, y + sy * MARK_TO))  # vertical
    paths = "".join(f"{a:.3f} {b:.3f} m {c:.3f} {d:.3f} l S\n" for a, b, c, d in lines)
    return (f"/Artifact <</Type /Page>> BDC q {MARK_WIDTH} w 1 1 1 1 K\n{paths}Q EMC\n"
            ).encode()


def add_slug_and_marks(pdf: pikepdf.Pdf, page: pikepdf.Page) -> None:
    trim = [float(v) for v in page.TrimBox]
    page.MediaBox = [trim[0] - SLUG, trim[1] - SLUG, trim[2] + SLUG, trim[3] + SLUG]
    if "/CropBox" in page:
        del page.CropBox
    # the page's own drawing in q ... Q, so the marks start from the default graphics state
    page.contents_add(pikepdf.Stream(pdf, b"q\n"), prepend=True)
    page.contents_add(pikepdf.Stream(pdf, b"Q\n" + crop_marks(trim)), prepend=False)


def add_output_intent(pdf: pikepdf.Pdf) -> None:
    """An OutputIntent naming sRGB, the colour space every colour of the PDF is in."""
    profile = pikepdf.Stream(pdf, srgb_profile())
    profile.N = 3
    pdf.Root.OutputIntents = pikepdf.Array([pikepdf.Dictionary(
        Type=pikepdf.Name.OutputIntent, S=pikepdf.Name.GTS_PDFX,
        OutputConditionIdentifier=SRGB_NAME, Info=SRGB_NAME,
        RegistryName="http://www.color.org", DestOutputProfile=profile)])


def finish_for_print(path: Path) -> None:
    """Slug, crop marks and OutputIntent into the print PDF at `path`, in place."""
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        for page in pdf.pages:
            add_slug_and_marks(pdf, page)
        add_output_intent(pdf)
        pdf.docinfo.Trapped = pikepdf.Name("/False")
        # deterministic_id: the file ID is a hash of the content, so builds stay reproducible
        pdf.save(path, deterministic_id=True)
