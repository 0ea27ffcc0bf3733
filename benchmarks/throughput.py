#!/usr/bin/env python3
"""The brochure's throughput against plain WeasyPrint, and what costs extra (issue #16 item 5).

    .venv/bin/python benchmarks/throughput.py                 # the shipped project (this repo)
    .venv/bin/python benchmarks/throughput.py city --runs 3   # bench.py's generated city
    .venv/bin/python benchmarks/throughput.py PATH --lang ar --only brochure,plain-ua
    .venv/bin/python benchmarks/throughput.py tiny --runs 1 --no-append   # a smoke test

One language's brochure (default de) is made as the build makes it (brochure.render_template,
with its QR codes, and with the page numbers of a first layout, as a rebuild has them), then
every variant below lays it out once and writes it, each in a process of its own (the
patches of typeset.py are for the whole process and cannot be taken back). The build lays
a brochure out in parts (brochure.PARTS), each written as a PDF of its own and bound into
one (binding.py), a first build most of them twice (brochure.Work.lay_out); here the whole
brochure is one document, laid out once:

    brochure        as the build does (typeset.write_variants: print PDF with bleed and the
                    screen PDF cut from it, tagged PDF/UA-1, all patches; then
                    printshop.finish_for_print): the figure to compare
    screen-only     typeset.write_pdf of the screen PDF alone: no print variant
    no-qr           the QR codes' SVG replaced by an empty <svg> of the same size and title
    no-fonts        no @font-face rules: the stacks fall back to the system's fonts
    no-hyphens      `hyphens: manual` for everything
    no-css          the brochure's CSS replaced by that of `plain` (fonts, A5, size), with
                    the patches and tagging kept
    no-page-refs, no-leaders, no-running-heads, no-page-numbers, no-floats,
    no-break-rules, no-bookmarks
                    one kind of rule of the brochure's CSS overridden (OVERRIDES)
    no-tagging      pdf_variant None: no structure tree, so the tagging patches do nothing
    no-<patch>      one patch of typeset.patch_renderer (or keep_spaces_between_lines,
                    called after layout) left out: tag-element-languages, add-actual-text,
                    cache-page-references,
                    one-link-per-element, keep-spoken-text,
                    tag-content, mark-pagination-artifacts, keep-spaces-between-lines
    plain-same-html WeasyPrint without patches, garbage collection on, on the brochure's
                    own HTML, pdf/ua-1, one PDF
    plain-ua        the reference: plain WeasyPrint on the same text (the body's HTML, QR
                    codes left out), with the same @font-face CSS and font stack, A5, no
                    other CSS, no patches, pdf_variant "pdf/ua-1"
    plain           the same with no pdf_variant (untagged)

Each variant runs --runs times (median, min, max of the wall time, and the median of the
process's CPU time, which a machine shared with other work disturbs less; default 3) after a
warm-up that reads the fonts (a build's worker reads them once for all its PDFs), plus
one run under cProfile whose own time is summed by area (layout, CSS, text, drawing, SVG,
PDF writing, Wegweiser's patches, pikepdf). pages/s counts the pages each variant's
PDF has (the screen PDF for the brochure; both PDFs are written from one layout). Making
the HTML itself is timed apart (with and without QR codes). The tables are appended to
benchmarks/results.md with the machine (--no-append: printed only).
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import json
import os
import platform
import pstats
import re
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

PATCHES = {  # variant: the function (module, name) made a no-op
    "no-tag-element-languages": ("typeset", "tag_element_languages"),
    "no-add-actual-text": ("typeset", "add_actual_text"),
    "no-cache-page-references": ("typeset", "cache_page_references"),
    "no-one-link-per-element": ("typeset", "one_link_per_element"),
    "no-keep-spoken-text": ("tagging", "keep_spoken_text"),
    "no-tag-content": ("tagging", "tag_content"),
    "no-mark-pagination-artifacts": ("typeset", "mark_pagination_artifacts"),
    "no-keep-spaces-between-lines": ("tagging", "keep_spaces_between_lines"),
}
# Variants that take one kind of rule out of the brochure's CSS: rules added at its end.
OVERRIDES = {
    "no-page-refs": ".toc a::after, .index-refs a::after, .page-ref::after"
                    " { content: none !important; }",
    "no-leaders": ".toc a::after { content: attr(data-page) !important; }",
    "no-running-heads": "@page { @top-center { content: none !important; } }"
                        " .chapter-title { string-set: none !important; }",
    "no-page-numbers": "@page { @bottom-left { content: none !important; }"
                       " @bottom-right { content: none !important; } }",
    "no-floats": ".qr-float { float: none !important; }",
    "no-break-rules": "* { break-inside: auto !important; break-after: auto !important;"
                      " orphans: 1 !important; widows: 1 !important; }",
    "no-bookmarks": "* { bookmark-level: none !important; }",
}
VARIANTS = ("brochure", "screen-only", "no-qr", "no-fonts", "no-hyphens", "no-css",
            *OVERRIDES, "no-tagging", *PATCHES, "plain-same-html", "plain-ua", "plain")
WHAT = {
    "brochure": "as the build: print + screen PDF, PDF/UA-1, patches, print shop",
    "screen-only": "no print variant (screen PDF alone)",
    "no-qr": "QR codes' SVG empty",
    "no-fonts": "no @font-face (system fonts)",
    "no-hyphens": "no hyphenation",
    "no-css": "plain's CSS instead of the brochure's",
    "no-page-refs": "no page numbers after links (contents, indexes, references)",
    "no-leaders": "no dot leaders in the contents",
    "no-running-heads": "no running heads (string-set)",
    "no-page-numbers": "no page numbers in the margins",
    "no-floats": "QR codes not floated",
    "no-break-rules": "no break-inside/after: avoid, orphans, widows",
    "no-bookmarks": "no bookmarks",
    "no-tagging": "no PDF/UA-1 (untagged)",
    "plain-same-html": "plain WeasyPrint, brochure's HTML, pdf/ua-1",
    "plain-ua": "plain WeasyPrint, same text, pdf/ua-1 (reference)",
    "plain": "plain WeasyPrint, same text, no pdf_variant",
    **{name: f"without {module}.{function}" for name, (module, function) in PATCHES.items()},
}
REFERENCE = "plain-ua"

# Areas of the profile: the first pattern a function's file matches names its area.
AREAS = (
    ("patches", r"wegweiser/pdf/"),
    ("svg", r"weasyprint/svg/"),
    ("layout", r"weasyprint/layout/"),
    ("text", r"weasyprint/text/|pango|harfbuzz|cffi"),
    ("css", r"weasyprint/css/|cssselect2|tinycss2"),
    ("html+boxes", r"weasyprint/formatting_structure/|weasyprint/html|html5lib|webencodings"),
    ("draw", r"weasyprint/draw/|weasyprint/stacking|weasyprint/matrix"),
    ("pdf", r"weasyprint/pdf/|pydyf|weasyprint/document|weasyprint/anchors|zlib|fontTools"),
    ("pikepdf", r"pikepdf"),
)


# --- the HTML (parent process) ------------------------------------------------------------

QR_SVG = re.compile(r"<svg\b[^>]*\bclass=\"qr-code\".*?</svg>", re.DOTALL)
STYLE = re.compile(r"<style>.*?</style>", re.DOTALL)


def make_htmls(root: Path, code: str, today: date, runs: int) -> tuple[dict[str, str], dict]:
    """The HTML of every input the variants need, and the times of making it."""
    from markupsafe import Markup, escape

    from wegweiser import fonts
    from wegweiser.content.tree import load_content
    from wegweiser.pdf import brochure, typeset
    from wegweiser.problems import Problems

    problems = Problems()
    content = load_content(root, today, problems)
    if content is None:
        raise SystemExit(f"{root}: the content has errors; run build.py check")
    language = content.settings.language(code)

    pages: dict[str, int] = {}  # the anchors' pages: the brochure as a rebuild lays it out

    def render(template: str = "brochure.html.j2") -> str:
        view = brochure.Brochure.prepare(content, root, language, None)  # no QR cache
        view.anchor_pages = pages
        return brochure.render_template(view, template)

    with typeset.collection_paused():  # the first of a first build's two layouts
        pages.update(typeset.anchor_pages(typeset.render(render(), brochure.TEMPLATE_DIR,
                                                         brochure.PRINT_CSS)))

    timings = {"html": [], "html-no-qr": []}
    for _ in range(runs):
        started = time.perf_counter()
        html = render()
        timings["html"].append(time.perf_counter() - started)
    notes = render("notes.html.j2")
    made = brochure.qr_svg

    def empty_qr(url: str, title: str) -> Markup:  # same size (the CSS sets it) and title
        return Markup('<svg class="qr-code" viewBox="0 0 25 25"><title>{}</title></svg>'
                      ).format(escape(title))

    brochure.qr_svg = empty_qr
    try:
        for _ in range(runs):
            started = time.perf_counter()
            no_qr = render()
            timings["html-no-qr"].append(time.perf_counter() - started)
    finally:
        brochure.qr_svg = made
    font_css = typeset.print_font_css()
    stack = typeset.print_stack(fonts.STACK_ARABIC if language.rtl else fonts.STACK_LATIN)
    plain_css = (f"<style>\n{font_css}\n@page {{ size: A5; margin: 16mm 14mm 18mm 20mm; }}\n"
                 f"html {{ font-family: {stack}; font-size: 9.5pt; line-height: 1.4; }}\n"
                 "</style>")
    htmls = {
        "full": html, "notes": notes, "no-qr": no_qr,
        "no-fonts": html.replace(font_css, ""),
        "no-hyphens": html.replace("</style>", "* { hyphens: manual !important; }\n</style>", 1),
        "no-css": STYLE.sub(lambda _: plain_css, html, count=1),
        "plain": QR_SVG.sub("", STYLE.sub(lambda _: plain_css, html, count=1)),
    }
    for name, css in OVERRIDES.items():
        htmls[name] = html.replace("</style>", f"{css}\n</style>", 1)
    if htmls["no-fonts"] == html:
        raise SystemExit("the brochure's HTML does not hold typeset.print_font_css()")
    return htmls, {"qr codes": len(QR_SVG.findall(html)), "characters": len(html),
                   **{k: summary(v) for k, v in timings.items()}}


def summary(times: list[float]) -> dict[str, float]:
    return {"median": statistics.median(times), "min": min(times), "max": max(times),
            "runs": len(times)}


# --- one variant (child process) ----------------------------------------------------------

def child(variant: str, folder: Path, runs: int, profile: bool) -> None:
    import pikepdf
    import weasyprint

    from wegweiser.pdf import brochure, printshop, tagging, typeset

    htmls = {p.stem: p.read_text(encoding="utf-8") for p in folder.glob("*.html")}
    html, notes = htmls["full"], htmls["notes"]
    out = Path(tempfile.mkdtemp(prefix="throughput-", dir=folder))
    printed, screen = out / "print.pdf", out / "screen.pdf"
    base = brochure.TEMPLATE_DIR

    if variant in PATCHES:
        module, name = PATCHES[variant]
        setattr({"typeset": typeset, "tagging": tagging}[module], name, lambda *a, **k: None)
    if variant == "no-tagging":
        typeset.PDF_VARIANT = None
    html = htmls.get(variant, html)

    def built() -> int:
        with typeset.collection_paused():
            document = typeset.render(html, base, brochure.PRINT_CSS)
            pages = typeset.write_variants(document, html, base, printed, screen,
                                           brochure.PRINT_CSS, notes)
        printshop.finish_for_print(printed)
        return pages

    def plain(source: str, pdf_variant: str | None) -> int:
        fetcher = typeset.local_fetcher()
        document = weasyprint.HTML(string=source, base_url=base.as_uri() + "/",
                                   url_fetcher=fetcher).render(font_config=config)
        document.write_pdf(screen, pdf_variant=pdf_variant)
        return len(document.pages)

    config = typeset.font_config()
    if variant == "screen-only":
        action = lambda: typeset.write_pdf(html, base, screen, "", notes)  # noqa: E731
    elif variant == "plain-same-html":
        action = lambda: plain(htmls["full"], "pdf/ua-1")  # noqa: E731
    elif variant in ("plain", "plain-ua"):
        action = lambda: plain(htmls["plain"], "pdf/ua-1" if variant == "plain-ua" else None)  # noqa: E731
    else:
        action = built
    # warm-up: the fonts, read once a process (as in a build's worker); patches applied
    warm = STYLE.search(html)
    weasyprint.HTML(string=f"{warm[0] if warm else ''}<p>Wegweiser عربي</p>").render(
        font_config=config)
    if not variant.startswith("plain"):
        typeset.apply_patches()

    times, cpu, pages = [], [], 0
    for _ in range(runs):
        gc.collect()
        started, used = time.perf_counter(), time.process_time()
        pages = action()
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - used)
    with pikepdf.open(screen) as pdf:
        pages = len(pdf.pages)
    areas: dict[str, float] = {}
    top: list[tuple[str, float, float]] = []
    other: list[tuple[str, float, float]] = []
    if profile:
        gc.collect()
        profiler = cProfile.Profile()
        profiler.runcall(action)
        stats = pstats.Stats(profiler)
        total = 0.0
        for (file, line, function), (_, _, own, cumulative, _) in stats.stats.items():
            area = next((name for name, pattern in AREAS if re.search(pattern, file)), "other")
            areas[area] = areas.get(area, 0.0) + own
            total += own
            if "wegweiser/pdf/" in file:
                top.append((f"{Path(file).name}:{line} {function}", own, cumulative))
            elif area == "other":
                other.append((f"{Path(file).name}:{line} {function}", own, cumulative))
        areas["total"] = total
        top.sort(key=lambda entry: -entry[2])
        other.sort(key=lambda entry: -entry[1])
    print(json.dumps({"variant": variant, "pages": pages, **summary(times),
                      "cpu": statistics.median(cpu),
                      "areas": areas, "top": top[:8], "other": other[:5]}))


# --- the parent ---------------------------------------------------------------------------

def run_variant(variant: str, folder: Path, runs: int, profile: bool) -> dict:
    command = [sys.executable, __file__, "--child", variant, "--folder", str(folder),
               "--runs", str(runs), *(["--profile"] if profile else [])]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"variant {variant} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def project(name: str, tmp: Path) -> tuple[Path, str]:
    """A folder as it is, or a scale of bench.py generated into `tmp`."""
    import bench

    if name in bench.SCENARIOS:
        root = tmp / "project"
        bench.write_project(root, bench.SCENARIOS[name])
        bench.fill_catalogs(bench.Tree("", REPO, root))
        return root, f"{name} (bench.py)"
    root = Path(name).resolve()
    return root, "shipped project" if root == REPO else str(root)


def table(label: str, code: str, made: dict, rows: list[dict]) -> str:
    from bench import cpu_model

    reference = next((r for r in rows if r["variant"] == REFERENCE), None)
    full = next((r for r in rows if r["variant"] == "brochure"), None)
    head = (f"\n## throughput: {label}, brochure {code} ({date.today()}, {cpu_model()},"
            f" {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()})"
            "\n\n"
            f"HTML: {made['characters']:,} characters, {made['qr codes']} QR codes; made in"
            f" {span(made['html'])} (no QR codes: {span(made['html-no-qr'])}).\n\n"
            "| variant | what | pages | runs | median | min | max | CPU s | pages/s (CPU) |"
            f" ratio to {REFERENCE} (CPU) | saves vs brochure (CPU) |\n"
            "|---|---|---|---|---|---|---|---|---|---|---|\n")
    lines = []
    for r in rows:
        rate, cpu_rate = r["pages"] / r["median"], r["pages"] / r["cpu"]
        ratio = saves = ""
        if reference:
            ratio = (f"{rate / (reference['pages'] / reference['median']):.2f}"
                     f" ({cpu_rate / (reference['pages'] / reference['cpu']):.2f})")
        if full and r is not full:
            saves = (f"{full['median'] - r['median']:.2f} s"
                     f" ({full['cpu'] - r['cpu']:.2f} s)")
        lines.append(f"| {r['variant']} | {WHAT[r['variant']]} | {r['pages']} | {r['runs']} |"
                     f" {r['median']:.2f} s | {r['min']:.2f} s | {r['max']:.2f} s |"
                     f" {r['cpu']:.2f} s | {rate:.1f} ({cpu_rate:.1f}) | {ratio} | {saves} |")
    profiled = [r for r in rows if r.get("areas")]
    if not profiled:
        return head + "\n".join(lines) + "\n"
    names = [name for name, _ in AREAS] + ["other", "total"]
    prof = ("\n\nOwn time under cProfile by area, s (one run each; cProfile slows Python"
            " code more than C):\n\n| variant | " + " | ".join(names) + " |\n|---"
            + "|---" * len(names) + "|\n")
    prof += "\n".join(f"| {r['variant']} | " + " | ".join(
        f"{r['areas'].get(name, 0.0):.1f}" for name in names) + " |" for r in profiled)
    return head + "\n".join(lines) + prof + "\n"


def span(timing: dict) -> str:
    return f"{timing['median']:.2f} s ({timing['min']:.2f}-{timing['max']:.2f})"


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("project", nargs="?", default=str(REPO),
                   help="a project folder (default: the shipped one) or a scale of bench.py"
                        " (city, large, tiny)")
    p.add_argument("--lang", default="de")
    p.add_argument("--today", default="2026-11-23")
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--only", default=",".join(VARIANTS),
                   help=f"a selection of: {','.join(VARIANTS)}")
    p.add_argument("--no-profile", action="store_true", help="no cProfile run")
    p.add_argument("--no-append", action="store_true")
    p.add_argument("--label", default="")
    p.add_argument("--child", help=argparse.SUPPRESS)
    p.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    p.add_argument("--profile", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.child:
        child(args.child, args.folder, args.runs, args.profile)
        return
    chosen = args.only.split(",")
    unknown = set(chosen) - set(VARIANTS)
    if unknown:
        p.error(f"unknown variants {','.join(sorted(unknown))}; choose from {','.join(VARIANTS)}")
    with tempfile.TemporaryDirectory(prefix="throughput-") as tmp:
        root, label = project(args.project, Path(tmp))
        htmls, made = make_htmls(root, args.lang, date.fromisoformat(args.today), args.runs)
        for name, html in htmls.items():
            (Path(tmp) / f"{name}.html").write_text(html, encoding="utf-8")
        rows = []
        for variant in chosen:
            rows.append(run_variant(variant, Path(tmp), args.runs, not args.no_profile))
            r = rows[-1]
            print(f"  {variant}: {r['pages']} pages, median {r['median']:.2f} s"
                  f" ({r['min']:.2f}-{r['max']:.2f}), CPU {r['cpu']:.2f} s,"
                  f" {r['pages'] / r['median']:.1f} pages/s;"
                  f" profile {json.dumps({k: round(v, 1) for k, v in r['areas'].items()})}",
                  file=sys.stderr, flush=True)
            for entry in r["top"][:4] + r["other"][:4]:
                print(f"      {entry[0]}: own {entry[1]:.2f} s, cumulative {entry[2]:.2f} s",
                      file=sys.stderr, flush=True)
    out = table(" ".join(filter(None, (label, args.label))), args.lang, made, rows)
    print(out, flush=True)
    if not args.no_append:
        with (REPO / "benchmarks" / "results.md").open("a", encoding="utf-8") as f:
            f.write(out)


if __name__ == "__main__":
    main()
