"""Read typed directions into a Sig, reporting every word it cannot read instead of guessing."""

from __future__ import annotations

import math
import re

from rxflow.sig.lexicon import RULES, Duration, Frequency, Rule, Value, tokenize
from rxflow.sig.model import Sig, SigError
from rxflow.sig.wording import Reading, sentence

_FIELD_NAMES = {
    "amount": "amounts", "unit": "units", "route": "routes", "frequency": "frequencies",
    "timing": "times of day", "duration": "durations", "food": "food instructions",
    "recheck": "recheck times",
}  # fmt: skip
_INDICATION_WORD = re.compile(r"[a-z]*[aeiouy][a-z]*|/")


def parse_sig(text: str) -> Sig:
    """Read `text` (shorthand or plain words, any case); SigError names what it could not read."""
    tokens, origin, words = tokenize(text)
    if not tokens:
        raise SigError("The directions are empty; please write them out.")
    reading = _Scan(tokens, origin, words).run()
    unknown = _typed_words(reading.unknown_at, origin, words)
    if unknown:
        raise SigError(_unknown_sentence(unknown), unknown)
    if reading.conflicts:
        name, first, second = reading.conflicts[0]
        raise SigError(
            f"The directions give two different {_FIELD_NAMES.get(name, name)} "
            f"('{first}' and '{second}'); please keep one."
        )
    return _build(text, reading)


def plain_english(text: str) -> str:
    """The sentence a label or handout prints for `text`."""
    return parse_sig(text).plain


class _Scan:
    """Longest-match scan: at each token, the rule matching the most tokens wins."""

    def __init__(self, tokens: list[str], origin: list[int], words: list[str]) -> None:
        self.tokens = tokens
        self.origin = origin
        self.words = words
        self.reading = Reading()
        self.said: dict[str, str] = {}

    def run(self) -> Reading:
        i = 0
        while i < len(self.tokens):
            i = self._step(i)
        return self.reading

    def _step(self, i: int) -> int:
        best = self._longest(i)
        if best is None:
            self.reading.unknown_at.append(i)
            return i + 1
        rule, match, end = best
        if rule.indication != "no":
            after = self._indication(end, rule.indication == "must")
            if after is None:  # "for" with nothing after it that names a use
                self.reading.unknown_at.append(i)
                return i + 1
            end = after
        for name, value in rule.sets(match):
            self._set(name, value, self._typed(i, end))
        return end

    def _longest(self, i: int) -> tuple[Rule, re.Match[str], int] | None:
        rest = " ".join(self.tokens[i:])
        best: tuple[Rule, re.Match[str], int] | None = None
        for rule in RULES:
            match = rule.pattern.match(rest)
            if match and match.end() > 0 and (best is None or match.end() > best[1].end()):
                best = (rule, match, i + match.group(0).count(" ") + 1)
        return best

    def _indication(self, start: int, required: bool) -> int | None:
        """Words after "prn" / "as needed for" / "for" that are not themselves directions."""
        begin = start + 1 if self.tokens[start : start + 1] == ["for"] else start
        end: int = begin
        while end < len(self.tokens) and end - begin < 8:
            token = self.tokens[end]
            if not _INDICATION_WORD.fullmatch(token) or self._longest(end) is not None:
                break
            end += 1
        words = " ".join(self.tokens[begin:end]).replace(" / ", " or ").strip(" /")
        if not words:
            return None if required else start
        self._set("indication", words, self._typed(begin, end))
        return end

    def _typed(self, start: int, end: int) -> str:
        """The words as typed that tokens start..end came from, for messages."""
        typed = self.words[self.origin[start] : self.origin[end - 1] + 1]
        return " ".join(typed).strip(".,;:()!?\"'")

    def _set(self, name: str, value: Value, said: str) -> None:
        fields = self.reading.fields
        if name in fields and fields[name] != value:
            self.reading.conflicts.append((name, self.said[name], said))
            return
        fields.setdefault(name, value)
        self.said.setdefault(name, said)


def _typed_words(at: list[int], origin: list[int], words: list[str]) -> tuple[str, ...]:
    """The typed words (not the split-up tokens) behind unreadable tokens, once each, in order."""
    seen: list[int] = []
    for i in at:
        if origin[i] not in seen:
            seen.append(origin[i])
    return tuple(words[w].strip(".,;:()!?\"'") or words[w] for w in seen)


def _unknown_sentence(unknown: tuple[str, ...]) -> str:
    quoted = [f"'{word}'" for word in unknown]
    listed = quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]
    them = "it" if len(quoted) == 1 else "them"
    return f"Could not read {listed} in the directions; please write {them} out."


def _build(text: str, reading: Reading) -> Sig:
    f = reading.fields
    if f.get("transdermal"):
        f.setdefault("route", "on the skin")
    topical = f.get("route") in ("to the skin", "to the affected area")
    if "unit" not in f and (f.get("apply") or f.get("thin_layer") or topical):
        f["unit"] = "application"
    unit = f.get("unit")
    if not isinstance(unit, str):
        raise SigError(
            "The directions do not say what to give, such as tablet, capsule, mL or drop; "
            "please add it."
        )
    amount = f.get("amount", 1.0 if unit == "application" else None)
    if not isinstance(amount, float):
        raise SigError(f"The directions do not say how many {unit}s to give; please add it.")
    if not math.isfinite(amount) or amount <= 0:
        raise SigError("The amount in the directions must be more than zero; please correct it.")
    frequency = f.get("frequency")
    if frequency is None and "timing" in f:
        frequency = f["frequency"] = Frequency(1.0, "once a day")
    if not isinstance(frequency, Frequency):
        if not f.get("as_needed"):
            raise SigError(
                "The directions do not say how often to give it; please add how often, "
                "such as twice a day or as needed."
            )
    elif frequency.times_per_day is not None and not math.isfinite(frequency.times_per_day):
        raise SigError("The directions give an interval of zero; please correct how often.")
    times_per_day = frequency.times_per_day if isinstance(frequency, Frequency) else None
    route = f.get("route")
    indication = f.get("indication")
    return Sig(
        text=text,
        dose=amount,
        unit=unit,
        route=route if isinstance(route, str) else None,
        times_per_day=times_per_day,
        duration_days=_days(f.get("duration"), times_per_day),
        as_needed=bool(f.get("as_needed")),
        indication=indication if isinstance(indication, str) else None,
        plain=sentence(reading, amount, unit),
    )


def _days(duration: Value, times_per_day: float | None) -> int | None:
    """Days of treatment; "x 3 doses" at twice a day is 2 days."""
    if not isinstance(duration, Duration):
        return None
    if duration.doses is not None:
        if not times_per_day:
            return None
        return math.ceil(duration.doses / times_per_day - 1e-9)
    return duration.days
