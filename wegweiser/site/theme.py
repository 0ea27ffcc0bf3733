"""The theme folder of one language: our overrides of mkdocs-material, as its custom_dir.

Most fixes are plain override templates in wegweiser/overrides. A few need the theme's own
templates, which have no block for them: the `dir` attribute of <html>, the `autocomplete`
attribute on hidden checkboxes (invalid HTML there) and the search dialog's missing name.
Those files are derived from the installed theme at build time by exact replacements; if
the theme changes so that one no longer applies, the build stops and says which.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from wegweiser.i18n.localisation import Localisation
from wegweiser.resources import OVERRIDES, material_templates
from wegweiser.site.pages import TEMPLATES

BASE_FIXES = (
    ('<html lang="{{ lang.t(\'language\') }}" class="no-js">',
     '<html lang="{{ lang.t(\'language\') }}" dir="{{ config.theme.direction or'
     ' lang.t(\'direction\') }}" class="no-js">'),
    # autocomplete is not allowed on checkboxes (Nu HTML Checker); without JavaScript the
    # drawer's checkbox takes the keyboard focus (site.css), named as what it opens
    ('type="checkbox" id="__drawer" autocomplete="off">',
     'type="checkbox" id="__drawer" aria-label="{{ lang.t(\'nav\') }}">'),
    ('type="checkbox" id="__search" autocomplete="off">', 'type="checkbox" id="__search">'),
)

SEARCH_FIXES = (
    # a dialog needs an accessible name (axe-core: aria-dialog-name)
    ('<div class="md-search" data-md-component="search" role="dialog">',
     '<div class="md-search" data-md-component="search" role="dialog"'
     ' aria-label="{{ lang.t(\'search\') }}">'),
    # autocorrect is not an HTML attribute (Nu HTML Checker)
    ('autocapitalize="off" autocorrect="off" autocomplete="off"',
     'autocapitalize="off" autocomplete="off"'),
)
TOC_FIXES = (
    # the label toggles the __toc checkbox, which exists only for a page in the navigation
    # (offers and contact points are not): elsewhere a label for nothing (Nu HTML Checker)
    ('<label class="md-nav__title" for="__toc">',
     '{% if page in nav.pages %}<label class="md-nav__title" for="__toc">'
     '{% else %}<span class="md-nav__title">{% endif %}'),
    ("</label>", "{% if page in nav.pages %}</label>{% else %}</span>{% endif %}"),
)


def marked_german(value: str, texts: str) -> str:
    """Jinja that prints `value` marked as German (lang, and dir in a right-to-left page)
    if it is one of `texts`, the fallbacks that site.py and the page's front matter list."""
    ww = "config.extra.wegweiser.german"
    return (f"{{% if {value} in {texts} %}}<span lang=\"{{{{ {ww}.lang }}}}\""
            f"{{% if {ww}.dir %}} dir=\"{{{{ {ww}.dir }}}}\"{{% endif %}}>{{{{ {value} }}}}</span>"
            f"{{% else %}}{{{{ {value} }}}}{{% endif %}}")


PAGE_GERMAN = '(page.meta or {}).get("german", [])'
# Labels the theme repeats outside the page body: a German fallback keeps lang="de" there
NAV_FIXES = (("{{ nav_item.title }}",
              marked_german("nav_item.title", "config.extra.wegweiser.german.texts")),)
NAV_TITLE_FIXES = (("\n    {{ config.site_name }}\n",
                    "\n" + marked_german("config.site_name",
                                         "config.extra.wegweiser.german.texts") + "\n"),)
TOC_ITEM_FIXES = (("{{ toc_item.title }}", marked_german("toc_item.title", PAGE_GERMAN)),)
HEADER_FIXES = (
    ("\n            {{ config.site_name }}\n",
     "\n" + marked_german("config.site_name", "config.extra.wegweiser.german.texts") + "\n"),
    ("{{ page.meta.title }}", marked_german("page.meta.title", PAGE_GERMAN)),
)
DERIVED = {"base.html": BASE_FIXES, "partials/search.html": SEARCH_FIXES,
           "partials/toc.html": TOC_FIXES, "partials/nav-item.html": NAV_FIXES,
           "partials/nav.html": NAV_TITLE_FIXES,
           "partials/toc-item.html": TOC_ITEM_FIXES, "partials/header.html": HEADER_FIXES}


def derived_template(name: str) -> str:
    """One of the theme's templates with its fixes applied, each exactly once."""
    text = (material_templates() / name).read_text(encoding="utf-8")
    for old, new in DERIVED[name]:
        if text.count(old) != 1:
            raise RuntimeError(f"mkdocs-material's {name} changed; cannot apply: {old}")
        text = text.replace(old, new)
    return text


# Languages the theme has a file for under another tag: its "ku-IQ" is Sorani (ckb), in
# Arabic script. The file is used with our tag, so <html lang> stays what site.yml says.
THEME_TAGS = {"ckb": "ku-IQ"}


def theme_language_file(code: str) -> Path:
    folder = material_templates() / "partials" / "languages"
    return folder / f"{THEME_TAGS.get(code, code)}.html"


def has_material_language(code: str) -> bool:
    return theme_language_file(code).is_file()


def language_partial(loc: Localisation) -> str:
    """The theme's interface strings for a language the theme has no translation for."""
    return TEMPLATES.get_template("theme-language.html.j2").render(
        loc=loc, code=loc.language.code, direction=loc.language.dir)


def write_theme(target: Path, loc: Localisation) -> Path:
    """Copy the overrides into `target` and add the derived and generated templates."""
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(OVERRIDES, target)
    for name in DERIVED:
        (target / name).write_text(derived_template(name), encoding="utf-8")
    code = loc.language.code
    partial = target / "partials" / "languages" / f"{code}.html"
    partial.parent.mkdir(parents=True, exist_ok=True)
    if code in THEME_TAGS and has_material_language(code):
        partial.write_text(retagged_language_file(code), encoding="utf-8")
    elif not has_material_language(code):
        partial.write_text(language_partial(loc), encoding="utf-8")
    return target


def retagged_language_file(code: str) -> str:
    """The theme's strings of a language it files under another tag, with our tag."""
    text = theme_language_file(code).read_text(encoding="utf-8")
    tag = THEME_TAGS[code].split("-")[0]
    old, new = f'"language": "{tag}"', f'"language": "{code}"'
    if text.count(old) != 1:
        raise RuntimeError(f"mkdocs-material's {THEME_TAGS[code]}.html changed;"
                           f" cannot apply: {old}")
    return text.replace(old, new)
