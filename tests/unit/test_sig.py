"""The sig parser reads staff shorthand into numbers and label wording, and never guesses."""

from __future__ import annotations

import re

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from rxflow.errors import InvalidInput
from rxflow.sig import Sig, SigError, days_supply, parse_sig, plain_english

WEEK, MONTH = 1 / 7, 1 / 30

# typed, printed, times a day, days of treatment, (quantity, days' supply)
REAL_WORLD: list[tuple[str, str, float | None, int | None, tuple[float, int | None]]] = [
    ("1 tab PO BID x 14d", "Give 1 tablet by mouth twice a day for 14 days.", 2, 14, (28, 14)),
    ("1/2 tab PO q12h prn pain",
     "Give one-half of a tablet by mouth every 12 hours as needed for pain.", 2, None, (10, 10)),
    ("2 gtt OU TID", "Place 2 drops in both eyes three times a day.", 3, None, (5, None)),
    ("0.5 mL PO SID", "Give 0.5 mL by mouth once a day.", 1, None, (15, 30)),
    ("1 cap PO q8h x 7 days", "Give 1 capsule by mouth every 8 hours for 7 days.", 3, 7, (21, 7)),
    ("apply to affected area BID", "Apply to the affected area twice a day.", 2, None, (15, None)),
    ("1 tab PO q24h", "Give 1 tablet by mouth every 24 hours.", 1, None, (30, 30)),
    ("give 1 tablet by mouth twice daily", "Give 1 tablet by mouth twice a day.", 2, None,
     (60, 30)),
    ("1.5 tabs po bid with food",
     "Give 1 and one-half tablets by mouth twice a day with food.", 2, None, (30, 10)),
    ("2 puffs q12h", "Give 2 puffs every 12 hours.", 2, None, (120, None)),
    ("1 chewable PO once monthly", "Give 1 chewable by mouth once a month.", MONTH, None,
     (6, 180)),
    ("1 tab PO EOD", "Give 1 tablet by mouth every other day.", 0.5, None, (15, 30)),
    ("1/4 tab PO SID x 30d then recheck",
     "Give one-quarter of a tablet by mouth once a day for 30 days. "
     "Schedule a recheck with your veterinarian.", 1, 30, (8, 32)),
    ("1 tab PO q8h as needed for pain",
     "Give 1 tablet by mouth every 8 hours as needed for pain.", 3, None, (20, 6)),
    ("1 tab PO prn anxiety/storms",
     "Give 1 tablet by mouth as needed for anxiety or storms.", None, None, (10, None)),
    ("1 1/2 tabs PO BID x 2 wks",
     "Give 1 and one-half tablets by mouth twice a day for 2 weeks.", 2, 14, (42, 14)),
    ("one and a half tablets by mouth twice a day for 2 weeks",
     "Give 1 and one-half tablets by mouth twice a day for 2 weeks.", 2, 14, (42, 14)),
    ("3/4 tab PO SID", "Give three-quarters of a tablet by mouth once a day.", 1, None, (30, 40)),
    ("½ tab p.o. b.i.d.", "Give one-half of a tablet by mouth twice a day.", 2, None, (30, 30)),
    (".5 ml po sid", "Give 0.5 mL by mouth once a day.", 1, None, (10, 20)),
    ("1/4 inch strip OU TID", "Apply a one-quarter-inch strip in both eyes three times a day.",
     3, None, (3.5, None)),
    ("5 U SQ BID with food", "Inject 5 units under the skin twice a day with food.", 2, None,
     (400, None)),
    ("1 tab PO qhs", "Give 1 tablet by mouth once a day at bedtime.", 1, None, (30, 30)),
    ("1 tab po q am", "Give 1 tablet by mouth once a day in the morning.", 1, None, (30, 30)),
    ("2 caps PO 2x/day x 1 month", "Give 2 capsules by mouth twice a day for 1 month.", 2, 30,
     (120, 30)),
    ("1 tab PO BID x 3 doses", "Give 1 tablet by mouth twice a day for 3 doses.", 2, 2, (3, 1)),
    ("1 tab PO BID for infection", "Give 1 tablet by mouth twice a day for infection.", 2, None,
     (20, 10)),
    ("0.1 mL transdermal to inner ear flap SID",
     "Apply 0.1 mL to the inner ear flap once a day.", 1, None, (10, 100)),
    ("shake well 1 mL PO SID until gone",
     "Shake well before each use. Give 1 mL by mouth once a day until all of the medication "
     "is gone.", 1, None, (30, 30)),
    ("1 packet PO SID with food", "Give 1 packet by mouth once a day with food.", 1, None,
     (30, 30)),
    ("2 mL PR prn seizures", "Give 2 mL rectally as needed for seizures.", None, None,
     (10, None)),
    ("1 tab PO once", "Give 1 tablet by mouth once.", None, None, (1, None)),
    ("1 gtt AS BID", "Place 1 drop in the left ear twice a day.", 2, None, (10, None)),
    ("1 gtt AS as needed for itching", "Place 1 drop in the left ear as needed for itching.",
     None, None, (10, None)),
    ("2 tabs PO once weekly x 4 weeks", "Give 2 tablets by mouth once a week for 4 weeks.", WEEK,
     28, (8, 28)),
    ("1 tab PO q72h", "Give 1 tablet by mouth every 72 hours.", 1 / 3, None, (10, 30)),
    ("1 tab PO BID x 14d, then stop", "Give 1 tablet by mouth twice a day for 14 days, then stop.",
     2, 14, (28, 14)),
    ("apply thin layer topically q12h x 10 days",
     "Apply a thin layer to the skin every 12 hours for 10 days.", 2, 10, (1, None)),
    ("1 patch q72h", "Apply 1 patch every 72 hours.", 1 / 3, None, (5, 15)),
    ("1 TAB PO Q48H", "Give 1 tablet by mouth every 48 hours.", 0.5, None, (15, 30)),
    ("2 chews PO q24h x 1 mo", "Give 2 chewables by mouth every 24 hours for 1 month.", 1, 30,
     (60, 30)),
    ("0.25 mL SC SID", "Inject 0.25 mL under the skin once a day.", 1, None, (10, 40)),
    ("1 cap PO TID on an empty stomach",
     "Give 1 capsule by mouth three times a day on an empty stomach.", 3, None, (30, 10)),
    ("1 tab PO q6h", "Give 1 tablet by mouth every 6 hours.", 4, None, (28, 7)),
    ("1 tab PO QID", "Give 1 tablet by mouth four times a day.", 4, None, (28, 7)),
    ("1 tab PO q4h prn cough", "Give 1 tablet by mouth every 4 hours as needed for cough.", 6,
     None, (30, 5)),
    ("1 tab PO as directed", "Give 1 tablet by mouth as directed.", None, None, (30, None)),
]  # fmt: skip


@pytest.mark.parametrize(("typed", "printed", "per_day", "days", "supply"), REAL_WORLD)
def test_real_world_sig_reads_and_prints_plain_english(
    typed: str,
    printed: str,
    per_day: float | None,
    days: int | None,
    supply: tuple[float, int | None],
) -> None:
    sig = parse_sig(typed)
    assert sig.plain == printed
    assert sig.text == typed
    assert sig.times_per_day == (None if per_day is None else pytest.approx(per_day))
    assert sig.duration_days == days
    quantity, expected_days = supply
    assert days_supply(sig, quantity) == expected_days


def test_fields_the_label_and_reminders_read() -> None:
    sig = parse_sig("1/2 tab PO q12h prn pain")
    assert sig == Sig(
        text="1/2 tab PO q12h prn pain", dose=0.5, unit="tablet", route="by mouth",
        times_per_day=2.0, duration_days=None, as_needed=True, indication="pain",
        plain="Give one-half of a tablet by mouth every 12 hours as needed for pain.",
    )  # fmt: skip
    assert sig.units_per_day() == 1.0
    assert plain_english("2 gtt OU TID") == "Place 2 drops in both eyes three times a day."


@pytest.mark.parametrize(
    ("typed", "route"),
    [("1 gtt OD SID", "in the right eye"), ("1 gtt OS SID", "in the left eye"),
     ("1 gtt AU SID", "in both ears"), ("1 gtt AD SID", "in the right ear"),
     ("1 gtt in both eyes SID", "in both eyes"), ("0.5 mL IM once", "into the muscle"),
     ("2 puffs inhaled BID", "by inhaler"), ("1 mL subq SID", "under the skin"),
     ("1 tab orally SID", "by mouth"), ("0.1 mL transdermal SID", "on the skin")],
)  # fmt: skip
def test_routes_read_as_plain_english(typed: str, route: str) -> None:
    assert parse_sig(typed).route == route


def test_unknown_word_is_named_in_one_sentence_a_csr_understands() -> None:
    with pytest.raises(SigError) as caught:
        parse_sig("1 tab PO qxd")
    assert caught.value.unknown == ("qxd",)
    assert str(caught.value) == "Could not read 'qxd' in the directions; please write it out."


def test_every_unknown_word_is_reported_as_typed() -> None:
    with pytest.raises(SigError) as caught:
        parse_sig("1 tab PO BID zzq x 7 days ##")
    assert caught.value.unknown == ("zzq", "##")
    assert "'zzq' or '##'" in str(caught.value)


def test_a_dose_range_is_not_guessed() -> None:
    with pytest.raises(SigError) as caught:
        parse_sig("1-2 tabs PO q8h")
    assert caught.value.unknown == ("1-2",)


def test_sig_error_is_an_invalid_input_the_web_view_already_shows() -> None:
    with pytest.raises(InvalidInput):
        parse_sig("1 tab PO qxd")
    with pytest.raises(ValueError):
        parse_sig("")


@pytest.mark.parametrize(
    ("typed", "says"),
    [("", "empty"), ("1 PO BID", "what to give"), ("tab PO BID", "how many tablets"),
     ("1 tab PO", "how often"), ("1 tab PO BID TID", "'BID' and 'TID'"),
     ("1 tab PO OD", "two different routes"), ("0 tab PO BID", "more than zero"),
     ("1 tab PO q0h", "interval of zero")],
)  # fmt: skip
def test_incomplete_or_contradictory_directions_are_refused(typed: str, says: str) -> None:
    with pytest.raises(SigError) as caught:
        parse_sig(typed)
    message = str(caught.value)
    assert says in message
    assert message.endswith(".") and message.count(". ") == 0  # one sentence


def test_days_supply_is_none_when_the_sig_cannot_say() -> None:
    assert days_supply(parse_sig("1 tab PO prn pain"), 30) is None
    assert days_supply(parse_sig("apply to affected area BID"), 30) is None
    assert days_supply(parse_sig("1 tab PO once"), 30) is None


def test_days_supply_does_not_lose_a_day_to_rounding() -> None:
    assert days_supply(parse_sig("0.1 mL PO SID"), 0.3) == 3
    assert days_supply(parse_sig("1 tab PO once weekly"), 30) == 210


# --- properties over generated shorthand ------------------------------------------------------

AMOUNTS = [
    ("1", 1.0),
    ("2", 2.0),
    ("1/2", 0.5),
    ("1/4", 0.25),
    ("3/4", 0.75),
    ("1.5", 1.5),
    ("0.5", 0.5),
    ("one", 1.0),
    ("two", 2.0),
    ("half", 0.5),
    ("1 1/2", 1.5),
    ("3", 3.0),
]
UNITS = [
    ("tab", "tablet"),
    ("tabs", "tablet"),
    ("tablet", "tablet"),
    ("cap", "capsule"),
    ("capsules", "capsule"),
    ("mL", "mL"),
    ("ml", "mL"),
    ("cc", "mL"),
    ("gtt", "drop"),
    ("drops", "drop"),
    ("chew", "chewable"),
    ("chewable", "chewable"),
    ("puffs", "puff"),
    ("patch", "patch"),
    ("units", "unit"),
    ("pump", "pump"),
]
ROUTES = [
    ("PO", "by mouth"),
    ("by mouth", "by mouth"),
    ("OU", "in both eyes"),
    ("OD", "in the right eye"),
    ("OS", "in the left eye"),
    ("AU", "in both ears"),
    ("AD", "in the right ear"),
    ("AS", "in the left ear"),
    ("SQ", "under the skin"),
    ("SC", "under the skin"),
    ("IM", "into the muscle"),
    ("topically", "to the skin"),
    ("transdermal", "on the skin"),
    ("inhaled", "by inhaler"),
    ("", None),
]
FREQUENCIES = [
    ("SID", 1.0),
    ("q24h", 1.0),
    ("once daily", 1.0),
    ("BID", 2.0),
    ("q12h", 2.0),
    ("TID", 3.0),
    ("q8h", 3.0),
    ("QID", 4.0),
    ("q6h", 4.0),
    ("q4h", 6.0),
    ("q48h", 0.5),
    ("EOD", 0.5),
    ("every other day", 0.5),
    ("once weekly", WEEK),
    ("once monthly", MONTH),
    ("at bedtime", 1.0),
    ("twice a day", 2.0),
    ("3x daily", 3.0),
    ("every 8 hours", 3.0),
    ("q 12 h", 2.0),
]
DURATIONS = [
    ("x 14d", 14),
    ("x 7 days", 7),
    ("for 2 weeks", 14),
    ("x 1 month", 30),
    ("x10d", 10),
    ("", None),
]
AS_NEEDED = [
    ("", False, None),
    ("prn", True, None),
    ("prn pain", True, "pain"),
    ("as needed for itching", True, "itching"),
]
EXTRAS = ["", "with food", "then recheck", "until gone", "with meals"]
FORBIDDEN = re.compile(
    r"\b(?:bid|tid|sid|qid|qd|qod|eod|q\d+h?|po|ou|od|os|au|ad|sq|sc|subq|im|iv|td|prn|hs|qhs"
    r"|gtts?|cc|u|iu|tabs?|caps?|wks?|mo|x|d|h|hrs?)\b|\d/\d|(?-i:\bAS\b|\bml\b|\bML\b)|\b\d+d\b",
    re.IGNORECASE,
)
MIXED_CASE = st.sampled_from([str.lower, str.upper, str.title, lambda s: s])


@st.composite
def shorthand(draw: st.DrawFn) -> tuple[str, dict[str, object]]:
    amount, dose = draw(st.sampled_from(AMOUNTS))
    unit, unit_name = draw(st.sampled_from(UNITS))
    route, route_words = draw(st.sampled_from(ROUTES))
    frequency, per_day = draw(st.sampled_from(FREQUENCIES))
    duration, days = draw(st.sampled_from(DURATIONS))
    prn, as_needed, indication = draw(st.sampled_from(AS_NEEDED))
    extra = draw(st.sampled_from(EXTRAS))
    case = draw(MIXED_CASE)
    words = [amount, unit, route, frequency, prn, duration, extra]
    text = " ".join(case(w) for w in words if w)
    expected = dict(
        dose=dose,
        unit=unit_name,
        route=route_words,
        times_per_day=per_day,
        duration_days=days,
        as_needed=as_needed,
        indication=indication,
    )
    return text, expected


@settings(max_examples=400, deadline=None)
@given(shorthand())
def test_generated_shorthand_always_reads_as_written(case: tuple[str, dict[str, object]]) -> None:
    text, expected = case
    sig = parse_sig(text)
    for name, value in expected.items():
        got = getattr(sig, name)
        assert got == (pytest.approx(value) if isinstance(value, float) else value), name


@settings(max_examples=400, deadline=None)
@given(shorthand())
def test_printed_directions_never_carry_an_abbreviation(
    case: tuple[str, dict[str, object]],
) -> None:
    plain = parse_sig(case[0]).plain
    assert not FORBIDDEN.search(plain), plain
    assert plain[0].isupper() and plain.endswith(".")


@settings(max_examples=400, deadline=None)
@given(shorthand())
def test_printed_directions_read_back_the_same(case: tuple[str, dict[str, object]]) -> None:
    first = parse_sig(case[0])
    again = parse_sig(first.plain)
    assert again.plain == first.plain
    fields = ("dose", "unit", "route", "times_per_day", "duration_days", "as_needed", "indication")
    assert [getattr(again, f) for f in fields] == [getattr(first, f) for f in fields]


@settings(max_examples=400, deadline=None)
@given(shorthand(), st.floats(min_value=0, max_value=2000, allow_nan=False))
def test_days_supply_never_promises_more_than_the_quantity(
    case: tuple[str, dict[str, object]], quantity: float
) -> None:
    sig = parse_sig(case[0])
    days = days_supply(sig, quantity)
    per_day = sig.units_per_day()
    if days is None:
        return
    assert per_day is not None and days >= 0
    assert days * per_day <= quantity * (1 + 1e-9)
    assert (days + 1) * per_day > quantity * (1 - 1e-9)  # and no whole day is lost


JUNK = st.one_of(
    st.text(alphabet="bcdfgjklmnpqrstvwxz", min_size=4, max_size=7),
    st.sampled_from(["#", "@@", "~~", "qxd", "b1d", "t1d", "zz9"]),
)
NOT_JUNK = {"gtts", "mgs", "ccs", "qwk"}


@settings(max_examples=400, deadline=None)
@given(shorthand(), JUNK, st.integers(min_value=0, max_value=12))
def test_junk_is_reported_not_dropped(
    case: tuple[str, dict[str, object]], junk: str, where: int
) -> None:
    assume(junk.lower() not in NOT_JUNK)
    words = case[0].split()
    words.insert(min(where, len(words)), junk)
    with pytest.raises(SigError) as caught:
        parse_sig(" ".join(words))
    assert junk in caught.value.unknown
    assert f"'{junk}'" in str(caught.value)
