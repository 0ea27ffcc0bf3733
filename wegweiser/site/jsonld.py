"""Structured data (schema.org JSON-LD) for offer, contact point and programme pages.

Addresses of pages (url, @id) are absolute URLs at the site's base_url. While site.yml
marks base_url as an example value, the callers pass "" for them and they are left out:
a search engine would take the example address for the page's own.
"""

from __future__ import annotations

import json
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from markupsafe import Markup

from wegweiser.i18n.localisation import Localisation
from wegweiser.model import (
    WEEKDAYS,
    ContactPoint,
    Content,
    Occurrence,
    Offer,
    OpeningHours,
    Settings,
    confirmed,
)

SCHEMA_DAYS = {day: f"https://schema.org/{day.capitalize()}" for day in WEEKDAYS}


def script(data: dict[str, Any]) -> Markup:
    """A <script type="application/ld+json"> block; `<` is escaped so no text can end it."""
    text = json.dumps({"@context": "https://schema.org", **data}, ensure_ascii=False, indent=1)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(f'<script type="application/ld+json">\n{text}\n</script>')


def postal_address(contact: ContactPoint) -> dict[str, Any]:
    a = contact.address
    return {"@type": "PostalAddress", "streetAddress": a.street, "postalCode": a.postcode,
            "addressLocality": a.city, "addressCountry": "DE"}


def opening_hours(hours: OpeningHours) -> list[dict[str, Any]]:
    specs = [{"@type": "OpeningHoursSpecification", "dayOfWeek": SCHEMA_DAYS[day],
              "opens": f"{slot.opens:%H:%M}", "closes": f"{slot.closes:%H:%M}"}
             for day, slots in hours.weekly.days for slot in slots]
    for exc in hours.exceptions:
        base = {"@type": "OpeningHoursSpecification", "validFrom": exc.start.isoformat(),
                "validThrough": exc.end.isoformat()}
        if exc.closed:
            specs.append({**base, "opens": "00:00", "closes": "00:00"})
        else:
            specs.extend({**base, "dayOfWeek": SCHEMA_DAYS[day], "opens": f"{s.opens:%H:%M}",
                          "closes": f"{s.closes:%H:%M}"}
                         for day, slots in exc.hours.days for s in slots)
    return specs


def area_served(settings: Settings) -> dict[str, str]:
    """The KI's area: a schema.org City, or for a Kreis or a Städteregion the
    AdministrativeArea it is (City is one kind of AdministrativeArea)."""
    kind = "City" if settings.area.is_city else "AdministrativeArea"
    return {"@type": kind, "name": settings.city}


def link(url: str) -> dict[str, str]:
    """url and @id of a node, or nothing if its address is not known ("")."""
    return {"@id": url, "url": url} if url else {}


def public_body(contact: ContactPoint, settings: Settings) -> bool:
    """Whether a public body runs the contact point: the KI's own organisation (site.yml
    `organisation`, also "Stadt Musterstadt, Jugendamt"), or another one its file names as
    such (`public_body: true`: a Jobcenter, a town's office in a Kreis). A charity such as
    Caritas or AWO is none, and search engines must not present its offers as the state's."""
    return contact.public_body or contact.organisation.startswith(settings.organisation)


def place(contact: ContactPoint, url: str, loc: Localisation,
          office: bool = False) -> dict[str, Any]:
    """A contact point with its opening hours: a GovernmentOffice (a Place and an
    Organization) if a public body runs it, else a Place, which schema.org gives no e-mail
    address or languages.

    Values the editors marked as examples are left out: a search engine shows them as facts.
    """
    data: dict[str, Any] = {
        "@type": "GovernmentOffice" if office else "Place", **link(url),
        "name": str(loc.field(contact, "name")),
    }
    if confirmed(contact, "address"):
        data["address"] = postal_address(contact)
    if contact.phones and confirmed(contact, "phones"):
        data["telephone"] = contact.phones[0].uri.removeprefix("tel:")
    if office and contact.email and confirmed(contact, "email"):
        data["email"] = contact.email
    if contact.coordinates and confirmed(contact, "coordinates"):
        data["geo"] = {"@type": "GeoCoordinates", "latitude": contact.coordinates[0],
                       "longitude": contact.coordinates[1]}
    specs = opening_hours(contact.opening_hours)
    if specs and not contact.opening_hours.temporarily_closed \
            and confirmed(contact, "opening_hours"):
        data["openingHoursSpecification"] = specs
    if office and contact.languages and confirmed(contact, "languages"):
        data["knowsLanguage"] = list(contact.languages)
    return data


def service(offer: Offer, content: Content, url: str, contact_url: str,
            loc: Localisation) -> dict[str, Any]:
    """An offer: a GovernmentService with a GovernmentOrganization as provider if a public
    body provides it, else a Service of an Organization."""
    settings = content.settings
    provider = content.contact(offer.provider)
    government = public_body(provider, settings)

    def location(id: str) -> dict[str, Any]:
        contact = content.contact(id)
        return place(contact, contact_url.replace("{id}", id), loc, public_body(contact, settings))

    places = dict.fromkeys((*offer.contacts, offer.where_when.place)
                           if offer.where_when.place else offer.contacts)
    channels = [{
        "@type": "ServiceChannel", "serviceLocation": location(c),
        **({"availableLanguage": list(offer.languages)}
           if confirmed(offer, "languages") else {}),
    } for c in places]
    return {
        "@type": "GovernmentService" if government else "Service", **link(url),
        "name": str(loc.field(offer, "title")),
        "description": str(loc.field(offer, "summary")),
        "serviceType": str(loc.field(settings.category(offer.category), "name")),
        "provider": {"@type": "GovernmentOrganization" if government else "Organization",
                     "name": str(loc.field(provider, "name")),
                     **page(contact_url, provider.id)},
        "areaServed": area_served(settings),
        "availableChannel": channels or [{
            "@type": "ServiceChannel", "serviceLocation": location(provider.id)}],
        **({"offers": price(offer, loc)} if confirmed(offer, "cost") else {}),
    }


def price(offer: Offer, loc: Localisation) -> dict[str, Any]:
    """What the offer costs, as an Offer: schema.org has isAccessibleForFree on places and
    events, not on services."""
    if offer.cost_free:
        return {"@type": "Offer", "price": 0, "priceCurrency": "EUR"}
    return {"@type": "Offer", **({"description": str(loc.field(offer, "cost_text"))}
                                 if offer.cost_text else {})}


def events(occurrences: tuple[Occurrence, ...], content: Content, contact_url: str,
           loc: Localisation) -> dict[str, Any]:
    """One Event per occurrence of a programme page, in a @graph."""
    zone = ZoneInfo(content.settings.timezone)
    return {"@graph": [event(o, content, contact_url, loc, zone) for o in occurrences]}


def event(o: Occurrence, content: Content, contact_url: str, loc: Localisation,
          zone: ZoneInfo) -> dict[str, Any]:
    venue = content.contact(o.venue)
    host = content.contact(o.host)
    status = {"cancelled": "EventCancelled", "moved": "EventRescheduled"}.get(
        o.status, "EventScheduled")
    data: dict[str, Any] = {
        "@type": "Event", "name": str(loc.field(o, "title")),
        "startDate": stamp(o.day, o.start, zone), "endDate": stamp(o.day, o.end, zone),
        "eventStatus": f"https://schema.org/{status}",
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "location": {"@type": "Place", "name": str(loc.field(venue, "name")),
                     **({"address": postal_address(venue)}
                        if confirmed(venue, "address") else {}),
                     **page(contact_url, venue.id)},
        "organizer": {"@type": "Organization", "name": str(loc.field(host, "name")),
                      **page(contact_url, host.id)},
    }
    if o.languages:
        data["inLanguage"] = list(o.languages)
    if o.description:
        data["description"] = str(loc.field(o, "description"))
    if o.moved_from:
        data["previousStartDate"] = stamp(o.moved_from, o.start, zone)
    return data


def page(contact_url: str, contact_id: str) -> dict[str, str]:
    """The url of a contact point's page, or nothing if the site's address is not known."""
    return {"url": contact_url.replace("{id}", contact_id)} if contact_url else {}


def stamp(day: date, moment: time, zone: ZoneInfo) -> str:
    return datetime.combine(day, moment, tzinfo=zone).isoformat()
