"""Who hears from us, and how: the client's preference, opt-out and the patient's status.

Nothing at all goes to a client who opted out, or about a patient recorded as deceased. A client
who prefers a phone call, or whose address is missing, becomes a callback for the front desk
(channel "phone", status "callback") instead of a message nobody receives.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rxflow.db.models import Client, Patient

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class Route:
    """Where one message goes: `callback_reason` is set when a person must call instead."""

    channel: str  # email | sms | phone
    address: str  # an email address, or the phone digits
    callback_reason: str = ""


def phone_digits(phone: str) -> str:
    return re.sub(r"\D", "", phone)


def route_for(client: Client, patient: Patient) -> Route | None:
    """The route for a message about `patient`; None when nothing may be sent at all."""
    if client.opted_out or patient.deceased:
        return None
    digits = phone_digits(client.phone)
    preference = client.contact_preference
    if preference == "email":
        if _EMAIL.match(client.email.strip()):
            return Route("email", client.email.strip())
        return Route("phone", digits, "No usable email address on file; please call.")
    if preference == "sms":
        if 7 <= len(digits) <= 15:
            return Route("sms", digits)
        return Route("phone", digits, "No mobile number on file for texts; please call.")
    return Route("phone", digits, "The client prefers a phone call.")
