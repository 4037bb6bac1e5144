"""Matching a faxed item to client, pet and prescription: tolerant, but never a silent guess."""

from __future__ import annotations

from rxflow.fax import ExtractedItem, match_item
from rxflow.fax.match import ClientCandidate, PatientCandidate, PrescriptionCandidate

CARPROFEN = PrescriptionCandidate(101, "carprofen", "Rimadyl", "75 mg")
GABAPENTIN = PrescriptionCandidate(102, "gabapentin", "Neurontin", "100 mg")
METHIMAZOLE = PrescriptionCandidate(201, "methimazole", "Tapazole", "5 mg")
HARRIS = ClientCandidate(
    1,
    "William",
    "Harris",
    (
        PatientCandidate(11, "Max", "Canine", (CARPROFEN, GABAPENTIN)),
        PatientCandidate(12, "Luna", "Feline", (METHIMAZOLE,)),
    ),
)
NGUYEN = ClientCandidate(
    2, "Katherine", "Nguyen", (PatientCandidate(21, "Bella", "Dog", (CARPROFEN,)),)
)
OBRIEN = ClientCandidate(
    3, "Margaret", "O'Brien", (PatientCandidate(31, "Max", "Dog", (GABAPENTIN,)),)
)
CLIENTS = [HARRIS, NGUYEN, OBRIEN]


def item(**fields: str) -> ExtractedItem:
    base = {
        "client_name": "William Harris",
        "patient_name": "Max",
        "species": "canine",
        "drug": "Carprofen",
        "strength": "75 mg",
    }
    return ExtractedItem(**{**base, **fields})  # type: ignore[arg-type]


def test_an_exact_item_matches_confidently() -> None:
    match = match_item(item(), CLIENTS)
    assert (match.client_id, match.patient_id, match.prescription_id) == (1, 11, 101)
    assert match.confident and match.reasons == []


def test_nicknames_case_and_punctuation_still_match() -> None:
    assert match_item(item(client_name="BILL HARRIS"), CLIENTS).confident
    assert match_item(item(client_name="Harris, Will"), CLIENTS).client_id == 1
    kate = match_item(item(client_name="Kate Nguyen", patient_name="BELLA"), CLIENTS)
    assert (kate.client_id, kate.patient_id, kate.confident) == (2, 21, True)
    assert match_item(
        item(client_name="Margaret OBrien", drug="Gabapentin", strength="100 mg"), CLIENTS
    ).confident


def test_small_typos_still_match() -> None:
    match = match_item(item(client_name="Wiliam Harriss", drug="Carprofin"), CLIENTS)
    assert (match.client_id, match.patient_id, match.prescription_id) == (1, 11, 101)
    assert match.confident


def test_brand_names_match_the_prescription() -> None:
    assert match_item(item(drug="Rimadyl"), CLIENTS).prescription_id == 101


def test_species_words_from_the_chart_match_the_canonical_species() -> None:
    for word in ("K-9", "Dog", "canine"):
        match = match_item(
            item(
                client_name="Margaret O'Brien", species=word, drug="Gabapentin", strength="100 mg"
            ),
            CLIENTS,
        )
        assert match.patient_id == 31 and match.confident


def test_a_different_species_is_not_confident() -> None:
    match = match_item(item(species="feline"), CLIENTS)
    assert not match.confident and match.reasons


def test_two_similar_clients_are_ambiguous_and_not_guessed() -> None:
    twin = ClientCandidate(
        9, "Billy", "Harris", (PatientCandidate(91, "Max", "Canine", (CARPROFEN,)),)
    )
    match = match_item(item(client_name="Bill Harris"), [*CLIENTS, twin])
    assert match.client_id is None and not match.confident
    assert any("more than one client" in r.lower() for r in match.reasons)


def test_the_pet_breaks_a_tie_between_two_same_named_clients() -> None:
    other = ClientCandidate(8, "William", "Harris", (PatientCandidate(81, "Rocco", "Canine"),))
    match = match_item(item(), [HARRIS, other])
    assert match.client_id == 1 and match.confident


def test_an_unknown_client_is_not_matched() -> None:
    match = match_item(item(client_name="Priya Patel"), CLIENTS)
    assert match.client_id is None and not match.confident
    assert match.scores["client"] < 0.6


def test_a_wrong_strength_is_not_confident() -> None:
    match = match_item(item(strength="25 mg"), CLIENTS)
    assert match.prescription_id == 101 and not match.confident


def test_an_unknown_drug_is_not_matched() -> None:
    match = match_item(item(drug="Apoquel", strength="16 mg"), CLIENTS)
    assert match.prescription_id is None and not match.confident


def test_a_missing_pet_name_is_not_confident() -> None:
    match = match_item(item(patient_name=""), CLIENTS)
    assert not match.confident and "The fax does not name the pet." in match.reasons


def test_no_candidates_means_no_match() -> None:
    match = match_item(item(), [])
    assert not match.confident and match.client_id is None


def test_reasons_do_not_repeat_names() -> None:
    match = match_item(item(client_name="Wiliam Harriss", species="feline"), CLIENTS)
    assert all("Harris" not in reason for reason in match.reasons)
