"""Maple Street Animal Hospital: staff, clients, pets, formulary, stock and prescriptions in
every situation the front desk meets (refills left, none left, expired, controlled, deceased
pet, lapsed exam, stale weight, a cat on a dog NSAID)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from rxflow.db.base import utcnow
from rxflow.db.models import (
    Client,
    Patient,
    Pharmacy,
    Practice,
    Prescription,
    Product,
    StockLot,
    StockMovement,
    User,
    Weight,
)
from rxflow.db.session import Database
from rxflow.rules import prescription_expiry
from rxflow.service.actors import add_user
from rxflow.service.formulary import import_formulary, starter_formulary
from rxflow.settings import PracticeRules

PRACTICE_NAME = "Maple Street Animal Hospital"
DEMO_LOGINS: list[tuple[str, str, str]] = [
    ("sam", "sam-demo-2026", "csr"),
    ("alex", "alex-demo-2026", "csr"),
    ("drpatel", "patel-demo-2026", "dvm"),
    ("drnguyen", "nguyen-demo-2026", "dvm"),
    ("morgan", "morgan-demo-2026", "manager"),
    ("admin", "admin-demo-2026", "admin"),
]
_STAFF: dict[str, dict[str, Any]] = {
    "sam": {"display_name": "Sam Rivera"},
    "alex": {"display_name": "Alex Chen"},
    "drpatel": {
        "display_name": "Dr. Priya Patel",
        "license_number": "VET-20417",
        "dea_number": "BP1234563",
    },
    "drnguyen": {"display_name": "Dr. Marcus Nguyen", "license_number": "VET-31877"},
    "morgan": {"display_name": "Morgan Ellis"},
    "admin": {"display_name": "IT Administrator"},
}

# (client first, last, phone, email, contact) -> pets (name, species, breed, sex, kg, exam days ago)
_CLIENTS: list[
    tuple[tuple[str, str, str, str, str], list[tuple[str, str, str, str, float, int]]]
] = [
    (
        ("Jane", "Doe", "555-0142", "jane.doe@example.com", "email"),
        [
            ("Max", "canine", "Labrador Retriever", "male", 32.4, 60),
            ("Pepper", "feline", "Domestic Shorthair", "female", 4.1, 120),
        ],
    ),
    (
        ("William", "Harris", "555-0178", "bill.harris@example.com", "sms"),
        [("Biscuit", "canine", "Beagle", "female", 12.2, 500)],
    ),
    (
        ("Maria", "Lopez", "555-0113", "maria.lopez@example.com", "email"),
        [("Luna", "feline", "Siamese", "female", 3.8, 45)],
    ),
    (
        ("Tom", "Becker", "555-0190", "tom.becker@example.com", "phone"),
        [("Duke", "canine", "German Shepherd", "male", 38.0, 200)],
    ),
    (
        ("Aisha", "Khan", "555-0155", "aisha.khan@example.com", "email"),
        [("Clover", "rabbit", "Holland Lop", "female", 1.8, 90)],
    ),
    (
        ("Grace", "Okoye", "555-0126", "grace.okoye@example.com", "sms"),
        [
            ("Rocky", "canine", "Boxer", "male", 29.5, 30),
            ("Mochi", "feline", "Ragdoll", "male", 5.6, 30),
        ],
    ),
    (
        ("Henry", "Walsh", "555-0161", "henry.walsh@example.com", "email"),
        [("Sadie", "canine", "Golden Retriever", "female", 27.0, 100)],
    ),
]

_PHARMACIES = [
    ("PetMeds Online Pharmacy", "online", "800-555-0110", "800-555-0111"),
    ("Main Street Drug", "retail", "541-555-0170", "541-555-0171"),
    ("Valley Compounding Pharmacy", "compounding", "541-555-0180", "541-555-0181"),
]


def is_seeded(db: Database) -> bool:
    with db.read() as session:
        return session.scalar(select(Practice.id).limit(1)) is not None


def seed_hospital(db: Database, today: date | None = None) -> None:
    """Load the demo hospital into an empty, migrated database (one transaction)."""
    today = today or utcnow().date()
    with db.write() as session:
        rules = PracticeRules(schedule_overrides={"gabapentin": 5})
        session.add(
            Practice(
                name=PRACTICE_NAME,
                address="120 Maple Street, Springfield, OR 97477",
                phone="541-555-0100",
                fax="541-555-0101",
                rules=rules.model_dump(),
            )
        )
        staff = {
            username: add_user(session, username, role, password=password, **_STAFF[username]).id
            for username, password, role in DEMO_LOGINS
        }
        if session.scalar(select(User.id).where(User.username == "fax-worker")) is None:
            add_user(session, "fax-worker", "system", display_name="Fax and message worker")
        import_formulary(session, starter_formulary())
        _stock(session, today)
        pharmacies = [Pharmacy(name=n, kind=k, phone=p, fax=f) for n, k, p, f in _PHARMACIES]
        session.add_all(pharmacies)
        pets = _clients(session, today, pharmacies[0].id if pharmacies else None)
        _prescriptions(session, today, pets, staff, rules)


def product(session: Session, generic: str, strength: str | None = None) -> Product:
    query = select(Product).where(Product.generic_name == generic).order_by(Product.id)
    if strength:
        query = query.where(Product.strength == strength)
    found = session.scalar(query.limit(1))
    if found is None:
        raise LookupError(f"The starter formulary has no {generic} {strength or ''}".strip())
    return found


def _stock(session: Session, today: date) -> None:
    """Two lots of every product: one fresh, one older; a few expired or expiring soon."""
    session.flush()
    for item in session.scalars(select(Product).order_by(Product.id)):
        lots = [
            (f"{item.id:03d}A", today + timedelta(days=540), Decimal(5000)),
            (f"{item.id:03d}B", today + timedelta(days=200), Decimal(1000)),
        ]
        if item.generic_name in {"carprofen", "methimazole"}:
            lots.append((f"{item.id:03d}X", today - timedelta(days=10), Decimal(400)))  # expired
        if item.generic_name == "amoxicillin-clavulanate":
            lots.append((f"{item.id:03d}S", today + timedelta(days=5), Decimal(600)))  # too soon
        for number, expires, quantity in lots:
            lot = StockLot(
                product_id=item.id, lot_number=number, expires_on=expires, quantity_on_hand=quantity
            )
            session.add(lot)
            session.flush()
            session.add(
                StockMovement(
                    lot_id=lot.id,
                    product_id=item.id,
                    delta=quantity,
                    balance_after=quantity,
                    reason="received",
                )
            )


def _clients(session: Session, today: date, pharmacy_id: int | None) -> dict[str, Patient]:
    pets: dict[str, Patient] = {}
    for (first, last, phone, email, contact), animals in _CLIENTS:
        client = Client(
            first_name=first,
            last_name=last,
            phone=phone,
            email=email,
            contact_preference=contact,
            address="14 Elm Court",
            city="Springfield",
            region="OR",
            postal_code="97477",
            preferred_pharmacy_id=pharmacy_id,
        )
        session.add(client)
        session.flush()
        for name, species, breed, sex, kg, exam_days in animals:
            pet = Patient(
                client_id=client.id,
                name=name,
                species=species,
                breed=breed,
                sex=sex,
                neutered=True,
                birth_date=today - timedelta(days=365 * 6),
                last_exam_on=today - timedelta(days=exam_days),
            )
            session.add(pet)
            session.flush()
            weighed = today - timedelta(days=exam_days)
            session.add_all(
                [
                    Weight(
                        patient_id=pet.id,
                        weighed_on=weighed - timedelta(days=180),
                        weight_kg=Decimal(str(round(kg * 0.97, 2))),
                    ),
                    Weight(patient_id=pet.id, weighed_on=weighed, weight_kg=Decimal(str(kg))),
                ]
            )
            pets[name] = pet
    pets["Duke"].deceased = True
    pets["Duke"].deceased_on = today - timedelta(days=20)
    pets["Luna"].alerts = "Fractious — handle with care."
    pets["Clover"].allergies = "Penicillin"
    session.flush()
    for weight in pets["Sadie"].weights:  # not weighed since the spring: a stale-weight finding
        weight.weighed_on -= timedelta(days=150)
    return pets


# (key, pet, generic, strength, directions, qty, refills, remaining, written days ago, prescriber)
_RX: list[tuple[str, str, str, str | None, str, int, int, int, int, str]] = [
    ("max_carprofen", "Max", "carprofen", "75 mg", "1 tab PO BID x 30d", 60, 5, 3, 40, "drpatel"),
    (
        "max_carprofen_none",
        "Max",
        "carprofen",
        "100 mg",
        "1 tab PO SID x 30d",
        30,
        2,
        0,
        90,
        "drpatel",
    ),
    ("pepper_methimazole", "Pepper", "methimazole", None, "1 tab PO BID", 60, 5, 4, 60, "drnguyen"),
    ("biscuit_apoquel", "Biscuit", "oclacitinib", None, "1 tab PO SID", 30, 5, 5, 200, "drnguyen"),
    (
        "luna_gabapentin",
        "Luna",
        "gabapentin",
        None,
        "1 cap PO q12h prn pain",
        30,
        3,
        3,
        30,
        "drpatel",
    ),
    (
        "duke_prednisolone",
        "Duke",
        "prednisolone",
        None,
        "1 tab PO SID x 14d",
        14,
        2,
        2,
        60,
        "drnguyen",
    ),
    ("rocky_tramadol", "Rocky", "tramadol", None, "2 tab PO q12h x 10d", 40, 2, 2, 30, "drpatel"),
    (
        "rocky_hydrocodone",
        "Rocky",
        "hydrocodone",
        None,
        "1.5 tab PO q12h x 5d",
        15,
        0,
        0,
        3,
        "drpatel",
    ),
    (
        "mochi_carprofen",
        "Mochi",
        "carprofen",
        "25 mg",
        "1 tab PO SID x 5d",
        5,
        1,
        1,
        10,
        "drnguyen",
    ),
    (
        "sadie_amoxiclav",
        "Sadie",
        "amoxicillin-clavulanate",
        None,
        "1 tab PO BID x 14d",
        28,
        1,
        1,
        20,
        "drnguyen",
    ),
    ("sadie_pimobendan", "Sadie", "pimobendan", None, "1 tab PO BID", 60, 5, 5, 400, "drpatel"),
    (
        "clover_meloxicam",
        "Clover",
        "meloxicam",
        None,
        "0.5 mL PO SID x 10d",
        10,
        1,
        1,
        30,
        "drnguyen",
    ),
]


def _prescriptions(
    session: Session,
    today: date,
    pets: dict[str, Patient],
    staff: dict[str, int],
    rules: PracticeRules,
) -> None:
    for key, pet, generic, strength, sig, qty, refills, remaining, age, dvm in _RX:
        drug = product(session, generic, strength)
        written = today - timedelta(days=age)
        session.add(
            Prescription(
                patient_id=pets[pet].id,
                product_id=drug.id,
                prescriber_id=staff[dvm],
                directions=sig,
                quantity=Decimal(qty),
                refills_authorized=refills,
                refills_remaining=remaining,
                written_on=written,
                expires_on=prescription_expiry(written, drug.schedule, rules),
            )
        )
        del key
    session.flush()


def open_mid_morning(db: Database) -> None:
    """Requests waiting in every open state, so a newcomer sees a working front desk at once."""
    from rxflow.demo.day import open_the_desk

    open_the_desk(db)
