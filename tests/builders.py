"""Builds small hospitals for tests: each helper adds one row with sensible defaults."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from rxflow.db.models import (
    Client,
    Patient,
    Pharmacy,
    Practice,
    Prescription,
    Product,
    StockLot,
    User,
    Weight,
)
from rxflow.db.session import Database
from rxflow.service.actors import add_user

NOW = datetime(2026, 11, 2, 15, 0, tzinfo=UTC)
TODAY = NOW.date()
VALID_DEA = "BP1234563"  # 1+3+5 + 2*(2+4+6) = 33 -> check digit 3


@dataclass
class World:
    """Ids of a small hospital: two CSRs, a DVM with DEA, one without, a manager."""

    db: Database
    ids: dict[str, int] = field(default_factory=dict)

    def __getitem__(self, key: str) -> int:
        return self.ids[key]

    def add(self, key: str, row: Any) -> int:
        with self.db.write() as session:
            session.add(row)
            session.flush()
            self.ids[key] = row.id
        return int(row.id)


def build_world(db: Database, rules: dict[str, Any] | None = None) -> World:
    world = World(db)
    with db.write() as session:
        session.add(Practice(name="Test Animal Hospital", phone="555-0100", rules=rules or {}))
        for key, role, extra in [
            ("csr", "csr", {}),
            ("csr2", "csr", {}),
            ("dvm", "dvm", {"license_number": "VET-1001", "dea_number": VALID_DEA}),
            ("dvm_no_dea", "dvm", {"license_number": "VET-1002"}),
            ("manager", "manager", {}),
        ]:
            user = add_user(session, key, role, display_name=key, **extra)
            world.ids[key] = user.id
    world.add("client", Client(first_name="Jane", last_name="Doe", email="jane@example.com"))
    world.add(
        "dog",
        Patient(
            client_id=world["client"],
            name="Max",
            species="canine",
            last_exam_on=TODAY - timedelta(days=90),
        ),
    )
    world.add(
        "dog_weight",
        Weight(
            patient_id=world["dog"], weighed_on=TODAY - timedelta(days=90), weight_kg=Decimal("30")
        ),
    )
    world.add("carprofen", product("carprofen", "75 mg", "00000000075", mg=75))
    world.add("carprofen100", product("carprofen", "100 mg", "00000000100", mg=100))
    world.add("tramadol", product("tramadol", "50 mg", "00000000050", mg=50, schedule=4))
    world.add("hydrocodone", product("hydrocodone", "5 mg", "00000000005", mg=5, schedule=2))
    world.add(
        "lot",
        StockLot(
            product_id=world["carprofen"],
            lot_number="L1",
            expires_on=TODAY + timedelta(days=400),
            quantity_on_hand=Decimal(500),
        ),
    )
    world.add(
        "tramadol_lot",
        StockLot(
            product_id=world["tramadol"],
            lot_number="T1",
            expires_on=TODAY + timedelta(days=400),
            quantity_on_hand=Decimal(200),
        ),
    )
    world.add("pharmacy", Pharmacy(name="Chewy Pharmacy", kind="online", fax="541-555-0199"))
    world.add("rx", prescription(world, "carprofen", refills=3))
    return world


def product(
    generic: str, strength: str, ndc11: str, *, mg: float, schedule: int | None = None
) -> Product:
    return Product(
        generic_name=generic,
        strength=strength,
        strength_mg_per_unit=Decimal(str(mg)),
        dosage_form="tablet",
        ndc11=ndc11,
        schedule=schedule,
        dose_ranges={"canine": [1.0, 4.4]} if generic == "carprofen" else {},
        flagged_species=["feline"] if generic == "carprofen" else [],
        drug_class="NSAID" if generic == "carprofen" else "",
    )


def prescription(
    world: World,
    product_key: str,
    *,
    refills: int,
    remaining: int | None = None,
    written_on: date | None = None,
    patient_key: str = "dog",
    prescriber_key: str = "dvm",
    quantity: int = 60,
    directions: str = "1 tab PO BID x 30d",
) -> Prescription:
    written = written_on or TODAY - timedelta(days=30)
    return Prescription(
        patient_id=world[patient_key],
        product_id=world[product_key],
        prescriber_id=world[prescriber_key],
        directions=directions,
        quantity=Decimal(quantity),
        refills_authorized=refills,
        refills_remaining=refills if remaining is None else remaining,
        written_on=written,
        expires_on=written + timedelta(days=365),
    )


def user_row(db: Database, user_id: int) -> User:
    with db.read() as session:
        user = session.get(User, user_id)
        assert user is not None
        return user
