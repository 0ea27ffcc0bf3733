"""What each output shows of the build's day: its dated facts, computed from the model.

The day itself is in no cache key. An output's key holds the facts of the day it shows
(which offers are published, the notices in force, the month a programme starts from), so
a new day renders again only the outputs whose facts changed. The facts are plain text
here; cache.py hashes them with the other inputs.
"""

from __future__ import annotations

import json
from datetime import date

from wegweiser.content.programme import this_month
from wegweiser.model import Content, Offer


def as_text(**facts: object) -> str:
    return json.dumps(facts, sort_keys=True, ensure_ascii=False)


def expired_offers(content: Content) -> list[Offer]:
    """Offers whose `valid_until` has passed (open data lists them as inactive)."""
    return [o for o in content.unpublished
            if o.valid_until is not None and o.valid_until < content.today]


def edition_month(content: Content) -> date:
    """The brochure's edition: site.yml's `brochure.edition`, else the build's month."""
    edition = content.settings.brochure.edition
    return date.fromisoformat(f"{edition}-01") if edition else this_month(content)


def site(content: Content) -> str:
    """Every language's pages: the offers published (offer pages, lists, sitemap), the
    notices in force, the month the programme page and the months' flyer links start from.
    The sitemaps' <lastmod> and the home page's next dates are written after the cache
    (site/build.py: date_sitemap, date_home), not keyed."""
    return as_text(offers=[o.id for o in content.offers],
                   notices=[n.id for n in content.active_notices()],
                   month=this_month(content).isoformat())


def brochures(content: Content) -> str:
    """The brochures: their offers (the published ones) and the edition month."""
    return as_text(offers=[o.id for o in content.offers],
                   edition=edition_month(content).isoformat())


def flyers(content: Content) -> str:
    """The flyers and posters: the month they start from, which is also their "Stand"."""
    return as_text(month=this_month(content).isoformat())


def open_data(content: Content) -> str:
    """The open data: offers published as active, expired ones as inactive."""
    return as_text(offers=[o.id for o in content.offers],
                   expired=[o.id for o in expired_offers(content)])


def feeds(content: Content) -> str:
    """The feeds: without a programme, the year their time zone's rules start from. Their
    DTSTAMP, the build's day, is written after the cache (exports/feeds.py: stamp_feeds)."""
    return as_text(year=None if content.programme else content.today.year)


def day(content: Content) -> str:
    """Outputs that show the day itself: the report (its "Stand", and reviews and expiry
    counted from the day)."""
    return as_text(day=content.today.isoformat())
