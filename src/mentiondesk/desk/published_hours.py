"""Published hours: opening and closing posts per channel, and the out-of-hours acknowledgement.

Customers forgive a wait they were told about. The posts and the acknowledgement are derived
from the same :class:`BusinessCalendar` the SLA clocks use, so what the brand promises and what
it is measured against never drift apart. Unknown languages fall back to English.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from mentiondesk.domain.business_time import BusinessCalendar, NeverOpenError, require_aware

__all__ = [
    "SUPPORTED_LANGUAGES",
    "PostKind",
    "ScheduledPost",
    "Texts",
    "built_in_texts",
    "closing_text",
    "opening_text",
    "out_of_hours_ack",
    "schedule_posts",
]


class PostKind(StrEnum):
    OPENING = "opening"
    CLOSING = "closing"


@dataclass(frozen=True, slots=True)
class ScheduledPost:
    """A post to publish on ``channel`` at ``at`` (UTC)."""

    channel: str
    kind: PostKind
    at: datetime
    language: str
    text: str


@dataclass(frozen=True, slots=True)
class _Language:
    """Words and sentence frames of one language; ``{when}``/``{until}`` are filled in."""

    weekdays: tuple[str, ...]  # as in "on Monday at 8:00"
    weekdays_until: tuple[str, ...]  # as in "until Monday"
    months: tuple[str, ...]  # as in "12 January"
    today: str
    tomorrow: str
    tomorrow_until: str
    opening: str
    always_open: str
    closing: str
    closing_no_return: str
    ack: str
    ack_no_return: str


_EN = _Language(
    weekdays=(
        "on Monday",
        "on Tuesday",
        "on Wednesday",
        "on Thursday",
        "on Friday",
        "on Saturday",
        "on Sunday",
    ),
    weekdays_until=(
        "on Monday",
        "on Tuesday",
        "on Wednesday",
        "on Thursday",
        "on Friday",
        "on Saturday",
        "on Sunday",
    ),
    months=(
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
    today="today",
    tomorrow="tomorrow",
    tomorrow_until="tomorrow",
    opening="We're here until {until}. Send us a message and one of us will answer.",
    always_open="We're here around the clock. Send us a message and one of us will answer.",
    closing="We're signing off for now. We're back {when}: leave us a message and we'll "
    "answer then.",
    closing_no_return="We're signing off for now. Leave us a message and we'll answer as soon "
    "as we're back.",
    ack="Thanks for your message! We're away right now. We're back {when}, and a person from "
    "our team will answer you then.",
    ack_no_return="Thanks for your message! We're away right now; a person from our team will "
    "answer you as soon as we're back.",
)

_PL = _Language(
    weekdays=(
        "w poniedziałek",
        "we wtorek",
        "w środę",
        "w czwartek",
        "w piątek",
        "w sobotę",
        "w niedzielę",
    ),
    weekdays_until=("poniedziałku", "wtorku", "środy", "czwartku", "piątku", "soboty", "niedzieli"),
    months=(
        "stycznia",
        "lutego",
        "marca",
        "kwietnia",
        "maja",
        "czerwca",
        "lipca",
        "sierpnia",
        "września",
        "października",
        "listopada",
        "grudnia",
    ),
    today="dziś",
    tomorrow="jutro",
    tomorrow_until="jutra",
    opening="Jesteśmy tu do {until}. Napisz do nas, a odpowie Ci ktoś z naszego zespołu.",
    always_open="Jesteśmy tu przez całą dobę. Napisz do nas, a odpowie Ci ktoś z naszego zespołu.",
    closing="Na razie kończymy. Wracamy {when}: zostaw wiadomość, a odpiszemy po powrocie.",
    closing_no_return="Na razie kończymy. Zostaw wiadomość, a odpiszemy, gdy tylko wrócimy.",
    ack="Dziękujemy za wiadomość! Teraz nas nie ma. Wracamy {when} i wtedy odpowie Ci ktoś "
    "z naszego zespołu.",
    ack_no_return="Dziękujemy za wiadomość! Teraz nas nie ma; ktoś z naszego zespołu odpowie "
    "Ci, gdy tylko wrócimy.",
)

_IT = _Language(
    weekdays=("lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato", "domenica"),
    weekdays_until=("lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato", "domenica"),
    months=(
        "gennaio",
        "febbraio",
        "marzo",
        "aprile",
        "maggio",
        "giugno",
        "luglio",
        "agosto",
        "settembre",
        "ottobre",
        "novembre",
        "dicembre",
    ),
    today="oggi",
    tomorrow="domani",
    tomorrow_until="domani",
    opening="Siamo qui fino {until}. Scrivici e ti risponderà una persona del nostro team.",
    always_open="Siamo qui 24 ore su 24. Scrivici e ti risponderà una persona del nostro team.",
    closing="Per ora chiudiamo. Torniamo {when}: lasciaci un messaggio e ti risponderemo al "
    "rientro.",
    closing_no_return="Per ora chiudiamo. Lasciaci un messaggio e ti risponderemo appena torniamo.",
    ack="Grazie per il messaggio! In questo momento non ci siamo. Torniamo {when} e una "
    "persona del nostro team ti risponderà.",
    ack_no_return="Grazie per il messaggio! In questo momento non ci siamo; una persona del "
    "nostro team ti risponderà appena torniamo.",
)

_LANGUAGES = {"en": _EN, "pl": _PL, "it": _IT}
SUPPORTED_LANGUAGES = frozenset(_LANGUAGES)


def built_in_texts(language: str) -> dict[str, str]:
    """The built-in frames of a language, as a team's own texts are written (the page shows
    them as placeholders of the empty fields)."""
    words = _language(language)[1]
    return {"opening": words.opening, "closing": words.closing, "ack": words.ack}


def _language(code: str) -> tuple[str, _Language]:
    key = code.lower().replace("_", "-").partition("-")[0]
    return (key, _LANGUAGES[key]) if key in _LANGUAGES else ("en", _EN)


def _clock(lang: str, moment: datetime) -> str:
    """The time with its preposition: "at 8:00", "o 8:00", "alle 8:00" (but "all'1:00")."""
    hhmm = f"{moment.hour}:{moment.minute:02d}"
    if lang == "pl":
        return f"o {hhmm}"
    if lang == "it":
        return f"all'{hhmm}" if moment.hour == 1 else f"alle {hhmm}"
    return f"at {hhmm}"


def _day(words: _Language, day: date, ref: date, *, until: bool) -> str | None:
    """How ``day`` is named seen from ``ref``; ``None`` for the same day."""
    ahead = (day - ref).days
    if ahead == 0:
        return None
    if ahead == 1:
        return words.tomorrow_until if until else words.tomorrow
    name = (words.weekdays_until if until else words.weekdays)[day.weekday()]
    if ahead < 7:
        return name
    month = words.months[day.month - 1]
    return f"{name} {day.day} {month}"


def _when(lang: str, words: _Language, moment: datetime, ref: date) -> str:
    """ "tomorrow at 8:00", "w poniedziałek o 8:00", "lunedì 12 gennaio alle 8:00"."""
    day = _day(words, moment.date(), ref, until=False) or words.today
    return f"{day} {_clock(lang, moment)}"


def _until(lang: str, words: _Language, moment: datetime, ref: date) -> str:
    """What follows "until": "20:00", "2:00 tomorrow", "jutra, do 2:00", "alle 20:00"."""
    hhmm = f"{moment.hour}:{moment.minute:02d}"
    day = _day(words, moment.date(), ref, until=True)
    if lang == "pl":
        return hhmm if day is None else f"{day}, do {hhmm}"
    if lang == "it":
        return _clock(lang, moment) if day is None else f"a {day} {_clock(lang, moment)}"
    return hhmm if day is None else f"{hhmm} {day}"


Texts = Mapping[str, Mapping[str, str]]
"""The team's own texts by language and kind (``domain/desk_texts.py``); missing: built in."""


def _own(texts: Texts | None, lang: str, kind: str) -> str | None:
    return (texts or {}).get(lang, {}).get(kind) or None


def _fill(own: str | None, frame: str, placeholder: str, value: str | None, fallback: str) -> str:
    """The team's text (or the built-in ``frame``) with ``{placeholder}`` filled; ``fallback``
    when there is no value for a text that needs one (the desk never opens again)."""
    text = own or frame
    marker = "{" + placeholder + "}"
    if value is None:
        return fallback if marker in text or own is None else text
    return text.replace(marker, value)


def opening_text(
    calendar: BusinessCalendar, at: datetime, language: str, texts: Texts | None = None
) -> str:
    """The post for the moment the desk opens: until when someone is there."""
    lang, words = _language(language)
    own = _own(texts, lang, "opening")
    closes = calendar.next_closing(at)
    if closes is None:
        return words.always_open if own is None or "{until}" in own else own
    ref = calendar.local(at).date()
    until = _until(lang, words, calendar.local(closes), ref)
    return _fill(own, words.opening, "until", until, words.always_open)


def closing_text(
    calendar: BusinessCalendar, at: datetime, language: str, texts: Texts | None = None
) -> str:
    """The post for the moment the desk closes: when it is back, holidays and weekends skipped."""
    lang, words = _language(language)
    own = _own(texts, lang, "closing")
    try:
        back = calendar.next_opening(at)
    except NeverOpenError:
        return _fill(own, words.closing, "when", None, words.closing_no_return)
    ref = calendar.local(at).date()
    when = _when(lang, words, calendar.local(back), ref)
    return _fill(own, words.closing, "when", when, words.closing_no_return)


def out_of_hours_ack(
    calendar: BusinessCalendar, at: datetime, language: str, texts: Texts | None = None
) -> str | None:
    """Tell a customer who writes while the desk is closed when a person will answer.

    ``None`` while the desk is open: a person answers, no automatic message is needed.
    """
    if calendar.is_open(at):
        return None
    lang, words = _language(language)
    own = _own(texts, lang, "ack")
    try:
        back = calendar.next_opening(at)
    except NeverOpenError:
        return _fill(own, words.ack, "when", None, words.ack_no_return)
    ref = calendar.local(at).date()
    when = _when(lang, words, calendar.local(back), ref)
    return _fill(own, words.ack, "when", when, words.ack_no_return)


def schedule_posts(
    calendar: BusinessCalendar,
    channels: Mapping[str, str],
    first_day: date,
    last_day: date,
    texts: Texts | None = None,
) -> list[ScheduledPost]:
    """Opening and closing posts for local days ``first_day`` to ``last_day`` inclusive.

    ``channels`` maps each channel to the language its audience reads. Ordered by time, then
    channel, so a publisher can walk the list.
    """
    zone = calendar.zone
    start = datetime.combine(first_day, time(), tzinfo=zone)
    end = datetime.combine(last_day + timedelta(days=1), time(), tzinfo=zone)
    posts = []
    for at, opens in calendar.transitions(require_aware(start), require_aware(end)):
        kind = PostKind.OPENING if opens else PostKind.CLOSING
        for channel, language in sorted(channels.items()):
            text = (
                opening_text(calendar, at, language, texts)
                if opens
                else closing_text(calendar, at, language, texts)
            )
            posts.append(ScheduledPost(channel, kind, at, _language(language)[0], text))
    return posts
