"""The typed, immutable model that every renderer reads. Templates never see raw dicts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time
from functools import cached_property
from typing import TYPE_CHECKING, Any

from wegweiser.content.schema import default
from wegweiser.problems import Location

if TYPE_CHECKING:
    from wegweiser.content.load import Sources

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True)
class Language:
    code: str
    name: str
    dir: str = "ltr"
    formats: str = ""  # locale for dates and numbers, when it differs from `code`
    names: tuple[tuple[str, str], ...] = ()  # (reader's language, name), where CLDR has none

    @property
    def locale(self) -> str:
        return self.formats or self.code

    @property
    def rtl(self) -> bool:
        return self.dir == "rtl"


@dataclass(frozen=True)
class Category:
    id: str
    name: str
    icon: str
    description: str = ""


@dataclass(frozen=True)
class Audience:
    id: str
    name: str


@dataclass(frozen=True)
class TimeSlot:
    opens: time
    closes: time


@dataclass(frozen=True)
class WeeklyHours:
    """Time slots per weekday, Monday first; days without slots are left out."""

    days: tuple[tuple[str, tuple[TimeSlot, ...]], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.days)


@dataclass(frozen=True)
class HoursException:
    start: date
    end: date
    closed: bool = False
    hours: WeeklyHours = WeeklyHours()
    note: str = ""


@dataclass(frozen=True)
class OpeningHours:
    weekly: WeeklyHours = WeeklyHours()
    by_appointment: bool = False
    temporarily_closed: str = ""
    note: str = ""
    exceptions: tuple[HoursException, ...] = ()


@dataclass(frozen=True)
class Address:
    street: str
    postcode: str
    city: str
    district: str = ""
    directions: str = ""

    def one_line(self) -> str:
        return f"{self.street}, {self.postcode} {self.city}"

    @property
    def shown_district(self) -> str:
        """The district as an address shows it after the town: not where it only repeats
        the town (in a Kreis the districts are its towns: "51469 Bergisch Gladbach")."""
        return "" if self.district == self.city else self.district


@dataclass(frozen=True)
class Phone:
    number: str
    label: str = ""

    @property
    def uri(self) -> str:
        """A tel: link; German numbers are written without the leading 0 and with +49."""
        digits = "".join(c for c in self.number if c.isdigit() or c == "+")
        if digits.startswith("+"):
            return f"tel:{digits}"
        if digits.startswith("00"):
            return f"tel:+{digits[2:]}"
        return f"tel:+49{digits[1:]}" if digits.startswith("0") else f"tel:{digits}"


@dataclass(frozen=True)
class Person:
    name: str
    area: str
    phone: Phone | None = None
    email: str = ""


@dataclass(frozen=True)
class Link:
    title: str
    url: str


@dataclass(frozen=True)
class ContactPoint:
    id: str
    name: str
    organisation: str
    address: Address
    last_reviewed: date
    source: Location
    coordinates: tuple[float, float] | None = None
    phones: tuple[Phone, ...] = ()
    email: str = ""
    website: str = ""
    opening_hours: OpeningHours = OpeningHours()
    languages: tuple[str, ...] = ()
    accessibility: str = ""
    persons: tuple[Person, ...] = ()
    example_values: frozenset[str] = frozenset()
    public_body: bool = False  # run by a public body, besides the KI's own organisation


@dataclass(frozen=True)
class WhereWhen:
    place: str = ""
    schedule: WeeklyHours = WeeklyHours()
    text: str = ""


@dataclass(frozen=True)
class Offer:
    id: str
    title: str
    summary: str
    description: str
    category: str
    audience: tuple[str, ...]
    languages: tuple[str, ...]
    provider: str
    cost_free: bool
    registration_required: bool
    last_reviewed: date
    source: Location
    cost_text: str = ""
    registration_how: str = ""
    contacts: tuple[str, ...] = ()
    where_when: WhereWhen = WhereWhen()
    district: str = ""
    accessibility: str = ""
    links: tuple[Link, ...] = ()
    valid_from: date | None = None
    valid_until: date | None = None
    in_brochure: bool = True
    example_values: frozenset[str] = frozenset()

    def published_on(self, day: date) -> bool:
        starts = self.valid_from is None or self.valid_from <= day
        return starts and (self.valid_until is None or day <= self.valid_until)


def confirmed(item: Offer | ContactPoint | Settings, field: str) -> bool:
    """False for a field the editors marked as an example value (example_values).

    The website and the brochure show such values with a note; a machine reading the
    open data, the JSON-LD or a calendar feed would take them for facts, so those leave
    them out.
    """
    return field not in item.example_values


@dataclass(frozen=True)
class Notice:
    id: str
    severity: str
    title: str
    text: str
    start: date
    end: date | None = None

    def active_on(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class Page:
    id: str
    title: str
    body: str
    source: Location
    description: str = ""
    order: int = 100
    in_brochure: bool = False
    role: str = ""


@dataclass(frozen=True)
class Occurrence:
    """One date of the monthly programme, single or expanded from a recurring slot."""

    uid: str
    entry_id: str
    day: date
    start: time
    end: time
    title: str
    host: str
    venue: str
    source: Location
    topic: str = ""
    room: str = ""
    languages: tuple[str, ...] = ()
    registration_required: bool = False
    registration_how: str = ""
    description: str = ""
    status: str = "scheduled"  # scheduled | cancelled | moved
    moved_from: date | None = None
    note: str = ""
    recurring: bool = False


@dataclass(frozen=True)
class Recurrence:
    weekday: str
    every: str  # week | 2 weeks | month
    week_of_month: int = 0
    first: date | None = None


@dataclass(frozen=True)
class RecurringSlot:
    id: str
    recurrence: Recurrence
    dates: tuple[date, ...]  # the regular dates inside the month, as the rule gives them
    exdates: tuple[date, ...]  # regular dates that do not take place (cancelled, moved, holiday)
    start: time | None = None  # the regular times; a moved date may have others
    end: time | None = None
    holidays: tuple[date, ...] = ()  # regular dates left out because of a public holiday


@dataclass(frozen=True)
class ProgrammeMonth:
    month: str  # YYYY-MM
    venue: str
    source: Location
    occurrences: tuple[Occurrence, ...]
    slots: tuple[RecurringSlot, ...] = ()
    intro: str = ""

    @property
    def first_day(self) -> date:
        return date.fromisoformat(f"{self.month}-01")


@dataclass(frozen=True)
class BrochureSettings:
    """The brochure's title and imprint (site.yml `brochure`); empty where not given."""

    title: str = ""
    edition: str = ""  # YYYY-MM; the build's month if not given
    publisher: str = ""  # the organisation if not given
    publisher_address: Address | None = None
    responsible: str = ""
    printer: str = ""
    print_run: int | None = None


@dataclass(frozen=True)
class ProgrammeSettings:
    """What the monthly programme is called and where it takes place (site.yml `programme`).

    Both are texts of the KI, translated like its name; empty where not given, and the
    pages then say "Programm" and name no place."""

    name: str = ""  # e.g. "Programm des Service-Point Integration"
    where: str = ""  # with preposition and article, e.g. "im Service-Point Integration"


@dataclass(frozen=True)
class AreaSettings:
    """The area the KI serves (site.yml `area`): a city, a Kreis or a Städteregion.

    `where` is the area with the preposition and article German needs ("im
    Rheinisch-Bergischen Kreis"); `district_label` names one of its `districts` ("Stadtteil",
    "Stadt oder Gemeinde"). Both are translated like the KI's name; empty where not given."""

    kind: str = field(default_factory=lambda: site_default("area", "kind"))
    where: str = ""
    district_label: str = ""

    @property
    def is_city(self) -> bool:
        return self.kind == "Stadt"


@dataclass(frozen=True)
class DataLicence:
    """The licence of the open data (site.yml `data_licence`)."""

    name: str
    url: str


@dataclass(frozen=True)
class Settings:
    name: str
    organisation: str
    city: str
    base_url: str
    contact: str
    languages: tuple[Language, ...]
    categories: tuple[Category, ...]
    audiences: tuple[Audience, ...]
    short_name: str = ""
    service_point: str = ""
    state: str = field(default_factory=lambda: site_default("state"))
    timezone: str = field(default_factory=lambda: site_default("timezone"))
    districts: tuple[str, ...] = ()
    area: AreaSettings = field(default_factory=lambda: AreaSettings())
    programme: ProgrammeSettings = field(default_factory=lambda: ProgrammeSettings())
    review_after_months: int = field(default_factory=lambda: site_default("review_after_months"))
    expiry_warning_days: int = field(default_factory=lambda: site_default("expiry_warning_days"))
    translations_warn_below: int = field(
        default_factory=lambda: site_default("translations", "warn_below"))
    brochure: BrochureSettings = field(default_factory=lambda: BrochureSettings())
    data_licence: DataLicence | None = None
    # site.yml's example_values: e.g. base_url while the portal's address is not decided;
    # the machine-readable outputs then leave the address out (see confirmed()).
    example_values: frozenset[str] = frozenset()

    @property
    def source_language(self) -> Language:
        return self.languages[0]

    def language(self, code: str) -> Language:
        return next(lang for lang in self.languages if lang.code == code)

    def category(self, id: str) -> Category:
        return next(c for c in self.categories if c.id == id)


def site_default(*path: str) -> Any:
    """A default of site.yml, as site.schema.json gives it (not written a second time here)."""
    return default("site", *path)


@dataclass(frozen=True)
class Content:
    """Everything the renderers need, validated and consistent."""

    settings: Settings
    today: date
    offers: tuple[Offer, ...]  # published today, sorted by id
    unpublished: tuple[Offer, ...]
    contacts: tuple[ContactPoint, ...]
    programme: tuple[ProgrammeMonth, ...]
    notices: tuple[Notice, ...]
    pages: tuple[Page, ...]
    files: int = 0
    # The documents the model was built from, with their line numbers, for the catalogs:
    # reading them again costs as much as loading (None: a model made in code).
    sources: Sources | None = field(default=None, compare=False, repr=False)

    def contact(self, id: str) -> ContactPoint:
        return self._contacts[id]

    @cached_property
    def _contacts(self) -> dict[str, ContactPoint]:
        return {c.id: c for c in self.contacts}

    def offers_in(self, category: str) -> tuple[Offer, ...]:
        return tuple(o for o in self.offers if o.category == category)

    @cached_property
    def example_texts(self) -> tuple[str, ...]:
        """Contact details marked as example values, as they are written, so a free text
        that quotes one (an e-mail in a registration note) can be marked as well."""
        found: list[str] = []
        for c in self.contacts:
            marked = c.example_values
            found += [c.email] if "email" in marked and c.email else []
            found += [c.website] if "website" in marked and c.website else []
            found += [p.number for p in c.phones] if "phones" in marked else []
            found += [c.address.street] if "address" in marked else []
        return tuple(dict.fromkeys(found))

    def active_notices(self) -> tuple[Notice, ...]:
        return tuple(n for n in self.notices if n.active_on(self.today))
