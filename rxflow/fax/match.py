"""Match an extracted fax item to a client, patient and prescription, and say when it is unsure.

Pure: the caller loads the candidates (clients with their pets and prescriptions). A match is
`confident` only when every level scores high and no other candidate comes close; otherwise
the item goes to triage with `reasons` a CSR can read. Never guess silently: an id is filled
in only for a level that is unambiguous, so a triage form can be pre-filled from it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Final, Protocol

from rxflow.fax import fields

CONFIDENT: Final = 0.85  # each level must score at least this
SUGGEST: Final = 0.6  # below this a level is not even suggested
MARGIN: Final = 0.08  # the runner-up must trail the best by more than this

# Nicknames front desks meet daily; each set is one person's possible first names.
_NICKNAME_GROUPS: Final = [
    {"william", "bill", "billy", "will", "willie", "liam"},
    {"katherine", "catherine", "kathryn", "kate", "katie", "kathy", "cathy", "kat"},
    {"robert", "bob", "bobby", "rob", "robbie", "bert"},
    {"elizabeth", "liz", "lizzie", "beth", "betty", "eliza", "libby"},
    {"margaret", "maggie", "meg", "peggy", "marge", "greta"},
    {"richard", "rick", "ricky", "dick", "rich"},
    {"james", "jim", "jimmy", "jamie"},
    {"john", "jack", "johnny", "jon"},
    {"michael", "mike", "mikey", "mick"},
    {"christopher", "chris", "topher"},
    {"christine", "christina", "chris", "tina", "chrissy"},
    {"daniel", "dan", "danny"},
    {"thomas", "tom", "tommy"},
    {"jennifer", "jen", "jenny"},
    {"patricia", "pat", "patty", "trish", "tricia"},
    {"patrick", "pat", "paddy"},
    {"anthony", "tony"},
    {"joseph", "joe", "joey"},
    {"samantha", "sam", "sammy"},
    {"samuel", "sam", "sammy"},
    {"alexander", "alex", "al"},
    {"alexandra", "alex", "sandra", "lexi"},
    {"susan", "sue", "susie"},
    {"deborah", "debbie", "deb"},
    {"rebecca", "becky", "becca"},
    {"edward", "ed", "eddie", "ted", "ned"},
    {"charles", "charlie", "chuck"},
    {"steven", "stephen", "steve"},
    {"jonathan", "jon", "jonny"},
    {"victoria", "vicky", "tori"},
    {"nicholas", "nick", "nicky"},
    {"andrew", "andy", "drew"},
    {"benjamin", "ben", "benny"},
    {"matthew", "matt"},
    {"timothy", "tim", "timmy"},
    {"gregory", "greg"},
    {"jessica", "jess", "jessie"},
    {"abigail", "abby", "gail"},
    {"priya", "pri"},
]
NICKNAMES: Final[dict[str, frozenset[str]]] = {}
for _group in _NICKNAME_GROUPS:
    for _name in _group:
        NICKNAMES[_name] = NICKNAMES.get(_name, frozenset()) | frozenset(_group)


class Item(Protocol):
    """What matching reads from an extracted item (ExtractedItem satisfies it)."""

    client_name: str
    patient_name: str
    species: str
    drug: str
    strength: str


@dataclass(frozen=True)
class PrescriptionCandidate:
    id: int
    generic_name: str
    brand_name: str = ""
    strength: str = ""


@dataclass(frozen=True)
class PatientCandidate:
    id: int
    name: str
    species: str = ""
    prescriptions: tuple[PrescriptionCandidate, ...] = ()


@dataclass(frozen=True)
class ClientCandidate:
    id: int
    first_name: str
    last_name: str
    patients: tuple[PatientCandidate, ...] = ()


@dataclass
class Match:
    """Which client, patient and prescription the item is, how sure, and why not when unsure."""

    client_id: int | None = None
    patient_id: int | None = None
    prescription_id: int | None = None
    scores: dict[str, float] = field(default_factory=dict)
    confident: bool = False
    reasons: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "client_id": self.client_id,
            "patient_id": self.patient_id,
            "prescription_id": self.prescription_id,
            "scores": dict(self.scores),
            "confident": self.confident,
            "reasons": list(self.reasons),
        }


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower().replace("'", "").replace("\u2019", ""))


def _similar(a: str, b: str) -> float:
    a, b = " ".join(_words(a)), " ".join(_words(b))
    if not a or not b:
        return 0.0
    return 1.0 if a == b else SequenceMatcher(None, a, b).ratio()


def _first_name(given: str, known: str) -> float:
    if given == known:
        return 1.0
    if known in NICKNAMES.get(given, frozenset()):
        return 0.95
    if len(given) == 1 and known.startswith(given):
        return 0.8  # an initial
    return SequenceMatcher(None, given, known).ratio()


def client_score(name: str, client: ClientCandidate) -> float:
    """How well a written name ('Bill Harris', 'HARRIS, WILLIAM', 'Wiliam Haris') fits a client."""
    words = _words(fields.person_name(name))
    first, last = _words(client.first_name), _words(client.last_name)
    if not words or not last:
        return 0.0
    last_text = " ".join(last)
    best = 0.0
    # the last name may be the last word or the last two ("Van Dyke", "O Brien")
    for cut in range(max(1, len(words) - len(last) - 1), len(words)):
        given, surname = words[:cut], " ".join(words[cut:])
        last_score = SequenceMatcher(None, surname, last_text).ratio()
        first_score = _first_name(given[0], first[0]) if given and first else 0.5
        best = max(best, 0.6 * last_score + 0.4 * first_score)
    return best


def patient_score(item: Item, patient: PatientCandidate) -> float:
    """The pet's name similarity, halved when the fax names a different species."""
    score = _similar(item.patient_name, patient.name)
    wanted, known = fields.species(item.species), fields.species(patient.species)
    if wanted and known and wanted != known:
        score *= 0.5
    return score


def prescription_score(item: Item, rx: PrescriptionCandidate) -> float:
    """The drug's name against the generic and brand names, lowered when the strength differs."""
    drug = fields.drug_name(item.drug) or item.drug
    score = max(_similar(drug, rx.generic_name), _similar(drug, rx.brand_name))
    wanted, known = fields.strength(item.strength), fields.strength(rx.strength)
    if wanted and known and _amount(wanted) != _amount(known):
        score *= 0.6
    return score


def _amount(strength: str) -> tuple[float, str]:
    number, _, unit = strength.partition(" ")
    return float(number), unit


def _with_pet(item: Item, name_score: float, client: ClientCandidate) -> float:
    if not item.patient_name:
        return name_score
    pet = max((patient_score(item, p) for p in client.patients), default=0.0)
    return 0.7 * name_score + 0.3 * pet


def _pick(scored: list[tuple[float, int]], level: str, match: Match, what: str) -> int | None:
    """Record the best score of a level; the best id unless it is weak or has a close rival."""
    if not scored:
        match.scores[level] = 0.0
        match.reasons.append(f"No {what} on file to match.")
        return None
    scored.sort(key=lambda pair: pair[0], reverse=True)
    best, best_id = scored[0]
    match.scores[level] = round(min(best, 1.0), 3)
    if len(scored) > 1 and scored[1][0] >= SUGGEST and best - scored[1][0] <= MARGIN:
        match.reasons.append(f"More than one {what} matches about equally well.")
        return None
    if best < SUGGEST:
        match.reasons.append(f"No {what} matches well enough.")
        return None
    if best < CONFIDENT:
        match.reasons.append(f"The {what} matches only partly; please confirm.")
    return best_id


def match_item(item: Item, candidates: Sequence[ClientCandidate]) -> Match:
    """Find the client, patient and prescription an extracted item refers to."""
    match = Match()
    if not item.client_name:
        match.reasons.append("The fax does not name the client.")
    clients = {c.id: c for c in candidates}
    names = {c.id: client_score(item.client_name, c) for c in candidates}
    # Rank owners by name and their best-fitting pet together, so the pet tells two
    # "William Harris" apart; two owners whose names and pets both fit stay ambiguous.
    ranked = [(_with_pet(item, names[c.id], c), c.id) for c in candidates]
    client_id = _pick(ranked, "client", match, "client")
    if client_id is not None:
        match.scores["client"] = round(names[client_id], 3)
        if (
            names[client_id] < CONFIDENT
            and "The client matches only partly; please confirm." not in match.reasons
        ):
            match.reasons.append("The client matches only partly; please confirm.")
    match.client_id = client_id
    if client_id is None:
        match.scores.setdefault("patient", 0.0)
        match.scores.setdefault("prescription", 0.0)
        return match
    client = clients[client_id]
    pets = {p.id: p for p in client.patients}
    if not item.patient_name:
        match.reasons.append("The fax does not name the pet.")
    match.patient_id = _pick(
        [(patient_score(item, p), p.id) for p in client.patients],
        "patient",
        match,
        "pet of this client",
    )
    if match.patient_id is None:
        match.scores.setdefault("prescription", 0.0)
        return match
    prescriptions = pets[match.patient_id].prescriptions
    if not item.drug:
        match.reasons.append("The fax does not name the medication.")
    match.prescription_id = _pick(
        [(prescription_score(item, rx), rx.id) for rx in prescriptions],
        "prescription",
        match,
        "prescription of this pet",
    )
    match.confident = not match.reasons and all(match.scores[k] >= CONFIDENT for k in match.scores)
    return match
