"""A newcomer's phone (390x844) in a real headless Chromium, against the shipped site behind
Debian's nginx with gzip_static on, as production serves it: what an offer page weighs, the
search index only when search opens, the keyboard's order at phone and desktop width, the
offers in the reader's language within two taps, reading again without a connection.

reader_checks.mjs drives Chromium and reports; the assertions are here.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import run_browser_script

SHOTS = Path("/tmp")
PHONE_HEIGHT = 844
MAX_OFFER_PAGE_BYTES = 250_000

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def report(nginx_site: str, shipped_site: tuple[str, Path]) -> dict[str, Any]:
    _, site = shipped_site
    languages = sorted(p.name for p in site.iterdir() if (p / "404.html").is_file())
    result = run_browser_script("reader_checks.mjs", nginx_site, ",".join(languages),
                                str(SHOTS), timeout=900)
    assert result.returncode == 0, result.stderr[-3000:]
    found: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    found["languages_built"] = languages
    return found


def test_every_check_ran(report: dict[str, Any]) -> None:
    assert report["failed"] == {}


# --- 7: weight ------------------------------------------------------------------------------


def test_an_offer_page_transfers_at_most_250_kb_in_every_language(report: dict[str, Any]
                                                                   ) -> None:
    assert sorted(report["weight"]) == report["languages_built"]
    heavy = {lang: w["bytes"] for lang, w in report["weight"].items()
             if w["bytes"] > MAX_OFFER_PAGE_BYTES}
    assert heavy == {}
    print("offer page, bytes transferred:", {k: w["bytes"] for k, w in report["weight"].items()})


def test_the_search_index_loads_only_when_search_opens(report: dict[str, Any]) -> None:
    assert not any(w["index"] for w in report["weight"].values())
    for lang in ("de", "ar"):
        assert report["search"][lang]["beforeOpen"] is False
        assert report["search"][lang]["results"] > 0, lang  # and then search finds


# --- 6: keyboard ----------------------------------------------------------------------------


def out_of_order(stops: list[dict[str, Any]], rtl: bool) -> list[tuple[str, str]]:
    """Consecutive focus stops whose second is drawn before the first in reading order: not
    on the same line further on, not below, and not in a column further on. The skip link
    (drawn over the header when focused), the language menu (it opens below its button) and
    the search dialog (it opens over the header when its field is reached) are left out."""
    seq = [s for s in stops if not s["menu"] and not s["search"]]
    if seq and "md-skip" in seq[0]["name"]:
        seq = seq[1:]
    wrong = []
    for a, b in zip(seq, seq[1:], strict=False):
        same_line = b["y"] < a["y"] + a["h"] and a["y"] < b["y"] + b["h"]
        further = b["x"] + b["w"] <= a["x"] + 1 if rtl else b["x"] >= a["x"] + a["w"] - 1
        below = b["y"] >= a["y"] + a["h"] - 2
        if not (further or (below and not same_line)):
            wrong.append((a["name"], b["name"]))
    return wrong


def stop(name: str, x: int, y: int, w: int = 40, h: int = 20) -> dict[str, Any]:
    return {"name": name, "x": x, "y": y, "w": w, "h": h, "menu": False, "search": False}


def test_the_order_check_sees_a_stop_drawn_before_the_last() -> None:
    # a line read forwards, a next line, a column further on: in order
    page = [stop("a", 10, 0), stop("b", 60, 0), stop("c", 10, 40), stop("d", 300, 10)]
    assert out_of_order(page, rtl=False) == []
    # backwards on a line, or up in the same column: out of order
    assert out_of_order([stop("b", 60, 0), stop("a", 10, 0)], rtl=False) == [("b", "a")]
    assert out_of_order([stop("c", 10, 40), stop("a", 10, 0)], rtl=False) == [("c", "a")]
    # right to left: the same line is read from the right
    assert out_of_order([stop("b", 60, 0), stop("a", 10, 0)], rtl=True) == []


@pytest.mark.parametrize("view", ["de-phone", "ar-phone", "de-desktop", "ar-desktop"])
def test_focus_is_always_visible_and_follows_the_reading_order(report: dict[str, Any],
                                                               view: str) -> None:
    stops = report["focus"][view]
    assert len(stops) == 30
    assert [s["name"] for s in stops if not s["visible"]] == []
    assert out_of_order(stops, rtl=view.startswith("ar")) == []
    menu_button = [s for s in stops if s["name"].endswith("__drawer")]
    if view.endswith("phone"):
        assert menu_button and menu_button[0]["header"]
        # the closed drawer's links take no focus at all
        assert not [s for s in stops if "md-nav__link" in s["name"]]
    else:
        assert not menu_button  # the navigation is a column of the page
        assert [s for s in stops if "md-nav__link" in s["name"]]


@pytest.mark.parametrize("lang", ["de", "ar"])
def test_the_menu_button_opens_the_drawer_by_keyboard(report: dict[str, Any], lang: str
                                                      ) -> None:
    drawer = report["drawer"][lang]
    assert drawer["button"]["focused"] and drawer["button"]["role"] == "button"
    assert drawer["button"]["name"] and drawer["button"]["expanded"] == "false"
    assert drawer["open"] is True
    links = [s for s in drawer["inside"] if "md-nav__link" in s["name"]]
    assert len(links) >= 5 and all(s["visible"] for s in links)
    # Tab after the last link closes the drawer; the page's own links come next, visible
    assert all(s["visible"] for s in drawer["inside"])
    assert drawer["expanded"] == "false"


# --- 8: help in my language within two taps -------------------------------------------------


@pytest.mark.parametrize("lang", ["de", "ar"])
def test_home_leads_to_the_offers_in_the_readers_language(report: dict[str, Any],
                                                          lang: str) -> None:
    found = report["languages"][lang]
    assert found["linkTop"] < PHONE_HEIGHT  # tap 1 on the first screen
    assert found["url"].endswith(f"/{lang}/angebote/?sprache={lang}")
    assert found["filter"] == lang and found["allInLanguage"] and found["shown"] > 0
    assert found["languagesShown"]  # each offer says its languages
    # the filter is folded: the first offer (tap 2) is on the first screen
    assert found["folded"] and found["firstOfferTop"] < PHONE_HEIGHT
    assert found["formBottom"] < PHONE_HEIGHT / 2
    if lang == "ar":
        assert found["shown"] < found["all"]


# --- 11: offline ----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["de", "ar"])
def test_a_language_opened_once_reads_again_without_a_connection(report: dict[str, Any],
                                                                  lang: str) -> None:
    offline = report["offline"][lang]
    assert offline["offer"]["title"]  # a page of the language not opened before
    assert offline["offer"]["styled"]
    assert "Noto Sans" in offline["offer"]["fonts"]
    if lang == "ar":
        assert "Noto Naskh Arabic" in offline["offer"]["fonts"]
    assert offline["list"] > 0
    print(f"kept for offline reading ({lang}):", offline["kept"])


@pytest.mark.parametrize("lang", ["de", "ar"])
def test_the_brochure_is_kept_for_offline_reading_on_request(report: dict[str, Any],
                                                              lang: str) -> None:
    brochure = report["offline"][lang]["brochure"]
    assert brochure["url"].endswith(f"/downloads/wegweiser-{lang}.pdf")
    assert brochure["status"]  # said in the page's language
    assert brochure["statusLang"] in ("", lang)  # not a German fallback
    # read back with the network cut: the whole PDF, from the worker's copy
    assert brochure["ok"] and brochure["type"] == "application/pdf"
    assert brochure["magic"] == "%PDF-" and brochure["bytes"] > 100_000


def test_without_javascript_the_site_works_and_registers_no_worker(report: dict[str, Any]
                                                                    ) -> None:
    assert report["noJs"]["title"] and report["noJs"]["workers"] == 0
    assert report["noJs"]["keepShown"] is False  # nothing to keep without a worker


@pytest.mark.parametrize("lang", ["de", "ar"])
def test_without_javascript_the_menu_opens_by_keyboard(report: dict[str, Any], lang: str
                                                       ) -> None:
    menu = report["noJs"]["menu"][lang]
    assert menu["id"] == "__drawer" and menu["name"]  # the first stop, named
    assert menu["outline"] != "none"  # drawn on the menu button
    assert menu["visible"] and menu["onScreen"]  # Space opened the drawer
    assert menu["focusInDrawer"] and menu["focusOnScreen"]


def test_reader_screenshots_were_taken(report: dict[str, Any]) -> None:
    assert len(report["shots"]) == 12
    assert all(Path(p).stat().st_size > 20000 for p in report["shots"])
