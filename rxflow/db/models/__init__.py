"""Typed models, one module per area of the front desk; import them all from here."""

from rxflow.db.base import Base
from rxflow.db.models.clinic import Client, Patient, Weight
from rxflow.db.models.formulary import Pharmacy, Product, StockLot, StockMovement
from rxflow.db.models.outbox import InboundFax, OutboxMessage
from rxflow.db.models.people import ApiToken, Practice, User
from rxflow.db.models.records import AuditEvent, Document
from rxflow.db.models.workflow import (
    Approval,
    ChecklistRun,
    Dispense,
    Fill,
    Prescription,
    RefillRequest,
)

__all__ = [
    "ApiToken",
    "Approval",
    "AuditEvent",
    "Base",
    "ChecklistRun",
    "Client",
    "Dispense",
    "Document",
    "Fill",
    "InboundFax",
    "OutboxMessage",
    "Patient",
    "Pharmacy",
    "Practice",
    "Prescription",
    "Product",
    "RefillRequest",
    "StockLot",
    "StockMovement",
    "User",
    "Weight",
]
