"""Generated catalog data, built by the catalog's own domain and mapping code (``Service.create``,
``service_to_raw``), so the documents are exactly what the app writes."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from adapters.outbound.catalog.mongo_repositories import service_to_raw
from domain.catalog.categories import CATEGORIES
from domain.catalog.geo import GeoPoint, TravelArea
from domain.catalog.service import PriceModel, Service, ServiceDetails
from domain.shared.money import Money

# Topic words give keywords of different selectivity: "tema000" is in about 1 in 50 services.
TOPICS = [f"tema{i:03d}" for i in range(50)]
AREAS = [f"280{i:02d}" for i in range(40)] + ["Madrid", "Sevilla", "Valencia", "Bilbao", "Zaragoza"]
SERVICES_PER_SELLER = 10
EPOCH = datetime(2025, 11, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Sample:
    """Values the searches of the benchmark ask for, known to exist in the data."""

    seller_id: str
    category: str
    topic: str
    area: str
    second_topic: str  # with ``topic``, a query of two keywords (ranked in memory by relevance)


def seller_id_of(n: int) -> str:
    return f"bench-seller-{n // SERVICES_PER_SELLER:06d}"


def service(n: int, rng: random.Random) -> Service:
    cat = CATEGORIES[n % len(CATEGORIES)]
    topic_a, topic_b = rng.sample(TOPICS, 2)
    roll = rng.random()
    model = PriceModel.FIXED if roll < 0.7 else PriceModel.HOURLY if roll < 0.9 else PriceModel.QUOTE
    price = None if model is PriceModel.QUOTE else Money(rng.randrange(1_000, 30_000, 50), "EUR")
    details = ServiceDetails(
        title=f"{cat.name_es} {topic_a} servicio {n}", category=cat.slug, price_model=model, price=price,
        description=f"{cat.name_en} work about {topic_a} and {topic_b}. Materials quoted apart.",
        duration_minutes=rng.choice((30, 60, 90, 120, 240)), service_areas=rng.sample(AREAS, rng.randint(1, 3)),
        tags=[topic_b])
    created = EPOCH + timedelta(minutes=n * 3 + rng.randrange(3))
    svc = Service.create(service_id=f"bench-svc-{n:07d}", seller_id=seller_id_of(n), details=details,
                         seller_accepting_jobs=rng.random() < 0.95, now=created,
                         travel_area=travel_area_of(n // SERVICES_PER_SELLER))
    if rng.random() < 0.05:
        svc.pause(created)
    svc.rating_count = rng.randrange(0, 40)
    svc.rating_average = round(rng.uniform(3.0, 5.0), 2) if svc.rating_count else 0.0
    return svc


def documents(start: int, stop: int, seed: int = 7) -> list[dict[str, Any]]:
    """Services ``start`` to ``stop`` (each with its own seed, so growing 1k to 10k keeps the first 1k)."""
    docs = []
    for n in range(start, stop):
        raw = service_to_raw(service(n, random.Random(seed * 1_000_003 + n)))
        raw["rating_sum"] = round(raw["rating_average"] * raw["rating_count"])
        docs.append(raw)
    return docs


def sample() -> Sample:
    return Sample(seller_id=seller_id_of(0), category=CATEGORIES[0].slug, topic=TOPICS[0], area="28001",
                  second_topic=TOPICS[1])


# Sellers live around three cities (issue #11's brute-force tests use the same ones), spread over
# about 30 km, and travel 5 to 40 km: a buyer in central Madrid is covered by a few percent.
CITIES = {"madrid": (40.4168, -3.7038), "barcelona": (41.3874, 2.1686), "valencia": (39.4699, -0.3763)}
BUYER = GeoPoint(*CITIES["madrid"])
BUYER_RADIUS_KM = 10


def travel_area_of(seller: int) -> TravelArea:
    rng = random.Random(1_000_003 * 11 + seller)
    lat, lng = list(CITIES.values())[seller % len(CITIES)]
    return TravelArea(GeoPoint(round(lat + rng.uniform(-0.15, 0.15), 5), round(lng + rng.uniform(-0.2, 0.2), 5)),
                      rng.choice((5, 10, 15, 20, 30, 40)))


def free_time_documents(sellers: range, day: str) -> list[dict[str, Any]]:
    """The orders context's kept summary of ``day`` for each seller (``seller_free_time``): a
    fifth fully booked, the others free for a job of 1 to 8 hours in some parts of the day."""
    docs = []
    for seller in sellers:
        rng = random.Random(1_000_003 * 13 + seller)
        booked = rng.random() < 0.2
        longest = {part: (0 if booked or rng.random() < 0.3 else rng.choice((60, 120, 240, 480)))
                   for part in ("morning", "afternoon", "evening")}
        seller_id = f"bench-seller-{seller:06d}"
        docs.append({"_id": f"{seller_id}:{day}", "seller_id": seller_id, "date": day, "time_zone": "Europe/Madrid",
                     "longest_any": max(longest.values()), "longest": longest, "free_minutes": dict(longest)})
    return docs
