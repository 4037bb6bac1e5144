"""Label synonyms and value normalisers for the fields of an incoming pharmacy fax."""

from __future__ import annotations

import difflib
import re
from functools import lru_cache
from typing import Final

FIELDS: Final = (
    "client_name",
    "patient_name",
    "species",
    "drug",
    "strength",
    "quantity",
    "directions",
    "prescriber",
    "pharmacy",
    "pharmacy_fax",
)
# Fields that belong to one medication; the rest are shared by every medication on the fax.
MEDICATION_FIELDS: Final = frozenset({"drug", "strength", "quantity", "directions"})

# Label text (lower case, punctuation removed) -> field. Longer labels win over shorter ones,
# so "pharmacy fax" beats "pharmacy" and "patient name" beats "patient".
LABELS: Final[dict[str, str]] = {
    **dict.fromkeys(
        [
            "owner",
            "owner name",
            "pet parent",
            "client",
            "client name",
            "pet owner",
            "owner client",
            "client owner",
            "guardian",
            "customer",
            "customer name",
        ],
        "client_name",
    ),
    **dict.fromkeys(
        ["animal", "animal name", "patient", "patient name", "pet", "pet name", "pets name"],
        "patient_name",
    ),
    **dict.fromkeys(["species", "animal type", "pet type", "species breed"], "species"),
    **dict.fromkeys(
        [
            "product",
            "medication",
            "medication name",
            "drug",
            "drug name",
            "medicine",
            "item",
            "rx",
            "product name",
            "requested medication",
            "medication requested",
        ],
        "drug",
    ),
    **dict.fromkeys(["strength", "dose strength", "potency"], "strength"),
    **dict.fromkeys(
        [
            "qty",
            "quantity",
            "dispense",
            "disp",
            "amount",
            "qty requested",
            "quantity requested",
            "count",
        ],
        "quantity",
    ),
    **dict.fromkeys(
        [
            "sig",
            "directions",
            "instructions",
            "directions for use",
            "dosing instructions",
            "sig directions",
            "dosage instructions",
            "usage",
        ],
        "directions",
    ),
    **dict.fromkeys(
        [
            "prescriber",
            "doctor",
            "veterinarian",
            "dvm",
            "prescribing veterinarian",
            "prescribing doctor",
            "vet",
            "prescribed by",
            "attending veterinarian",
        ],
        "prescriber",
    ),
    **dict.fromkeys(
        [
            "pharmacy",
            "pharmacy name",
            "from pharmacy",
            "dispensing pharmacy",
            "requesting pharmacy",
            "from",
        ],
        "pharmacy",
    ),
    **dict.fromkeys(
        [
            "pharmacy fax",
            "fax",
            "reply fax",
            "return fax",
            "fax back",
            "pharmacy fax number",
            "fax number",
            "reply to fax",
            "fax no",
        ],
        "pharmacy_fax",
    ),
}

# Labels of fields we do not extract; knowing them stops their values being read as ours.
OTHER_LABELS: Final = frozenset(
    [
        "to",
        "date",
        "phone",
        "tel",
        "telephone",
        "address",
        "dob",
        "date of birth",
        "weight",
        "breed",
        "sex",
        "age",
        "refills",
        "refills remaining",
        "npi",
        "dea",
        "clinic",
        "hospital",
        "re",
        "subject",
        "pages",
        "attn",
        "attention",
        "ncpdp",
        "rx number",
        "rx no",
        "email",
        "clinic fax",
        "hospital fax",
        "notes",
        "comments",
        "color",
        "last fill",
        "date written",
        "signature",
        "no",
        "line",
        "request date",
        "phone number",
    ]
)

SPECIES: Final[dict[str, str]] = {
    **dict.fromkeys(["canine", "dog", "k9", "k-9", "puppy", "canis"], "canine"),
    **dict.fromkeys(["feline", "cat", "kitten", "felis"], "feline"),
    **dict.fromkeys(["equine", "horse", "pony", "mare", "gelding", "stallion"], "equine"),
    **dict.fromkeys(["avian", "bird", "parrot", "cockatiel", "parakeet", "budgie"], "avian"),
    **dict.fromkeys(["rabbit", "bunny", "lagomorph"], "rabbit"),
    **dict.fromkeys(["ferret"], "ferret"),
    **dict.fromkeys(
        ["reptile", "lizard", "snake", "turtle", "tortoise", "gecko", "iguana"], "reptile"
    ),
    **dict.fromkeys(["other", "exotic"], "other"),
}

STRENGTH_RE: Final = re.compile(
    r"(?<![\w.])(\d+(?:[.,]\d+)?)\s*(mg/ml|mg/tab|mcg/ml|mg|mcg|µg|ug|ml|iu|g|%)(?![a-z])",
    re.IGNORECASE,
)
DOSAGE_FORMS: Final = re.compile(
    r"\b(tablets?|tabs?|capsules?|caps?|chewables?|chewable|oral|suspension|solution|"
    r"liquid|injectable|injection|transdermal|gel|ointment|drops?|flavou?red|scored|er|sr)\b.*$",
    re.IGNORECASE,
)
_TITLE: Final = re.compile(r"^(dr\.?|doctor)\s+", re.IGNORECASE)
_DEGREE: Final = re.compile(r"[,\s]+(dvm|vmd|ms|phd|dacvim|bvsc|mrcvs)\.?\s*$", re.IGNORECASE)


def label_key(text: str) -> str:
    """Label text as looked up in LABELS: lower case, letters, digits and single spaces."""
    cleaned = re.sub(r"[^a-z0-9/ -]", "", text.lower().replace("'", ""))
    cleaned = cleaned.replace("/", " ").replace("-", " ")
    return " ".join(cleaned.split())


def clean(value: str) -> str:
    """Collapse whitespace and strip the punctuation a form leaves around a value."""
    return " ".join(value.split()).strip(" :;,.|_-\u2014\u2013")


def person_name(value: str) -> str:
    """'Doe, Jane' -> 'Jane Doe'; drops 'Dr.' and trailing degrees such as 'DVM'."""
    value = clean(value)
    value = _TITLE.sub("", value)
    while _DEGREE.search(value):
        value = _DEGREE.sub("", value)
    if value.count(",") == 1:
        last, first = (part.strip() for part in value.split(","))
        if last and first and " " not in last:
            value = f"{first} {last}"
    return clean(value)


def species(value: str) -> str:
    """Canonical species word, or '' when the text names no species we know."""
    for word in re.findall(r"[a-z0-9]+(?:-9)?", value.lower()):
        if word in SPECIES:
            return SPECIES[word]
    return ""


def strength(value: str) -> str:
    """'75mg' -> '75 mg'; '' when the text holds no strength."""
    found = STRENGTH_RE.search(value)
    if not found:
        return ""
    number = found.group(1).replace(",", ".")
    unit = found.group(2).lower().replace("µg", "mcg").replace("ug", "mcg")
    return f"{number} {unit}"


def drug_name(value: str) -> str:
    """The drug without its strength and dosage form: 'Carprofen 75 mg tabs' -> 'Carprofen'."""
    value = clean(value)
    found = STRENGTH_RE.search(value)
    if found:
        value = value[: found.start()]
    value = DOSAGE_FORMS.sub("", value)
    return clean(re.sub(r"\(.*?\)", "", value)) or ""


def quantity(value: str) -> str:
    """The first whole number in the text ('#60', '60 tablets', 'Sixty (60)') as digits."""
    found = re.search(r"\((\d+)\)", value) or re.search(r"(?<![\d.])(\d{1,5})(?!\d|[.,]\d)", value)
    return found.group(1) if found else ""


def fax_digits(value: str) -> str:
    """The digits of a North American fax number, without a leading 1; '' when not ten digits."""
    digits = re.sub(r"\D", "", value)
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    return digits if len(digits) == 10 else ""


def normalise(field: str, value: str) -> str:
    """The value as the rest of rxflow stores it, '' when it is not a plausible value."""
    if field in ("client_name", "patient_name", "prescriber"):
        return person_name(value)
    if field == "species":
        return species(value)
    if field == "strength":
        return strength(value)
    if field == "drug":
        return drug_name(value)
    if field == "quantity":
        return quantity(value)
    if field == "pharmacy_fax":
        return fax_digits(value)
    return clean(value)


@lru_cache(maxsize=4096)
def closest_label(key: str) -> str:
    """The known label an OCR misreading most resembles ('cirections for use'), else key itself."""
    if len(key) < 4:
        return key
    known = [*LABELS, *OTHER_LABELS]
    found = difflib.get_close_matches(key, known, n=1, cutoff=0.8)
    return found[0] if found else key
