"""The words of a sig: how typed directions split into tokens, and what each known phrase means.

Every phrase is a rule: a pattern over lower-cased tokens joined by single spaces, and the fields
it sets. Adding shorthand a hospital uses is adding one line to RULES.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

Value = object
Setter = Callable[[re.Match[str]], list[tuple[str, Value]]]


@dataclass(frozen=True)
class Frequency:
    """How often: `times_per_day` (None for "once" or "as directed") and the words to print."""

    times_per_day: float | None
    words: str = field(compare=False)


@dataclass(frozen=True)
class Duration:
    """How long: whole days, or a count of doses (days then follow from the frequency)."""

    days: int | None
    doses: int | None
    words: str = field(compare=False)


@dataclass(frozen=True)
class Rule:
    """One phrase; `indication` says whether free words after it name what the drug is for."""

    pattern: re.Pattern[str]
    sets: Setter
    indication: str = "no"  # "no" | "may" (prn pain, prn) | "must" (for pain)


# Tokens: fractions, ranges (10-14, reported as unreadable), numbers, words, "/", other symbols.
_TOKEN = re.compile(
    r"\d+(?:\.\d+)?/\d+|\d+(?:\.\d+)?-\d+(?:\.\d+)?|\d+(?:\.\d+)?|[a-z]+|/"
    r"|[^\sa-z0-9.,;:()'\"!?/\-]+"
)
_UNICODE_FRACTIONS = {"½": " 1/2 ", "¼": " 1/4 ", "¾": " 3/4 ", "⅓": " 1/3 ", "⅔": " 2/3 "}


def tokenize(text: str) -> tuple[list[str], list[int], list[str]]:
    """Tokens, the index of the typed word each came from, and the typed words themselves."""
    words = text.split()
    tokens: list[str] = []
    origin: list[int] = []
    for index, word in enumerate(words):
        for token in _TOKEN.findall(_clean(word)):
            tokens.append(token)
            origin.append(index)
    return tokens, origin, words


def _clean(word: str) -> str:
    w = word.lower().replace("&", " and ")
    for glyph, fraction in _UNICODE_FRACTIONS.items():
        w = w.replace(glyph, fraction)
    w = re.sub(r"(?<=[a-z])\.(?=[a-z])", "", w)  # p.o. -> po, b.i.d. -> bid
    w = re.sub(r"(?<!\d)\.(?=\d)", "0.", w)  # .5 -> 0.5 (a leading zero is safer)
    return re.sub(r"(?<=\d)-(?=\d+/\d)", " ", w)  # 1-1/2 -> 1 1/2


INT_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fourteen": 14, "twenty": 20, "thirty": 30,
}  # fmt: skip
INT = r"(?:\d+|" + "|".join(INT_WORDS) + ")"
_FRACTION_WORD = (
    r"(?:(?:one |a )?(?:half|quarter)|three quarters?|one third|two thirds)(?: of)?(?: an?)?"
)
# A whole number joins a word fraction only with "and" ("one half" is 0.5, "one and a half" 1.5).
AMOUNT = rf"(?:{INT} (?:and )?\d+/\d+|\d+/\d+|(?:{INT} and )?{_FRACTION_WORD}|\d+\.\d+|{INT})"
_FRACTION_VALUES = (
    ("three quarter", 3 / 4), ("two third", 2 / 3), ("third", 1 / 3), ("quarter", 1 / 4),
    ("half", 1 / 2),
)  # fmt: skip


def number(text: str) -> int:
    return INT_WORDS[text] if text in INT_WORDS else int(text)


def amount_value(text: str) -> float:
    """0.5 from "1/2", "half a", "one-half of a"; 1.5 from "1 1/2", "one and a half", "1.5"."""
    whole, _, fraction = text.rpartition(" and ")
    if not whole and re.fullmatch(r"\d+ \d+/\d+", text):
        whole, fraction = text.split(" ")
    return (number(whole) if whole else 0) + _fraction(fraction)


def _fraction(text: str) -> float:
    if "/" in text:
        top, bottom = (int(part) for part in text.split("/"))
        return top / bottom if bottom else float("inf")
    for words, value in _FRACTION_VALUES:
        if words in text:
            return value
    return float(number(text)) if text in INT_WORDS else float(text)


# --- what each rule sets -------------------------------------------------------------------


def _const(*pairs: tuple[str, Value]) -> Setter:
    return lambda _m: list(pairs)


def _amount(m: re.Match[str]) -> list[tuple[str, Value]]:
    return [("amount", amount_value(m.group(0)))]


def _inch_strip(m: re.Match[str]) -> list[tuple[str, Value]]:
    return [("amount", amount_value(m.group("n"))), ("unit", "inch")]


def _unit(name: str) -> Setter:
    return _const(("unit", name))


def _route(words: str) -> Setter:
    return _const(("route", words))


def _every(times_per_day: float, words: str) -> Setter:
    return _const(("frequency", Frequency(float(times_per_day), words)))


_PERIOD_HOURS = {"h": 1, "d": 24, "w": 24 * 7, "m": 24 * 30}
_PERIOD_WORD = {"h": "hour", "d": "day", "w": "week", "m": "month"}


def _interval(m: re.Match[str]) -> list[tuple[str, Value]]:
    """q12h, every 8 hours, q2d, every other day, every 2 weeks, q30d, every 3 months."""
    groups = m.groupdict()
    other = groups.get("other")
    n = 2 if other else number(groups.get("n") or "1")
    period = (groups.get("period") or "h")[0]
    if n == 0:
        return [("frequency", Frequency(float("inf"), "every 0"))]
    per_day = 24 / (n * _PERIOD_HOURS[period])
    word = _PERIOD_WORD[period]
    if other:
        words = f"every other {word}"
    elif n == 1:
        words = {"h": "every hour", "d": "once a day", "w": "once a week", "m": "once a month"}[
            period
        ]
    else:
        words = f"every {n} {word}s"
    return [("frequency", Frequency(per_day, words))]


_TIMES_WORDS = {1: "once", 2: "twice", 3: "three times", 4: "four times", 5: "five times"}


def _times_per(m: re.Match[str]) -> list[tuple[str, Value]]:
    """twice daily, 3 times a day, 2x/day, once weekly, twice a week, once a month."""
    n = {"once": 1, "twice": 2}.get(m.group("n"), 0) or number(m.group("n"))
    said = m.group("period")
    period = "w" if re.search(r"week|wk", said) else "m" if re.search(r"mo", said) else "d"
    per_day = n * 24 / _PERIOD_HOURS[period]
    words = f"{_TIMES_WORDS.get(n, f'{n} times')} a {_PERIOD_WORD[period]}"
    return [("frequency", Frequency(per_day, words))]


_DURATION_WORD = {"d": "day", "w": "week", "m": "month"}
_DURATION_DAYS = {"d": 1, "w": 7, "m": 30}


def _duration(m: re.Match[str]) -> list[tuple[str, Value]]:
    n = number(m.group("n"))
    said = m.group("period")
    if said.startswith("dose"):
        return [("duration", Duration(None, n, f"for {n} dose{'s' * (n != 1)}"))]
    word = _DURATION_WORD[said[0]]
    days = n * _DURATION_DAYS[said[0]]
    return [("duration", Duration(days, None, f"for {n} {word}{'s' * (n != 1)}"))]


def _recheck(m: re.Match[str]) -> list[tuple[str, Value]]:
    when = ""
    if m.group("n"):
        n, period = number(m.group("n")), _DURATION_WORD[m.group("period")[0]]
        when = f" in {n} {period}{'s' * (n != 1)}"
    return [("recheck", when)]


# --- the phrases ---------------------------------------------------------------------------

_DAY = r"(?:daily|a day|per day|/ day|each day|every day|day|d)"
_WEEK = r"(?:weekly|a week|per week|/ week|each week|every week|week|wk)"
_MONTH = r"(?:monthly|a month|per month|/ month|each month|every month|month|mo)"
_HOURS = r"(?:h|hr|hrs|hour|hours)"
_DAYS = r"(?:d|day|days)"
_WEEKS = r"(?:w|wk|wks|week|weeks)"
_MONTHS = r"(?:mo|mos|month|months)"
_IN = r"(?:(?:in|into|to) )?(?:the )?"
_PRN = r"prn|p r n|as needed|if needed|when needed|as required|when required|if necessary"

_PHRASES: list[tuple[str, Setter]] = [
    # verbs: the printed verb follows from unit and route, but "apply" means an application
    (r"give|administer|take|use|instill|place|put|inject|insert|sig", _const()),
    (r"apply|rub in|rub", _const(("apply", True))),
    # amounts and units
    (AMOUNT, _amount),
    (r"tab|tabs|tablet|tablets|tb|tbs", _unit("tablet")),
    (r"cap|caps|capsule|capsules", _unit("capsule")),
    (r"ml|mls|milliliters?|millilitres?|cc|ccs", _unit("mL")),
    (r"gtt|gtts|drop|drops", _unit("drop")),
    (
        r"chew|chews|chewable|chewables|chewable (?:tab|tabs|tablet|tablets)|soft chews?",
        _unit("chewable"),
    ),
    (r"puff|puffs|inhalations?|actuations?", _unit("puff")),
    (r"pump|pumps", _unit("pump")),
    (r"applications?", _unit("application")),
    (r"patch|patches", _unit("patch")),
    (r"unit|units|u|iu", _unit("unit")),
    (r"packet|packets|sachet|sachets", _unit("packet")),
    (r"mg|mgs|milligrams?", _unit("mg")),
    (rf"(?:a )?(?P<n>{AMOUNT}) (?:inch|inches)(?: strip| ribbon)?", _inch_strip),
    (r"(?:a )?thin (?:layer|film|coat)(?: of)?", _const(("thin_layer", True))),
    # routes
    (r"po|per os|by mouth|orally|oral|p o", _route("by mouth")),
    (rf"ou|o u|{_IN}(?:both|each) eyes?|{_IN}eyes", _route("in both eyes")),
    (rf"od|o d|{_IN}right eye", _route("in the right eye")),
    (rf"os|o s|{_IN}left eye", _route("in the left eye")),
    (rf"{_IN}affected eyes?", _route("in the affected eye")),
    (rf"au|a u|{_IN}(?:both|each) ears?|{_IN}ears", _route("in both ears")),
    (rf"ad|a d|{_IN}right ear", _route("in the right ear")),
    (rf"as|a s|{_IN}left ear", _route("in the left ear")),
    (rf"{_IN}affected ears?", _route("in the affected ear")),
    (r"topical|topically|(?:to )?(?:the )?skin|on skin", _route("to the skin")),
    (
        rf"{_IN}affected (?:area|areas|site|sites|skin)|on (?:the )?affected (?:area|areas|skin)",
        _route("to the affected area"),
    ),
    (
        r"sq|sc|subq|sub q|subcut|subcutaneous|subcutaneously|under the skin",
        _route("under the skin"),
    ),
    (r"im|intramuscular|intramuscularly|into the muscle|in the muscle", _route("into the muscle")),
    (r"iv|intravenous|intravenously|into a vein|into the vein", _route("into a vein")),
    (r"on the skin", _route("on the skin")),
    (r"td|transdermal|transdermally|transdermal gel", _const(("transdermal", True))),
    (rf"{_IN}(?:inner )?(?:ear flaps?|pinnae?)", _route("to the inner ear flap")),
    (
        r"inh|inhaled|inhalation|by inhaler|via inhaler|with (?:a |the )?(?:spacer|inhaler|mask)",
        _route("by inhaler"),
    ),
    (r"pr|per rectum|rectal|rectally", _route("rectally")),
    # frequencies
    (
        r"sid|qd|q d|daily|once daily|every day|q day|qday|once a day|once per day|once each day",
        _every(1, "once a day"),
    ),
    (r"bid|b i d|twice daily|twice a day|twice per day", _every(2, "twice a day")),
    (r"tid|t i d|three times daily|three times a day", _every(3, "three times a day")),
    (r"qid|q i d|four times daily|four times a day", _every(4, "four times a day")),
    (rf"(?:q|every) (?P<n>{INT})(?: (?P<period>{_HOURS}))?", _interval),
    (rf"(?:q|every) (?:(?P<n>{INT}) )?(?P<period>{_HOURS}|{_DAYS}|{_WEEKS}|{_MONTHS})", _interval),
    (r"(?:every|q) (?P<other>other|second) (?P<period>day|week|month)", _interval),
    (r"eod|qod|q o d|alternate days", _every(0.5, "every other day")),
    (rf"(?P<n>once|twice|{INT}) (?:x|times?) (?P<period>{_DAY}|{_WEEK}|{_MONTH})", _times_per),
    (rf"(?P<n>once|twice) (?P<period>{_WEEK}|{_MONTH})", _times_per),
    (r"weekly|qwk|q wk|q week|every week", _every(1 / 7, "once a week")),
    (r"monthly|qmo|q mo|q month|every month", _every(1 / 30, "once a month")),
    (
        r"once|one time|1 time|x 1 dose|single dose|as a single dose",
        _const(("frequency", Frequency(None, "once"))),
    ),
    (
        r"as directed|ud|as dir|use as directed",
        _const(("frequency", Frequency(None, "as directed"))),
    ),
    (
        r"at bedtime|qhs|q hs|hs|at night|nightly|every night|every evening at bedtime",
        _const(("timing", "at bedtime")),
    ),
    (
        r"in the morning|qam|q am|am|every morning|in the am|mornings",
        _const(("timing", "in the morning")),
    ),
    (
        r"in the evening|qpm|q pm|pm|every evening|in the pm|evenings",
        _const(("timing", "in the evening")),
    ),
    # as needed, what for, how long
    (rf"(?:x|for) ?(?P<n>{INT}) (?P<period>{_DAYS}|{_WEEKS}|{_MONTHS}|doses?)", _duration),
    (rf"(?P<n>{INT}) (?P<period>days|weeks|months|doses)", _duration),
    # instructions
    (
        r"with food|w / food|w food|with (?:a )?(?:small )?meals?|with food or a treat",
        _const(("food", "with food")),
    ),
    (r"on (?:an )?empty stomach|without food", _const(("food", "on an empty stomach"))),
    (
        r"until (?:all )?(?:gone|finished|done|all is gone)"
        r"|until all (?:of )?(?:it|the medication) is (?:gone|finished)",
        _const(("until_gone", True)),
    ),
    (
        rf"(?:then )?(?:schedule a )?(?:recheck|re check|recheck exam|recheck visit)"
        rf"(?: with your veterinarian)?"
        rf"(?: in (?P<n>{INT}) (?P<period>{_DAYS}|{_WEEKS}|{_MONTHS}))?",
        _recheck,
    ),
    (r"(?:then )?(?:stop|discontinue)", _const(("stop", True))),
    (r"shake well(?: before (?:each )?use)?", _const(("shake", True))),
]

RULES: tuple[Rule, ...] = (
    *(Rule(re.compile(rf"(?:{pattern})(?= |$)"), sets) for pattern, sets in _PHRASES),
    Rule(re.compile(rf"(?:{_PRN})(?= |$)"), _const(("as_needed", True)), indication="may"),
    Rule(re.compile(r"for(?= |$)"), _const(), indication="must"),
)
