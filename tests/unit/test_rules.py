"""One test per rule code of rxflow/rules.py, on facts alone (no database)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from rxflow import rules
from rxflow.errors import RuleViolation
from rxflow.facts import Actor, PrescriptionFacts, RequestFacts
from rxflow.settings import PracticeRules

TODAY = date(2026, 11, 2)
STRICT = PracticeRules()


def facts(**changes: Any) -> RequestFacts:
    rx = PrescriptionFacts(
        id=41,
        status="active",
        refills_authorized=3,
        refills_remaining=2,
        written_on=TODAY - timedelta(days=30),
        expires_on=TODAY + timedelta(days=335),
        prescriber_id=1,
    )
    base: dict[str, Any] = dict(
        request_id=1,
        state="received",
        held_from=None,
        fulfillment="in_house",
        authorization=None,
        now=datetime(2026, 11, 2, 12, tzinfo=UTC),
        today=TODAY,
        prescription=rx,
        generic_name="carprofen",
        schedule=None,
        patient_alive=True,
        patient_last_exam_on=TODAY - timedelta(days=60),
        pharmacy_fax=None,
        fill_id=None,
        filled_by_id=None,
        lot_on_hand=None,
        lot_product_matches=None,
        has_passed_checklist=False,
        verified_at=None,
        approver=None,
    )
    rx_changes = changes.pop("rx", {})
    base["prescription"] = rx.model_copy(update=rx_changes) if rx_changes else rx
    base.update(changes)
    return RequestFacts(**base)


def refused(code: str, fn: Any, *args: Any) -> RuleViolation:
    with pytest.raises(RuleViolation) as caught:
        fn(*args)
    assert caught.value.code == code
    assert caught.value.reason.endswith((".", ")")) and len(caught.value.reason) > 20
    return caught.value


def test_standing_prescription_with_refills_authorizes() -> None:
    rules.check_standing_authorization(facts(), STRICT)


def test_RX_NO_REFILLS_LEFT() -> None:
    error = refused(
        "RX_NO_REFILLS_LEFT",
        rules.check_standing_authorization,
        facts(rx={"refills_remaining": 0}),
        STRICT,
    )
    assert "prescription #41 has no refills left" in error.reason
    assert "veterinarian must approve" in error.reason


def test_RX_NONE() -> None:
    refused("RX_NONE", rules.check_standing_authorization, facts(prescription=None), STRICT)


def test_RX_NOT_ACTIVE() -> None:
    refused(
        "RX_NOT_ACTIVE", rules.check_standing_authorization, facts(rx={"status": "renewed"}), STRICT
    )


def test_RX_EXPIRED_after_one_year_by_default() -> None:
    written = TODAY - timedelta(days=366)
    old = facts(rx={"written_on": written, "expires_on": written + timedelta(days=730)})
    refused("RX_EXPIRED", rules.check_standing_authorization, old, STRICT)


def test_RX_EXPIRED_controlled_after_six_months() -> None:
    written = TODAY - timedelta(days=190)
    old = facts(schedule=4, rx={"written_on": written})
    refused("RX_EXPIRED", rules.check_standing_authorization, old, STRICT)
    rules.check_standing_authorization(
        facts(schedule=4, rx={"written_on": TODAY - timedelta(days=170)}), STRICT
    )


def test_SCHEDULE_II_NO_REFILLS_never_authorized() -> None:
    refused("SCHEDULE_II_NO_REFILLS", rules.check_standing_authorization, facts(schedule=2), STRICT)
    refused("SCHEDULE_II_NO_REFILLS", rules.check_refill_limit, 2, 1, STRICT)
    rules.check_refill_limit(2, 0, STRICT)


def test_SCHEDULE_REFILL_LIMIT_five_for_schedule_iii_to_v() -> None:
    refused("SCHEDULE_REFILL_LIMIT", rules.check_refill_limit, 3, 6, STRICT)
    rules.check_refill_limit(5, 5, STRICT)
    rules.check_refill_limit(None, 11, STRICT)
    refused(
        "SCHEDULE_REFILL_LIMIT",
        rules.check_standing_authorization,
        facts(schedule=4, rx={"refills_authorized": 6}),
        STRICT,
    )


def test_PATIENT_DECEASED() -> None:
    refused(
        "PATIENT_DECEASED", rules.check_standing_authorization, facts(patient_alive=False), STRICT
    )


def test_VCPR_EXAM_LAPSED_default_twelve_months() -> None:
    lapsed = facts(patient_last_exam_on=TODAY - timedelta(days=400))
    refused("VCPR_EXAM_LAPSED", rules.check_standing_authorization, lapsed, STRICT)
    refused(
        "VCPR_EXAM_LAPSED",
        rules.check_standing_authorization,
        facts(patient_last_exam_on=None),
        STRICT,
    )


def test_VCPR_window_is_a_practice_setting() -> None:
    seen = facts(patient_last_exam_on=TODAY - timedelta(days=400))
    rules.check_standing_authorization(seen, PracticeRules(vcpr_months=24))


def test_APPROVER_NOT_DVM() -> None:
    csr = Actor(id=2, username="sam", display_name="Sam", role="csr")
    refused("APPROVER_NOT_DVM", rules.check_may_prescribe, csr, facts(), True)


def test_DEA_REQUIRED_for_controlled() -> None:
    dvm = Actor(id=3, username="dr", display_name="Dr", role="dvm")
    refused("DEA_REQUIRED", rules.check_may_prescribe, dvm, facts(schedule=4), False)
    rules.check_may_prescribe(dvm, facts(schedule=None), False)
    rules.check_may_prescribe(dvm, facts(schedule=4), True)


def test_SCHEDULE_II_NOT_BY_FAX() -> None:
    refused("SCHEDULE_II_NOT_BY_FAX", rules.check_not_schedule_ii_by_fax, facts(schedule=2), STRICT)
    rules.check_not_schedule_ii_by_fax(facts(schedule=3), STRICT)


def test_state_schedule_overrides_federal() -> None:
    gabapentin_state = PracticeRules(schedule_overrides={"gabapentin": 5})
    assert rules.effective_schedule(None, "Gabapentin", gabapentin_state) == 5
    assert rules.effective_schedule(None, "gabapentin", STRICT) is None
    assert (
        rules.effective_schedule(4, "tramadol", PracticeRules(schedule_overrides={"tramadol": 0}))
        is None
    )


def test_add_months_clamps_to_month_end() -> None:
    assert rules.add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert rules.add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)
