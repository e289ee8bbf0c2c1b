"""The demo chain for `exceed demo`: twelve stores in five countries and 90 days of feedback.

Deterministic for a given seed and day, and created in one transaction: either the whole chain
exists or none of it. Responses are inserted in bulk and the daily measures rebuilt once, which is
what keeps 20,000 responses to a few seconds.
"""

import random
import time
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from exceed.core.statistics import planner_statistics_refresh
from exceed.demo_texts import COMMENTS, JOB_ROLES, NAMES, STAFF_PLAN
from exceed.feedback.models import Answer, Channel, ChannelKind, Invitation, InvitationStatus, Response
from exceed.feedback.rollup import rollup_rebuild
from exceed.feedback.services import channel_create, default_survey_install
from exceed.org.models import Location, Person, Role, Touchpoint
from exceed.org.services import location_create, person_create, region_get_or_create, user_create

DEMO_PASSWORD = "exceed-demo"
LOGINS = [
    ("owner", "owner"),
    ("regional manager", "regional"),
    ("location manager", "manager"),
    ("associate", "associate"),
    ("mystery shopper", "shopper"),
]
DAYS = 90
BATCH = 2000


@dataclass(frozen=True)
class Store:
    code: str
    name: str
    region: str
    timezone: str
    language: str
    address: str
    volume: float  # relative number of responses
    base: float  # mean return likelihood 90 days ago
    trend: float  # change of that mean over the 90 days


REGIONS = {"dk": "Denmark", "fi-ee": "Finland & Estonia", "west": "France & United Kingdom"}
STORES = [
    Store(
        "cph", "Copenhagen Strøget", "dk", "Europe/Copenhagen", "da", "Amagertorv 14, 1160 København K", 1.6, 8.2, 0.4
    ),
    Store("aar", "Aarhus C", "dk", "Europe/Copenhagen", "da", "Søndergade 35, 8000 Aarhus C", 1.1, 7.6, 0.7),
    Store("ode", "Odense Rosengård", "dk", "Europe/Copenhagen", "da", "Ørbækvej 75, 5220 Odense SØ", 0.8, 7.9, -0.8),
    Store(
        "hel",
        "Helsinki Kamppi",
        "fi-ee",
        "Europe/Helsinki",
        "fi",
        "Urho Kekkosen katu 1, 00100 Helsinki",
        1.4,
        8.0,
        0.2,
    ),
    Store("tre", "Tampere Ratina", "fi-ee", "Europe/Helsinki", "fi", "Vuolteenkatu 1, 33100 Tampere", 0.9, 7.3, 0.9),
    Store("tll", "Tallinn Viru", "fi-ee", "Europe/Tallinn", "et", "Viru väljak 4, 10111 Tallinn", 1.2, 8.4, 0.0),
    Store("tar", "Tartu Lõunakeskus", "fi-ee", "Europe/Tallinn", "et", "Ringtee 75, 50501 Tartu", 0.7, 7.8, -0.5),
    Store(
        "par",
        "Paris Le Marais",
        "west",
        "Europe/Paris",
        "fr",
        "12 rue des Francs-Bourgeois, 75003 Paris",
        1.5,
        7.4,
        0.5,
    ),
    Store(
        "lyo", "Lyon Part-Dieu", "west", "Europe/Paris", "fr", "17 rue du Docteur Bouchut, 69003 Lyon", 1.0, 7.0, -0.7
    ),
    Store(
        "bdx",
        "Bordeaux Sainte-Catherine",
        "west",
        "Europe/Paris",
        "fr",
        "45 rue Sainte-Catherine, 33000 Bordeaux",
        0.8,
        8.1,
        0.3,
    ),
    Store(
        "lon", "London Covent Garden", "west", "Europe/London", "en", "24 King Street, London WC2E 8JD", 1.7, 7.7, 0.6
    ),
    Store(
        "man", "Manchester Arndale", "west", "Europe/London", "en", "49 High Street, Manchester M4 3AH", 1.0, 6.9, -0.4
    ),
]
# Where each store is (WGS 84), so the mystery shoppers' list sorts the demo's shops by distance.
COORDINATES = {
    "cph": (55.6787, 12.5793),
    "aar": (56.1541, 10.2063),
    "ode": (55.3826, 10.4343),
    "hel": (60.1690, 24.9320),
    "tre": (61.4920, 23.7670),
    "tll": (59.4363, 24.7537),
    "tar": (58.3587, 26.6800),
    "par": (48.8575, 2.3610),
    "lyo": (45.7610, 4.8560),
    "bdx": (44.8400, -0.5737),
    "lon": (51.5117, -0.1240),
    "man": (53.4833, -2.2393),
}
WEEKDAY_VOLUME = [0.85, 0.9, 0.95, 1.0, 1.15, 1.45, 0.7]
# Touchpoint code → (share of responses, effect on the mean score): deliveries and the phone
# disappoint more often than the shop floor.
TOUCHPOINT_MIX = {
    "in-store": (0.74, 0.0),
    "phone": (0.07, -0.4),
    "web": (0.06, 0.1),
    "delivery": (0.07, -0.7),
    "installation": (0.03, -0.3),
    "email": (0.03, 0.0),
}
NAMED_WEIGHT = {"manager": 0.6, "deputy": 1.0, "associate": 2.2, "cashier": 1.2, "stock": 0.1}
LANGUAGES = ["da", "fr", "et", "fi", "en"]


def demo_exists() -> bool:
    return Location.objects.filter(code__in=[store.code for store in STORES]).exists()


def demo_logins() -> list[tuple[str, str]]:
    return LOGINS


def demo_survey_link() -> str | None:
    channel = (
        Channel.objects.filter(kind=ChannelKind.LINK, active=True, location__code=STORES[0].code).first()
        or Channel.objects.filter(kind=ChannelKind.LINK, active=True).first()
    )
    return channel.slug if channel else None


def demo_chain_create(*, responses: int = 20000, seed: int = 2026, today: date | None = None) -> str:
    """Create the whole demo chain; returns a one-line summary.

    1. Regions, stores, ten people per store, the five logins, a link and a kiosk per store.
    2. ``responses`` responses over the last 90 days, with answers, named staff and invitations.
    3. The daily measures, rebuilt once; then recovery cases over those responses.
    """
    from exceed.recovery.demo import seed_demo_cases
    from exceed.standards.demo import seed_demo_playbook

    started = time.monotonic()
    rng = random.Random(seed)
    with transaction.atomic():
        survey = default_survey_install()
        locations = _stores()
        staff = _people(rng, locations)
        _logins(locations, staff)
        channels = {}
        for store in STORES:
            location = locations[store.code]
            in_store = Touchpoint.objects.get(code="in-store")
            channels[store.code] = {
                # The link every new store gets (feedback.receivers), not a second one.
                ChannelKind.LINK: Channel.objects.get(location=location, kind=ChannelKind.LINK),
                ChannelKind.KIOSK: channel_create(
                    survey=survey,
                    location=location,
                    kind=ChannelKind.KIOSK,
                    touchpoint=in_store,
                    name=f"{store.name} · exit tablet",
                ),
            }
        generator = _ResponseGenerator(
            rng=rng, survey=survey, locations=locations, staff=staff, channels=channels, today=today
        )
        stored = generator.create(responses)
        invitations = generator.open_invitations(max(10, responses // 40))
        rollup_rebuild()
        cases = seed_demo_cases(rng=rng)
        seed_demo_playbook(rng=random.Random(seed))
    __import__("exceed.mystery.demo", fromlist=["seed_demo_mystery"]).seed_demo_mystery(rng=random.Random(seed))
    planner_statistics_refresh()
    return (
        f"{len(STORES)} stores, {sum(len(people) for people in staff.values())} people, {stored} responses, "
        f"{invitations} open invitations, {cases} recovery cases in {time.monotonic() - started:.1f} s."
    )


def _stores() -> dict[str, Location]:
    regions = {code: region_get_or_create(code=code, name=name) for code, name in REGIONS.items()}
    return {
        store.code: location_create(
            code=store.code,
            name=store.name,
            region=regions[store.region],
            timezone=store.timezone,
            default_language=store.language,
            address=store.address,
            latitude=COORDINATES[store.code][0],
            longitude=COORDINATES[store.code][1],
        )
        for store in STORES
    }


@dataclass
class StaffMember:
    person: Person
    kind: str
    first_name: str
    effect: float  # this person's pull on the scores of the customers they serve


def _ascii(text: str) -> str:
    text = text.replace("ø", "o").replace("æ", "ae").replace("Ø", "O").replace("Æ", "AE").replace("'", "")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def _people(rng: random.Random, locations: dict[str, Location]) -> dict[str, list[StaffMember]]:
    staff: dict[str, list[StaffMember]] = {}
    used: set[str] = set()
    for store in STORES:
        women, men, surnames = NAMES[store.language]
        members = []
        for number, kind in enumerate(STAFF_PLAN, start=1):
            female = rng.random() < 0.55
            while True:
                first, last = rng.choice(women if female else men), rng.choice(surnames)
                if f"{first} {last}" not in used:
                    break
            used.add(f"{first} {last}")
            person = person_create(
                name=f"{first} {last}",
                email=f"{_ascii(first)}.{_ascii(last)}@nordlys-retail.example",
                job_role=JOB_ROLES[store.language][kind][0 if female else 1],
                external_ref=f"{store.code.upper()}-{number:03d}",
                locations=[locations[store.code]],
                # The demo's staff agreed to be named on the survey's "Who served you?".
                shown_to_customers=True,
            )
            members.append(StaffMember(person, kind, first, rng.gauss(0, 0.6)))
        staff[store.code] = members
    return staff


def _logins(locations: dict[str, Location], staff: dict[str, list[StaffMember]]) -> None:
    home = STORES[0]
    region = locations[home.code].region
    manager = staff[home.code][0].person
    associate = staff[home.code][2].person
    user_create(username="owner", email="owner@nordlys-retail.example", password=DEMO_PASSWORD, role=Role.OWNER)
    user_create(
        username="regional",
        email="regional@nordlys-retail.example",
        password=DEMO_PASSWORD,
        role=Role.REGIONAL_MANAGER,
        regions=[region],
    )
    user_create(
        username="manager",
        email=manager.email,
        password=DEMO_PASSWORD,
        role=Role.LOCATION_MANAGER,
        locations=[locations[home.code]],
        person=manager,
    )
    user_create(
        username="associate", email=associate.email, password=DEMO_PASSWORD, role=Role.ASSOCIATE, person=associate
    )
    user_create(username="shopper", email="shopper@example.net", password=DEMO_PASSWORD, role=Role.MYSTERY_SHOPPER)


class _ResponseGenerator:
    """Plausible responses: each store has its level and trend, each employee their own pull."""

    def __init__(self, *, rng, survey, locations, staff, channels, today):
        self.rng = rng
        self.locations = locations
        self.staff = staff
        self.channels = channels
        self.now = timezone.now()
        self.today = today or timezone.localdate()
        self.questions = {question.code: question.pk for question in survey.questions.all()}
        self.survey = survey
        self.touchpoints = {tp.code: tp.pk for tp in Touchpoint.objects.filter(code__in=TOUCHPOINT_MIX)}
        self.customer = 0

    def create(self, total: int) -> int:
        cells = [(store, day) for store in STORES for day in range(DAYS)]
        weights = [
            store.volume * WEEKDAY_VOLUME[self._date(day).weekday()] * (0.9 + 0.2 * day / DAYS) for store, day in cells
        ]
        counts = dict.fromkeys(cells, 0)
        for cell in self.rng.choices(cells, weights, k=total):
            counts[cell] += 1
        planned = [self._one(store, day) for (store, day), count in counts.items() for _ in range(count)]
        for start in range(0, len(planned), BATCH):
            self._insert(planned[start : start + BATCH])
        return len(planned)

    def _date(self, day: int) -> date:
        return self.today - timedelta(days=DAYS - 1 - day)

    def _one(self, store: Store, day: int) -> dict:
        rng = self.rng
        codes = list(TOUCHPOINT_MIX)
        touchpoint = rng.choices(codes, [TOUCHPOINT_MIX[code][0] for code in codes])[0]
        named = self._named(store) if rng.random() < 0.6 else []
        mean = store.base + store.trend * day / (DAYS - 1) + TOUCHPOINT_MIX[touchpoint][1]
        mean += sum(member.effect for member in named) / max(1, len(named))
        if self._date(day).weekday() == 5:
            mean -= 0.3  # Saturdays are busy and service thins out
        score = max(0, min(10, round(rng.gauss(mean + 0.4, 1.7))))
        language = self._language(store)
        comment = self._comment(score, language, named) if rng.random() < 0.35 else ""
        consent = rng.random() < (0.25 if score <= 6 else 0.06)
        self.customer += 1
        return {
            "store": store,
            "touchpoint": touchpoint,
            "submitted_at": self._moment(store, day),
            "score": score,
            "expectation": self._expectation(score),
            "language": language,
            "comment": comment,
            "named": named,
            "consent": consent,
            "email": f"customer{self.customer}@example.net" if consent else "",
        }

    def _named(self, store: Store) -> list[StaffMember]:
        members = self.staff[store.code]
        weights = [NAMED_WEIGHT[member.kind] for member in members]
        first = self.rng.choices(members, weights)[0]
        if self.rng.random() < 0.1:
            second = self.rng.choices(members, weights)[0]
            if second is not first:
                return [first, second]
        return [first]

    def _language(self, store: Store) -> str:
        roll = self.rng.random()
        if store.language == "en":
            return "en" if roll < 0.94 else self.rng.choice(["fr", "da", "fi", "et"])
        if roll < 0.82:
            return store.language
        return (
            "en" if roll < 0.94 else self.rng.choice([code for code in LANGUAGES if code not in (store.language, "en")])
        )

    def _expectation(self, score: int) -> int:
        if score >= 9:
            weights = (0.02, 0.33, 0.65)
        elif score >= 7:
            weights = (0.10, 0.75, 0.15)
        else:
            weights = (0.60, 0.38, 0.02)
        return self.rng.choices((-1, 0, 1), weights)[0]

    def _comment(self, score: int, language: str, named: list[StaffMember]) -> str:
        mood = "positive" if score >= 9 else "neutral" if score >= 7 else "negative"
        options = [text for text in COMMENTS[language][mood] if named or "{name}" not in text]
        return self.rng.choice(options).format(name=named[0].first_name if named else "")

    def _moment(self, store: Store, day: int) -> datetime:
        local = datetime.combine(self._date(day), datetime.min.time()).replace(
            hour=self.rng.choices(range(10, 20), [3, 5, 7, 6, 6, 7, 8, 9, 7, 4])[0],
            minute=self.rng.randrange(60),
            second=self.rng.randrange(60),
        )
        moment = local.replace(tzinfo=self.locations[store.code].zone)
        # Today's responses cannot come from later today.
        return min(moment, self.now - timedelta(minutes=self.rng.randrange(1, 90)))

    def _insert(self, planned: list[dict]) -> None:
        invitations = {}
        for index, spec in enumerate(planned):
            if spec["touchpoint"] != "in-store" and self.rng.random() < 0.7:
                invitations[index] = self._invitation(spec, InvitationStatus.ANSWERED)
        Invitation.objects.bulk_create(invitations.values())
        responses = Response.objects.bulk_create(
            self._response(spec, invitations.get(index)) for index, spec in enumerate(planned)
        )
        answers, links = [], []
        for response, spec in zip(responses, planned):
            answers += self._answers(response, spec)
            links += [
                Response.people.through(response_id=response.pk, person_id=member.person.pk) for member in spec["named"]
            ]
        Answer.objects.bulk_create(answers, batch_size=5000)
        Response.people.through.objects.bulk_create(links, batch_size=5000, ignore_conflicts=True)

    def _invitation(self, spec: dict, status: str) -> Invitation:
        submitted = spec["submitted_at"]
        sent = submitted - timedelta(hours=self.rng.uniform(1, 48))
        answered = status == InvitationStatus.ANSWERED
        return Invitation(
            survey=self.survey,
            location=self.locations[spec["store"].code],
            touchpoint_id=self.touchpoints[spec["touchpoint"]],
            person=spec["named"][0].person if spec["named"] else None,
            email=f"invited{self.rng.randrange(10**6)}@example.net",
            language=spec["language"],
            transaction_ref=f"{spec['store'].code.upper()}-{self.rng.randrange(10**7):07d}",
            status=status,
            error="550 5.1.1 Mailbox does not exist" if status == InvitationStatus.FAILED else "",
            sent_at=None if status in (InvitationStatus.PENDING, InvitationStatus.FAILED) else sent,
            opened_at=submitted - timedelta(minutes=5)
            if status in (InvitationStatus.OPENED, InvitationStatus.ANSWERED)
            else None,
            answered_at=submitted if answered else None,
        )

    def _response(self, spec: dict, invitation: Invitation | None) -> Response:
        store = spec["store"]
        channel_kind = ChannelKind.EMAIL if invitation else ChannelKind.API
        channel = None
        if spec["touchpoint"] == "in-store":
            channel_kind = ChannelKind.LINK if self.rng.random() < 0.55 else ChannelKind.KIOSK
            channel = self.channels[store.code][channel_kind]
        return Response(
            survey=self.survey,
            channel=channel,
            channel_kind=channel_kind,
            invitation=invitation,
            location=self.locations[store.code],
            touchpoint_id=self.touchpoints[spec["touchpoint"]],
            language=spec["language"],
            submitted_at=spec["submitted_at"],
            local_date=spec["submitted_at"].astimezone(self.locations[store.code].zone).date(),
            transaction_ref=invitation.transaction_ref if invitation else "",
            return_likelihood=spec["score"],
            expectation=spec["expectation"],
            comment=spec["comment"],
            contact_consent=spec["consent"],
            contact_email=spec["email"],
        )

    def _answers(self, response: Response, spec: dict) -> list[Answer]:
        question = self.questions
        answers = [
            Answer(response_id=response.pk, question_id=question["return"], number=spec["score"]),
            Answer(response_id=response.pk, question_id=question["expectation"], number=spec["expectation"]),
        ]
        if spec["comment"]:
            answers.append(Answer(response_id=response.pk, question_id=question["difference"], text=spec["comment"]))
        if spec["named"]:
            answers.append(
                Answer(
                    response_id=response.pk,
                    question_id=question["served_by"],
                    choices=[str(m.person.pk) for m in spec["named"]],
                )
            )
        if spec["consent"] or self.rng.random() < 0.5:
            answers.append(
                Answer(response_id=response.pk, question_id=question["contact"], number=int(spec["consent"]))
            )
        return answers

    def open_invitations(self, count: int) -> int:
        """Invitations still on their way: pending, sent, opened or bounced."""
        states = (
            [InvitationStatus.SENT] * 5
            + [InvitationStatus.OPENED] * 3
            + [InvitationStatus.FAILED, InvitationStatus.PENDING]
        )
        invitations = []
        for _ in range(count):
            store = self.rng.choice(STORES)
            day = self.rng.randrange(DAYS - 10, DAYS)
            spec = {
                "store": store,
                "touchpoint": self.rng.choice(["delivery", "installation", "phone", "web"]),
                "submitted_at": self._moment(store, day),
                "named": self._named(store) if self.rng.random() < 0.5 else [],
                "language": store.language,
            }
            invitations.append(self._invitation(spec, self.rng.choice(states)))
        Invitation.objects.bulk_create(invitations)
        return len(invitations)
