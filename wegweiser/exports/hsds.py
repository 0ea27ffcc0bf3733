"""Open Referral HSDS 3.0: offers, contact points and their organisations as HSDS objects.

Offers become services, contact points become locations (with address, phones, opening
hours as schedules, languages, accessibility, named persons as contacts), the free-text
`organisation` of a contact point becomes an organization, and each contact point an offer
names (provider, contacts, place) becomes a service_at_location. Category and audiences are
attributes with taxonomy terms from the site's own taxonomy.

Every `id` is a UUID derived with uuid5 from the site's base_url and the content id, so the
same offer keeps its id in every build and every language. A UUID is a digest that does
not give base_url away, so the ids stay the same while site.yml marks base_url as an example
value; the URLs (service url, taxonomy) are left out then. Empty values are left out
(HSDS fields are typed strings, so null would not validate).
"""

from __future__ import annotations

import uuid
from datetime import date
from functools import lru_cache
from typing import Any

from wegweiser import paths
from wegweiser.content import dated
from wegweiser.i18n import languages
from wegweiser.i18n.localisation import Localisation
from wegweiser.model import (
    WEEKDAYS,
    ContactPoint,
    Content,
    Offer,
    OpeningHours,
    WeeklyHours,
    confirmed,
)

Json = dict[str, Any]

RRULE_DAYS = dict(zip(WEEKDAYS, ("MO", "TU", "WE", "TH", "FR", "SA", "SU"), strict=True))
STATES = {  # ISO 3166-2:DE subdivision codes as the settings write them
    "BB": "Brandenburg", "BE": "Berlin", "BW": "Baden-Württemberg", "BY": "Bayern",
    "HB": "Bremen", "HE": "Hessen", "HH": "Hamburg", "MV": "Mecklenburg-Vorpommern",
    "NI": "Niedersachsen", "NW": "Nordrhein-Westfalen", "RP": "Rheinland-Pfalz",
    "SH": "Schleswig-Holstein", "SL": "Saarland", "SN": "Sachsen", "ST": "Sachsen-Anhalt",
    "TH": "Thüringen",
}


def stable_id(content: Content, *key: str) -> str:
    """A UUID that stays the same as long as the site's base_url and the content id do."""
    return uuid_of(f"{content.settings.base_url}#hsds/" + "/".join(key))


@lru_cache(maxsize=1 << 16)  # every language's files repeat the same ids
def uuid_of(name: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, name))


def compact(obj: Json) -> Json:
    """Leave out empty values: HSDS has no nulls, and empty arrays say nothing."""
    return {k: v for k, v in obj.items() if v not in ("", None, [], {})}


def offer_url(content: Content, offer: Offer, lang: str) -> str:
    """The offer's page on the portal; "" (left out) while site.yml marks base_url as an
    example value."""
    if not confirmed(content.settings, "base_url"):
        return ""
    return paths.absolute(content.settings.base_url, paths.in_language(lang, paths.offer(offer.id)))


def exported_offers(content: Content) -> list[tuple[Offer, str]]:
    """Published offers as active, expired ones as inactive; not yet valid ones stay private."""
    pairs = [(o, "active") for o in content.offers]
    pairs += [(o, "inactive") for o in dated.expired_offers(content)]
    return sorted(pairs, key=lambda pair: pair[0].id)


class Mapper:
    """Builds the HSDS objects of one language; texts translated where the catalog has them.

    The texts are looked up as the site and the brochure look them up (Localisation), as
    plain text: HSDS has no per-field language, so a German fallback cannot be marked
    lang="de" here; the open-data page says that the files hold such German texts."""

    def __init__(self, content: Content, texts: Localisation):
        self.content, self.texts, self.lang = content, texts, texts.language.code
        # made once per language: many services name the same contact point and organisation
        self.locations: dict[str, Json] = {}
        self.organizations: dict[str, Json] = {}

    # -- texts ---------------------------------------------------------------------------

    def text(self, item: object, field: str, german: str) -> str:
        return str(self.texts.field(item, field, german)) if german else ""

    def markdown(self, item: object, field: str, german: str) -> str:
        """A Markdown field, translated paragraph by paragraph (as the site does)."""
        return "\n\n".join(self.texts.blocks(item, field, german))

    def ui(self, german: str) -> str:
        return str(self.texts.ui(german))

    # -- shared pieces -------------------------------------------------------------------

    def languages(self, owner: str, codes: tuple[str, ...]) -> list[Json]:
        return [compact({"id": stable_id(self.content, owner, "language", code),
                         "name": str(languages.language_name(code, self.texts.language,
                                                             self.texts.languages)),
                         "code": code}) for code in codes]

    def schedules(self, owner: str, weekly: WeeklyHours, valid_from: date | None = None,
                  valid_to: date | None = None, description: str = "") -> list[Json]:
        """One WEEKLY rule per time slot, the weekdays that share it in BYDAY.

        WKST is left out: RFC 5545's default, Monday, is the week start here.
        """
        days_by_slot: dict[tuple[str, str], list[str]] = {}
        for day, slots in weekly.days:
            for slot in slots:
                key = (f"{slot.opens:%H:%M}", f"{slot.closes:%H:%M}")
                days_by_slot.setdefault(key, []).append(RRULE_DAYS[day])
        rules = []
        for (opens, closes), days in sorted(days_by_slot.items(),
                                            key=lambda kv: (WEEKDAY_ORDER[kv[1][0]], kv[0])):
            byday = ",".join(days)
            rules.append(compact({
                "id": stable_id(self.content, owner, "schedule", byday, opens, closes),
                "valid_from": valid_from.isoformat() if valid_from else "",
                "valid_to": valid_to.isoformat() if valid_to else "",
                "freq": "WEEKLY", "interval": 1, "byday": byday,
                "opens_at": opens, "closes_at": closes,
                "description": description,
            }))
        return rules

    # -- contact points ------------------------------------------------------------------

    def organization(self, name: str) -> Json:
        """An organisation is known by its German name; the first contact point translates it.
        Made once (finding its members goes through every contact point)."""
        if name not in self.organizations:
            self.organizations[name] = self.new_organization(name)
        return self.organizations[name]

    def new_organization(self, name: str) -> Json:
        members = [c for c in self.content.contacts if c.organisation == name]
        places = "; ".join(self.text(c, "name", c.name) for c in members)
        return compact({
            "id": stable_id(self.content, "organization", name),
            "name": self.text(members[0], "organisation", name) if members else name,
            "description": f"{self.ui('Anlaufstellen')}: {places}" if places else name,
        })

    def location(self, contact: ContactPoint) -> Json:
        """The contact point as a location, made once; the same object wherever it is named
        (nothing changes a record once made)."""
        if contact.id not in self.locations:
            self.locations[contact.id] = self.new_location(contact)
        return self.locations[contact.id]

    def new_location(self, contact: ContactPoint) -> Json:
        owner = f"location/{contact.id}"
        coords = contact.coordinates if confirmed(contact, "coordinates") else None
        address = confirmed(contact, "address")
        return compact({
            "id": stable_id(self.content, owner),
            "location_type": "physical",
            "organization_id": stable_id(self.content, "organization", contact.organisation),
            "name": self.text(contact, "name", contact.name),
            "description": self.text(contact, "address.directions", contact.address.directions)
            if address else "",
            "latitude": coords[0] if coords else None,
            "longitude": coords[1] if coords else None,
            "languages": self.languages(owner, contact.languages)
            if confirmed(contact, "languages") else [],
            "addresses": [self.address(contact)] if address else [],
            "contacts": self.persons(contact),
            "accessibility": [{"id": stable_id(self.content, owner, "accessibility"),
                               "description": self.text(contact, "accessibility",
                                                        contact.accessibility)}]
            if contact.accessibility and confirmed(contact, "accessibility") else [],
            "phones": [self.phone(owner, p.number, self.text(contact, "phones.label", p.label))
                       for p in contact.phones] if confirmed(contact, "phones") else [],
            "schedules": self.opening_hours(owner, contact)
            if confirmed(contact, "opening_hours") else [],
        })

    def address(self, contact: ContactPoint) -> Json:
        a, settings = contact.address, self.content.settings
        return compact({
            "id": stable_id(self.content, f"location/{contact.id}", "address"),
            "address_1": a.street, "city": a.city, "region": a.district,
            "state_province": STATES.get(settings.state, settings.state),
            "postal_code": a.postcode, "country": "DE", "address_type": "physical",
        })

    def phone(self, owner: str, number: str, label: str) -> Json:
        return compact({"id": stable_id(self.content, owner, "phone", number),
                        "number": number, "type": "voice", "description": label})

    def persons(self, contact: ContactPoint) -> list[Json]:
        owner = f"location/{contact.id}"
        return [compact({
            "id": stable_id(self.content, owner, "contact", p.name),
            "name": p.name, "title": self.text(contact, "persons.area", p.area), "email": p.email,
            "phones": [self.phone(f"{owner}/contact/{p.name}", p.phone.number, p.phone.label)]
            if p.phone else [],
        }) for p in contact.persons]

    def opening_hours(self, owner: str, contact: ContactPoint) -> list[Json]:
        hours: OpeningHours = contact.opening_hours
        notes = [self.text(contact, f"opening_hours.{f}", getattr(hours, f))
                 for f in ("temporarily_closed", "note") if getattr(hours, f)]
        if hours.by_appointment:
            notes.insert(0, self.ui("Termine nach Vereinbarung"))
        rules = self.schedules(owner, hours.weekly)
        if notes:
            text = " ".join(notes)
            if rules:
                rules = [{**rule, "notes": text} for rule in rules]
            else:
                rules = [{"id": stable_id(self.content, owner, "schedule", "notes"),
                          "description": text}]
        return rules

    # -- offers --------------------------------------------------------------------------

    def service(self, offer: Offer, status: str) -> Json:
        owner = f"service/{offer.id}"
        provider = self.content.contact(offer.provider)
        return compact({
            "id": stable_id(self.content, owner),
            "organization_id": stable_id(self.content, "organization", provider.organisation),
            "name": self.text(offer, "title", offer.title),
            "description": "\n\n".join(filter(None, (
                self.text(offer, "summary", offer.summary),
                self.markdown(offer, "description", offer.description)))),
            "url": offer_url(self.content, offer, self.lang),
            "email": next((c.email for c in self.routes(offer)
                           if c.email and confirmed(c, "email")), ""),
            "status": status,
            "application_process": self.registration(offer)
            if confirmed(offer, "registration") else "",
            "fees_description": self.fees(offer) if confirmed(offer, "cost") else "",
            "eligibility_description": ", ".join(
                self.text(a, "name", a.name) for a in self.content.settings.audiences
                if a.id in offer.audience),
            "assured_date": offer.last_reviewed.isoformat(),
            "last_modified": f"{offer.last_reviewed.isoformat()}T00:00:00.000Z",
            "languages": self.languages(owner, offer.languages)
            if confirmed(offer, "languages") else [],
            "schedules": [] if offer.where_when.place else self.offer_schedules(offer),
            "service_at_locations": self.service_at_locations(offer),
            "organization": self.organization(provider.organisation),
            "attributes": self.attributes(offer),
        })

    def routes(self, offer: Offer) -> list[ContactPoint]:
        """The contact points through which an offer is reached, most specific first."""
        ids = [*offer.contacts, offer.where_when.place, offer.provider]
        return [self.content.contact(i) for i in dict.fromkeys(ids) if i]

    def registration(self, offer: Offer) -> str:
        how = self.text(offer, "registration_how", offer.registration_how)
        if offer.registration_required:
            return " ".join(filter(None, (self.ui("Anmeldung erforderlich."), how)))
        return " ".join(filter(None, (self.ui("Ohne Anmeldung."), how)))

    def fees(self, offer: Offer) -> str:
        cost = self.text(offer, "cost_text", offer.cost_text)
        if offer.cost_free:
            return " ".join(filter(None, (self.ui("Kostenlos."), cost)))
        return cost or self.ui("Kostenpflichtig.")

    def offer_schedules(self, offer: Offer) -> list[Json]:
        if not confirmed(offer, "where_when"):
            return []
        return self.schedules(f"service/{offer.id}", offer.where_when.schedule,
                              offer.valid_from, offer.valid_until,
                              self.text(offer, "where_when.text", offer.where_when.text))

    def service_at_locations(self, offer: Offer) -> list[Json]:
        labels = {"provider": self.ui("Anbieter"), "contact": self.ui("Ansprechpartner"),
                  "place": self.ui("Veranstaltungsort")}
        roles = {offer.provider: "provider"}
        roles.update({c: "contact" for c in offer.contacts})
        if offer.where_when.place:
            roles[offer.where_when.place] = "place"
        service_id = stable_id(self.content, f"service/{offer.id}")
        found = []
        for contact_id, role in sorted(roles.items()):
            contact = self.content.contact(contact_id)
            here = role == "place"
            found.append(compact({
                "id": stable_id(self.content, "service_at_location", offer.id, contact_id),
                "service_id": service_id,
                "location_id": stable_id(self.content, f"location/{contact_id}"),
                "description": labels[role],
                "schedules": self.offer_schedules(offer) if here else [],
                "location": self.location(contact),
            }))
        return found

    def attributes(self, offer: Offer) -> list[Json]:
        settings, service_id = self.content.settings, stable_id(self.content, f"service/{offer.id}")
        terms = [("category", settings.category(offer.category))]
        terms += [("audience", a) for a in settings.audiences if a.id in offer.audience]
        return [{
            "id": stable_id(self.content, "attribute", offer.id, kind, item.id),
            "link_id": service_id, "link_type": kind, "link_entity": "service",
            "taxonomy_term_id": stable_id(self.content, "taxonomy_term", kind, item.id),
            "taxonomy_term": self.term(kind, item),
        } for kind, item in terms]

    def term(self, kind: str, item: Any) -> Json:
        settings = self.content.settings
        taxonomy = f"{paths.absolute(settings.base_url, paths.DATA)}#{kind}" \
            if confirmed(settings, "base_url") else ""  # optional in HSDS: left out
        return compact({
            "id": stable_id(self.content, "taxonomy_term", kind, item.id),
            "code": item.id,
            "name": self.text(item, "name", item.name),
            "description": self.text(item, "description", getattr(item, "description", ""))
            or self.text(item, "name", item.name),
            "taxonomy": taxonomy,
            "language": self.lang,
        })


WEEKDAY_ORDER = {code: i for i, code in enumerate(RRULE_DAYS.values())}


def page(items: list[Json]) -> Json:
    """All records on one page, in the list form of the HSDS API reference."""
    return {"total_items": len(items), "total_pages": 1, "page_number": 1, "size": len(items),
            "first_page": True, "last_page": True, "empty": not items, "contents": items}


def services(content: Content, texts: Localisation) -> list[Json]:
    mapper = Mapper(content, texts)
    return [mapper.service(offer, status) for offer, status in exported_offers(content)]


def organizations(content: Content, texts: Localisation) -> list[Json]:
    """Every organisation with all its contact points, also those no offer names."""
    mapper = Mapper(content, texts)
    members: dict[str, list[ContactPoint]] = {}
    for contact in content.contacts:
        members.setdefault(contact.organisation, []).append(contact)
    return [{**mapper.organization(name), "locations": [mapper.location(c) for c in members[name]]}
            for name in sorted(members)]
