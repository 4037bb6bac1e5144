"""Loads formulary entries into the products table (insert or update by NDC) and reads them back."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from rxflow.db.models import Product
from rxflow.formulary import STARTER, FormularyEntry, read_csv


def starter_formulary() -> list[FormularyEntry]:
    return read_csv(STARTER)


def import_formulary(session: Session, entries: list[FormularyEntry]) -> tuple[int, int]:
    """Insert new products and update known ones (matched by NDC); returns (added, updated)."""
    known = {p.ndc11: p for p in session.scalars(select(Product).where(Product.ndc11.is_not(None)))}
    added = updated = 0
    for entry in entries:
        product = known.get(entry.ndc11)
        if product is None:
            product = Product(ndc11=entry.ndc11)
            session.add(product)
            added += 1
        else:
            updated += 1
        product.generic_name = entry.generic_name
        product.brand_name = entry.brand_name
        product.drug_class = entry.drug_class
        product.strength = entry.strength
        product.strength_mg_per_unit = (
            Decimal(str(entry.strength_mg_per_unit)) if entry.strength_mg_per_unit else None
        )
        product.dosage_form = entry.dosage_form
        product.schedule = entry.schedule
        product.flagged_species = list(entry.flagged_species)
        product.dose_ranges = {k: list(v) for k, v in entry.dose_ranges.items()}
        product.side_effects = entry.side_effects
        product.missed_dose = entry.missed_dose
        product.source = entry.source
    session.flush()
    return added, updated


def export_formulary(session: Session) -> list[FormularyEntry]:
    products = session.scalars(
        select(Product).where(Product.ndc11.is_not(None)).order_by(Product.id)
    )
    return [
        FormularyEntry(
            generic_name=p.generic_name, brand_name=p.brand_name, drug_class=p.drug_class,
            strength=p.strength,
            strength_mg_per_unit=float(p.strength_mg_per_unit) if p.strength_mg_per_unit else None,
            dosage_form=p.dosage_form, ndc11=p.ndc11 or "", schedule=p.schedule,
            flagged_species=tuple(p.flagged_species),
            dose_ranges={k: (float(v[0]), float(v[1])) for k, v in p.dose_ranges.items()},
            side_effects=p.side_effects, missed_dose=p.missed_dose, source=p.source,
        )
        for p in products
    ]  # fmt: skip
