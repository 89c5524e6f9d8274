"""``redirect_while_closed``: sending the customer to a hotline that will not answer.

Two ways to get it wrong: "please call our hotline" while the line is closed right now, and
"please call our hotline on Saturday evening" when it is never open then. The sentence with the
redirect is read for when the agent says to call (a weekday, today/tomorrow, a part of the day,
an hour, in Polish, Italian or English); that is compared with the workspace's hotline hours.
A reply that states the hours itself ("8-16", "w godzinach otwarcia") is trusted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from functools import cache

from mentiondesk.replies.guard.model import GuardContext, HotlineSchedule

__all__ = ["CallTime", "closed_hotline_message", "when_to_call"]

_DAY_END = time(23, 59, 59, 999999)
_WEEKDAYS: tuple[tuple[int, str], ...] = (
    (0, r"monday|poniedziałe?k\w*|luned[iì]"),
    (1, r"tuesday|wtor(?:ek|ku)|marted[iì]"),
    (2, r"wednesday|środ(?:a|ę|y|zie)|mercoled[iì]"),
    (3, r"thursday|czwart(?:ek|ku)|gioved[iì]"),
    (4, r"friday|piąt(?:ek|ku)|venerd[iì]"),
    (5, r"saturday|sobot(?:a|ę|y|ie)|sabato"),
    (6, r"sunday|niedziel(?:a|ę|i)|domenica"),
)
_WEEKEND = r"(?:the |this |over the |w |nel |durante il )?weekend"
_TODAY = r"today|dziś|dzisiaj|oggi"
_TOMORROW = r"tomorrow|jutro|domani"
# (part of the day, its window); "tonight"/"stasera" also mean today.
_MORNING = r"(?:this )?morning|rano|rankiem|przed południem|(?:sta|di |la |in )?mattin[ao]"
_AFTERNOON = r"(?:this )?afternoon|po ?południu|(?:di |nel )?pomeriggio"
_EVENING = r"(?:this )?evening|tonight|wieczor(?:em)?|wieczór|(?:sta|di |la |in )?sera(?:ta)?"
_NIGHT = r"(?:at |during the )?night|w nocy|nocą|(?:sta|di |la |in )?notte"
_PARTS: tuple[tuple[str, time, time], ...] = (
    (_MORNING, time(6), time(12)),
    (_AFTERNOON, time(12), time(18)),
    (_EVENING, time(18), time(22)),
    (_NIGHT, time(22), _DAY_END),
)
_HOUR = re.compile(
    r"(?<!\w)(?:at|after|before|around|from|o|około|po|przed|od|alle|dalle|verso le|dopo le"
    r"|prima delle)\s+(?:godz(?:\.|inie)?\s+)?(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?",
    re.IGNORECASE,
)
# The agent states the hours: a range, or the words for opening hours.
_STATED = re.compile(
    r"(?<![\d-])\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm)?\s*(?:-|–|—|to|do|alle|until)\s*"
    r"\d{1,2}(?:[:.]\d{2})?(?![\d-])"
    r"|opening hours|office hours|open (?:from|between|until)|between \d"
    r"|godzin(?:ach|y) (?:otwarcia|pracy)|w godzinach|w dni robocze|czynn\w*"
    r"|orari\w*|in orario|dal lunedì|aperto dalle|attivo dal",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class CallTime:
    """When a reply tells the customer to call: weekdays (None: any) and windows (None: all
    day); ``said`` is the text that said so."""

    days: frozenset[int] | None
    windows: tuple[tuple[time, time], ...] | None
    said: str


@cache
def _day_pattern() -> re.Pattern[str]:
    names = "|".join(f"(?P<d{day}>{pattern})" for day, pattern in _WEEKDAYS)
    parts = "|".join(f"(?P<p{i}>{pattern})" for i, (pattern, _a, _b) in enumerate(_PARTS))
    return re.compile(
        rf"(?<!\w)(?:(?P<weekend>{_WEEKEND})|{names}|(?P<today>{_TODAY})|(?P<tomorrow>{_TOMORROW})"
        rf"|{parts})(?!\w)",
        re.IGNORECASE,
    )


def when_to_call(text: str, now: datetime | None, schedule: HotlineSchedule) -> CallTime | None:
    """The time ``text`` names for calling, or None when it names none (or states the hours)."""
    if _STATED.search(text):
        return None
    days: set[int] = set()
    windows: list[tuple[time, time]] = []
    hours: list[tuple[time, time]] = []
    said: list[str] = []
    local_now = now.astimezone(schedule.zone) if now is not None else None
    for m in _day_pattern().finditer(text):
        said.append(m.group(0))
        kind = m.lastgroup or ""
        if kind == "weekend":
            days |= {5, 6}
        elif kind.startswith("d"):
            days.add(int(kind[1:]))
        elif kind in ("today", "tomorrow") and local_now is not None:
            days.add((local_now + timedelta(days=int(kind == "tomorrow"))).weekday())
        elif kind.startswith("p"):
            _pattern, start, end = _PARTS[int(kind[1:])]
            windows.append((start, end))
            if m.group(0).lower().startswith(("tonight", "this", "sta")) and local_now:
                days.add(local_now.weekday())
    for m in _HOUR.finditer(text):
        hour = int(m.group(1))
        suffix = (m.group(3) or "").lower().replace(".", "")
        if suffix == "pm" and hour < 12:
            hour += 12
        if hour > 23:
            continue
        said.append(m.group(0))
        start = time(hour, int(m.group(2) or 0) % 60)
        hours.append((start, time(hour + 1) if hour < 23 else _DAY_END))
    if not said:
        return None
    # An hour is more precise than the part of the day it falls in ("stasera dopo le 21").
    chosen = hours or windows
    return CallTime(frozenset(days) or None, tuple(chosen) or None, " ".join(said))


def closed_hotline_message(
    call_text: str, ctx: GuardContext, *, whole_reply: str = ""
) -> str | None:
    """Why pointing to the hotline in ``call_text`` misleads now, or None when it does not.

    ``whole_reply`` is searched for a statement of the hours when ``call_text`` names no time.
    """
    schedule = ctx.settings.hotline
    if schedule is None:
        return None
    call = when_to_call(call_text, ctx.now, schedule)
    if call is not None:
        days = call.days if call.days is not None else range(7)
        windows = call.windows or ((time(0), _DAY_END),)
        if any(schedule.open_during(d, a, b) for d in days for a, b in windows):
            return None
        return (
            f"The reply asks the customer to call the hotline {call.said!r}, when it is closed"
            f" (open {schedule.describe()})."
        )
    if _STATED.search(call_text) or (whole_reply and _STATED.search(whole_reply)):
        return None
    now = ctx.now
    if now is None or schedule.is_open(now):
        return None
    opens = schedule.next_opening(now)
    when = f"opens {opens:%A %H:%M}" if opens else "it has no opening hours"
    return f"The reply points to the hotline, but the hotline is closed now ({when})."
