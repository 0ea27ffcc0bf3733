"""Live preview: `build.py serve [--lang de] [--port 8000]` on http://127.0.0.1 only.

A small loop watches the content files' modification times. When one is saved, the
content is checked and the language's pages are regenerated and built by mkdocs into a
fresh folder, which then replaces the one being served, so a reader never sees a half
built site. Problems are printed in the terminal and shown on every page as a banner
above the last good preview (or as an error page if there was none yet); the preview
never stops because of bad content. Open pages reload themselves after each rebuild.
"""

from __future__ import annotations

import html
import shutil
import threading
import time
import traceback
from datetime import date
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from wegweiser import fonts, pipeline
from wegweiser.content.tree import load_content
from wegweiser.editors import cms, schemas
from wegweiser.problems import Location, Problems
from wegweiser.site import build as website
from wegweiser.wording import _

WATCHED = ("content", "offers", "translations", "mkdocs.yml")
POLL_SECONDS = 0.4
VERSION_PATH = "/__preview/version"

RELOAD_SCRIPT = """<script>
(function () {
  var seen = null;
  function poll() {
    fetch("VERSION_PATH", {cache: "no-store"})
    .then(function (r) { return r.text(); }).then(function (v) {
      if (seen !== null && v !== seen) { location.reload(); }
      seen = v;
    }).catch(function () {}).then(function () { setTimeout(poll, 1000); });
  }
  poll();
})();
</script>""".replace("VERSION_PATH", VERSION_PATH)

BANNER_STYLE = ("background:#b00020;color:#fff;padding:1em 1.5em;font:16px/1.5 sans-serif;"
                "position:relative;z-index:10")


class Preview:
    """What is being served: the last good build, the current problems, a version number."""

    def __init__(self, root: Path, today: date, lang: str):
        self.root = root
        self.today = today
        self.lang = lang
        self.out = root / "build" / "serve"
        self.current: Path | None = None
        self.problems: list[str] = []
        self.version = 0
        self.builds = 0
        self.port = 0
        self.lock = threading.Lock()

    def rebuild(self) -> None:
        started = time.perf_counter()
        problems = Problems()
        try:
            content = load_content(self.root, self.today, problems)
            if problems.items:
                print(problems.report(), flush=True)
            folder = self.build(content) if content is not None else None
        except Exception:  # a bug must not end the preview; show it like a problem
            text = traceback.format_exc()
            print(text, flush=True)
            problems.error(Location("(preview)"), _("the preview could not be built: {problem}",
                                                    problem=text))
            folder = None
        self.publish(folder, [p.format() for p in problems.errors])
        fields = dict(seconds=f"{time.perf_counter() - started:.1f}",
                      url=f"http://127.0.0.1:{self.port}/{self.lang}/")
        print(_("Preview with errors ({seconds} s): {url}", **fields) if problems.errors
              else _("Preview ok ({seconds} s): {url}", **fields), flush=True)

    def build(self, content: Any) -> Path:
        language = next(l for l in content.settings.languages if l.code == self.lang)
        self.builds += 1
        out = self.out / str(self.builds)
        facts = pipeline.site_facts(content)
        config = website.write_language(content, language, self.root, self.root / "build", out,
                                        facts)
        website.render_language(config)
        website.date_home(content, language, self.root, out / language.code, facts)
        fonts.copy_fonts(out / "assets" / "fonts")  # shared by all languages, as in site/
        if cms.decap_dist(self.root) is not None:  # /admin/ against a local decap-server
            cms.write_admin(self.root, out, local_backend=True)
        try:
            schemas.export_schemas(self.root)  # new contact points become choices in VS Code
        except OSError as e:
            print(_("warning: schemas/ not updated: {problem}", problem=e), flush=True)
        return out

    def publish(self, folder: Path | None, problems: list[str]) -> None:
        with self.lock:
            old = self.current if folder is not None else None
            if folder is not None:
                self.current = folder
            self.problems = problems
            self.version += 1
        if old is not None and old != folder:
            shutil.rmtree(old, ignore_errors=True)

    def banner(self) -> str:
        items = "".join(f"<li><code style='color:#fff'>{html.escape(p)}</code></li>"
                        for p in self.problems)
        return (f"<div id='preview-problems' role='alert' style='{BANNER_STYLE}'>"
                "<strong>Der Inhalt hat Fehler. Die Vorschau zeigt den letzten fehlerfreien"
                " Stand.</strong> Content has errors; fix them and save again:"
                f"<ul>{items}</ul></div>")

    def error_page(self) -> bytes:
        """Shown while there is no good preview yet: the problems, or a wait message."""
        title, body = ("Fehler im Inhalt", self.banner()) if self.problems else (
            "Vorschau wird erstellt", "<p>Die Vorschau wird erstellt … (building the preview)</p>")
        return ("<!doctype html><html lang='de'><head><meta charset='utf-8'>"
                f"<title>{title}</title></head><body style='margin:0'>"
                f"{body}{RELOAD_SCRIPT}</body></html>").encode()


class Handler(SimpleHTTPRequestHandler):
    preview: Preview

    def __init__(self, *args: Any, preview: Preview, **kwargs: Any):
        self.preview = preview
        with preview.lock:
            folder = preview.current
        super().__init__(*args, directory=str(folder or preview.out), **kwargs)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the terminal is for problems, not for every request

    def do_GET(self) -> None:
        if self.path.split("?")[0] == VERSION_PATH:
            self.send_bytes(str(self.preview.version).encode(), "text/plain")
            return
        if self.preview.current is None:
            self.send_bytes(self.preview.error_page(), "text/html; charset=utf-8")
            return
        if self.path.split("?")[0] == "/":  # the site's root chooses a language; we know it
            self.send_response(302)
            self.send_header("Location", f"/{self.preview.lang}/")
            self.end_headers()
            return
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix == ".html" and path.is_file():
            self.send_bytes(self.decorate(path.read_text(encoding="utf-8")),
                            "text/html; charset=utf-8")
            return
        super().do_GET()

    def decorate(self, page: str) -> bytes:
        if self.preview.problems:
            start = page.find(">", page.find("<body")) + 1
            page = page[:start] + self.preview.banner() + page[start:]
        return page.replace("</body>", RELOAD_SCRIPT + "</body>", 1).encode()

    def send_bytes(self, body: bytes, content_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)


def snapshot(root: Path) -> dict[str, tuple[int, int]]:
    """Modification time and size of every watched file."""
    found: dict[str, tuple[int, int]] = {}
    for name in WATCHED:
        top = root / name
        paths = top.rglob("*") if top.is_dir() else [top]
        for path in paths:
            try:
                stat = path.stat()
            except OSError:
                continue
            if path.is_file():
                found[str(path)] = (stat.st_mtime_ns, stat.st_size)
    return found


def site_languages(root: Path) -> list[str]:
    languages = schemas.read_site_data(root).get("languages") or []
    return [str(l["code"]) for l in languages if isinstance(l, dict) and "code" in l]


def run(root: Path, today: date, lang: str | None, port: int) -> int:
    languages = site_languages(root)
    lang = lang or (languages[0] if languages else "de")
    if languages and lang not in languages:
        print("build.py: " + _("error: --lang {lang} is not a language of this site; choose"
                               " one of {choices}", lang=lang, choices=", ".join(languages)))
        return 2
    preview = Preview(root, today, lang)
    try:
        server = ThreadingHTTPServer(("127.0.0.1", port), partial(Handler, preview=preview))
    except OSError as e:
        print("build.py: " + _("error: cannot use port {port} ({reason}); try --port {next}",
                               port=port, reason=e.strerror, next=port + 1))
        return 2
    preview.port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(_("Preview of '{lang}' on {url} (Ctrl+C stops it).", lang=lang,
            url=f"http://127.0.0.1:{preview.port}/"), flush=True)
    try:
        watch(root, preview)
    except KeyboardInterrupt:
        print(_("Preview stopped."))
    finally:
        server.shutdown()
        shutil.rmtree(preview.out, ignore_errors=True)
    return 0


def watch(root: Path, preview: Preview) -> None:
    seen = snapshot(root)
    preview.rebuild()
    while True:
        time.sleep(POLL_SECONDS)
        now = snapshot(root)
        if now != seen:
            time.sleep(0.2)  # let the editor finish saving
            seen = snapshot(root)
            preview.rebuild()


__all__ = ["Preview", "run"]
