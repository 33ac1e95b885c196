"""The taxonomy of home-service categories: domain data, identified by a stable slug."""

from __future__ import annotations

from dataclasses import dataclass

from domain.catalog.errors import UnknownCategory


@dataclass(frozen=True, slots=True)
class Category:
    slug: str
    name_es: str
    name_en: str


CATEGORIES: tuple[Category, ...] = (
    Category("plumbing", "Fontanería", "Plumbing"),
    Category("electrical", "Electricidad", "Electrical"),
    Category("cleaning", "Limpieza", "Cleaning"),
    Category("gardening", "Jardinería", "Gardening"),
    Category("painting", "Pintura", "Painting"),
    Category("moving", "Mudanzas", "Moving"),
    Category("appliance-repair", "Reparación de electrodomésticos", "Appliance repair"),
    Category("heating-air-conditioning", "Calefacción y aire acondicionado", "Heating and air conditioning"),
    Category("carpentry", "Carpintería", "Carpentry"),
    Category("pest-control", "Control de plagas", "Pest control"),
    Category("handyman", "Manitas", "Handyman"),
    Category("locksmith", "Cerrajería", "Locksmith"),
    Category("roofing", "Tejados y cubiertas", "Roofing"),
    Category("masonry", "Albañilería", "Masonry"),
    Category("flooring", "Suelos y parqué", "Flooring"),
    Category("windows-glass", "Cristalería y ventanas", "Windows and glass"),
)

CATEGORIES_BY_SLUG: dict[str, Category] = {c.slug: c for c in CATEGORIES}


def category(slug: object, *, field: str = "category") -> Category:
    found = CATEGORIES_BY_SLUG.get(slug) if isinstance(slug, str) else None
    if found is None:
        raise UnknownCategory(slug, field=field)
    return found
