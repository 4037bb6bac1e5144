"""Plain frozen input models for every document: the integrator fills them, renderers only read."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, Field, model_validator

ROMAN = {2: "II", 3: "III", 4: "IV", 5: "V"}


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PracticeInfo(_Frozen):
    name: str
    address_lines: tuple[str, ...]
    phone: str
    fax: str | None = None


class PrescriberInfo(_Frozen):
    name: str
    license_number: str
    dea_number: str | None = None
    signature_png: bytes | None = None


class ClientInfo(_Frozen):
    name: str
    address_lines: tuple[str, ...] = ()
    phone: str | None = None


class Weight(NamedTuple):
    """One weighing; plain `(date, kg)` tuples are accepted."""

    on: date
    kg: Decimal


class PatientInfo(_Frozen):
    name: str
    species: str
    breed: str | None = None
    sex: str | None = None
    weights: tuple[Weight, ...] = ()
    last_exam_on: date | None = None
    alerts: tuple[str, ...] = ()


class DrugInfo(_Frozen):
    generic_name: str
    brand_name: str | None = None
    strength: str
    dosage_form: str
    schedule: int | None = Field(default=None, ge=2, le=5)
    ndc: str | None = None

    @property
    def name(self) -> str:
        """Generic name, with the brand in parentheses where the formulary has one."""
        return f"{self.generic_name} ({self.brand_name})" if self.brand_name else self.generic_name

    @property
    def full_name(self) -> str:
        return f"{self.name} {self.strength} {self.dosage_form}"

    @property
    def schedule_mark(self) -> str | None:
        """C-II ... C-V, the mark pharmacies print for a DEA schedule."""
        return f"C-{ROMAN[self.schedule]}" if self.schedule else None

    @property
    def needs_transfer_warning(self) -> bool:
        """21 CFR 290.5: the transfer warning applies to Schedule II-IV, not V."""
        return self.schedule is not None and self.schedule <= 4


class PharmacyInfo(_Frozen):
    name: str
    address_lines: tuple[str, ...] = ()
    phone: str | None = None
    fax: str | None = None


class MedicationOrder(_Frozen):
    """What was asked for or authorized: drug, quantity, directions and refills."""

    drug: DrugInfo
    quantity: Decimal = Field(gt=0)
    quantity_unit: str
    directions_plain: str
    refills: int = Field(ge=0)


class LabelData(_Frozen):
    request_number: str = Field(min_length=1)
    practice: PracticeInfo
    prescriber: PrescriberInfo
    client: ClientInfo
    patient: PatientInfo
    drug: DrugInfo
    quantity: Decimal = Field(gt=0)
    quantity_unit: str
    directions_plain: str
    filled_on: date
    discard_by: date
    refills_remaining: int = Field(ge=0)
    lot_number: str | None = None


class LabelPrint(_Frozen):
    """One or more labels on a stock; on a sheet stock they start at `start_position` (1-based)."""

    labels: tuple[LabelData, ...] = Field(min_length=1)
    stock: str
    start_position: int = Field(default=1, ge=1)


class WrittenPrescription(_Frozen):
    request_number: str
    practice: PracticeInfo
    prescriber: PrescriberInfo
    client: ClientInfo
    patient: PatientInfo
    drug: DrugInfo
    quantity: Decimal = Field(gt=0)
    quantity_unit: str
    directions_plain: str
    refills: int = Field(ge=0)
    written_on: date
    pharmacy: PharmacyInfo | None = None
    advance_copy: bool = False
    note: str | None = None


DEFAULT_CONFIDENTIALITY = (
    "CONFIDENTIAL: This facsimile contains prescription and client information intended only "
    "for the pharmacy named above. If you received it in error, notify the sender by phone "
    "immediately and destroy every page. Any other use, copying or distribution is prohibited."
)


class FaxCoverSheet(_Frozen):
    to: PharmacyInfo
    practice: PracticeInfo
    sender_name: str
    pages: int = Field(ge=1, description="Pages including this cover sheet")
    sent_on: date
    subject: str
    note: str | None = None
    confidentiality_notice: str = DEFAULT_CONFIDENTIALITY


ResponseOutcome = Literal["approved", "approved_with_changes", "replace", "denied", "pending"]


class PharmacyResponse(_Frozen):
    """The DVM's answer to a pharmacy's renewal request, in the five NCPDP SCRIPT ways."""

    outcome: ResponseOutcome
    pharmacy: PharmacyInfo
    pharmacy_request_number: str
    request_number: str
    practice: PracticeInfo
    prescriber: PrescriberInfo
    client: ClientInfo
    patient: PatientInfo
    requested: MedicationOrder
    authorized: MedicationOrder | None = None
    changes_note: str | None = None
    denial_code: str | None = None
    denial_reason: str | None = None
    pending_note: str | None = None
    expected_on: date | None = None
    responded_on: date

    @model_validator(mode="after")
    def _outcome_has_its_fields(self) -> PharmacyResponse:
        needs: dict[str, tuple[str, ...]] = {
            "approved": (),
            "approved_with_changes": ("authorized", "changes_note"),
            "replace": ("authorized",),
            "denied": ("denial_code", "denial_reason"),
            "pending": ("pending_note", "expected_on"),
        }
        missing = [f for f in needs[self.outcome] if getattr(self, f) is None]
        if missing:
            raise ValueError(f"a {self.outcome} response needs {', '.join(missing)}")
        return self


class PrescriptionHistoryEntry(_Frozen):
    written_on: date
    description: str
    prescriber_name: str
    refills_authorized: int
    refills_remaining: int
    expires_on: date | None = None


class FillHistoryEntry(_Frozen):
    filled_on: date
    description: str
    quantity: Decimal
    quantity_unit: str


class RefillSummary(_Frozen):
    """The one page a DVM reads to decide a refill request."""

    request_number: str
    received_on: date
    source: str
    requested_by: str
    practice: PracticeInfo
    client: ClientInfo
    patient: PatientInfo
    requested: MedicationOrder
    prescriptions: tuple[PrescriptionHistoryEntry, ...] = ()
    fills: tuple[FillHistoryEntry, ...] = ()
    note: str | None = None


class ChecklistAnswer(_Frozen):
    item: str
    answer: str
    answered_by: str
    answered_at: datetime
    note: str | None = None


class ChecklistRecord(_Frozen):
    request_number: str
    practice: PracticeInfo
    checklist_id: str
    checklist_version: int
    patient: PatientInfo
    drug: DrugInfo
    answers: tuple[ChecklistAnswer, ...]
    passed: bool


class ClientHandout(_Frozen):
    request_number: str
    practice: PracticeInfo
    client: ClientInfo
    patient: PatientInfo
    drug: DrugInfo
    directions_plain: str
    filled_on: date
    side_effects: tuple[str, ...] = ()
    missed_dose: str | None = None
    storage: str | None = None


class ReceiptLine(_Frozen):
    description: str
    quantity: Decimal
    quantity_unit: str
    amount: Decimal | None = None


class DispensingReceipt(_Frozen):
    request_number: str
    practice: PracticeInfo
    client: ClientInfo
    patient: PatientInfo
    lines: tuple[ReceiptLine, ...] = Field(min_length=1)
    dispensed_at: datetime
    dispensed_by: str
    handed_to: str
    counselled: bool


class ControlledLogRow(_Frozen):
    at: datetime
    description: str
    quantity_in: Decimal = Decimal(0)
    quantity_out: Decimal = Decimal(0)
    request_number: str | None = None
    patient_name: str | None = None
    client_name: str | None = None
    recorded_by: str
    witnessed_by: str | None = None


class ControlledLog(_Frozen):
    """The per-drug log a practice manager prints; the running balance is computed here."""

    practice: PracticeInfo
    registrant: PrescriberInfo
    drug: DrugInfo
    quantity_unit: str
    opening_balance: Decimal
    period_start: date
    period_end: date
    rows: tuple[ControlledLogRow, ...]

    @model_validator(mode="after")
    def _is_controlled(self) -> ControlledLog:
        if self.drug.schedule is None:
            raise ValueError("a controlled-substance log needs a drug with a DEA schedule")
        return self


class DenialNotice(_Frozen):
    request_number: str
    practice: PracticeInfo
    client: ClientInfo
    patient: PatientInfo
    drug: DrugInfo
    denied_on: date
    reason_plain: str
    exam_needed: bool = False
    booking_instructions: str | None = None
    prescriber_name: str | None = None
