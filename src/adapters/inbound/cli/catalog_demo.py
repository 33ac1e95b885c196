"""The catalog's demo data: a Spanish presentation and a few services for each demo seller.
Idempotent, and seeded once: a seller who has a profile keeps it as it is, and one who ever had
services (deleted ones too) gets none again, so a restart never undoes what the seller changed."""

from __future__ import annotations

from flask import current_app

from adapters.inbound.http.wiring import use_case
from application.accounts.ports import UserRepository
from adapters.inbound.cli.demo_images import seller_portrait, service_scene
from application.catalog.use_cases import (
    AddServicePhoto,
    CreateService,
    ExportSellerServicesData,
    GetMySellerProfile,
    PutMySellerProfile,
    SetMySellerPhoto,
)
from domain.accounts.email import Email
from domain.catalog.errors import SellerProfileNotFound
from domain.catalog.geo import GeoPoint, TravelArea
from domain.catalog.profile import Presentation
from domain.catalog.service import PriceModel, ServiceDetails
from domain.shared.access import Actor, Role
from domain.shared.money import Money


def _eur(amount: int) -> Money:
    return Money(amount, "EUR")


DEMO_CATALOG: dict[str, tuple[Presentation, list[ServiceDetails]]] = {
    "carlos.plumber@example.com": (
        Presentation(
            display_name="Carlos Fontanería", headline="Fontanero en Madrid, urgencias en el día",
            bio=("Llevo más de 18 años arreglando fugas, grifos, cisternas y calentadores en Madrid.\n\n"
                 "Presupuesto claro antes de empezar, trabajo limpio y garantía de 6 meses en cada reparación."),
            years_experience=18, languages=["es", "en"], service_areas=["Madrid", "28001", "28004", "28010"],
            travel_area=TravelArea(GeoPoint(40.4168, -3.7038), 15)),
        [
            ServiceDetails(title="Reparación de fugas y grifos", category="plumbing",
                           description="Localizo y reparo fugas, cambio grifos y cartuchos. Material aparte.",
                           price_model=PriceModel.FIXED, price=_eur(4500), duration_minutes=60,
                           service_areas=["Madrid", "28001", "28004"], tags=["urgente", "grifos"]),
            ServiceDetails(title="Desatasco de tuberías y desagües", category="plumbing",
                           description="Desatasco de fregaderos, lavabos, duchas y bajantes con máquina.",
                           price_model=PriceModel.FIXED, price=_eur(6000), duration_minutes=90,
                           service_areas=["Madrid"], tags=["desatascos"]),
            ServiceDetails(title="Instalación de calentador o termo", category="heating-air-conditioning",
                           description="Sustitución e instalación de calentadores de gas y termos eléctricos.",
                           price_model=PriceModel.QUOTE, price=None, duration_minutes=180,
                           service_areas=["Madrid", "28010"], tags=["termo", "calentador"]),
        ]),
    "elena.cleaning@example.com": (
        Presentation(
            display_name="Elena Limpiezas", headline="Limpieza de hogares y oficinas en Sevilla",
            bio="Equipo de tres personas con productos ecológicos. Limpiezas puntuales, semanales y tras obra.",
            years_experience=9, languages=["es"], service_areas=["Sevilla", "41001", "41010"],
            travel_area=TravelArea(GeoPoint(37.3891, -5.9845), 15)),
        [
            ServiceDetails(title="Limpieza general del hogar", category="cleaning",
                           description="Cocina, baños, suelos y polvo. Llevamos todo el material.",
                           price_model=PriceModel.HOURLY, price=_eur(1500), duration_minutes=180,
                           service_areas=["Sevilla", "41001"], tags=["ecológico"]),
            ServiceDetails(title="Limpieza a fondo tras obra o mudanza", category="cleaning",
                           description="Retirada de polvo de obra, restos de pintura y cristales.",
                           price_model=PriceModel.QUOTE, price=None, duration_minutes=480,
                           service_areas=["Sevilla"], tags=["fin de obra"]),
            ServiceDetails(title="Limpieza de cristales y ventanas", category="windows-glass",
                           description="Cristales por dentro y por fuera, marcos y persianas.",
                           price_model=PriceModel.HOURLY, price=_eur(1800), duration_minutes=120,
                           service_areas=["Sevilla", "41010"], tags=["ventanas"]),
        ]),
    "jorge.electric@example.com": (
        Presentation(
            display_name="Jorge Electricista", headline="Electricista autorizado, boletines y reformas",
            bio="Instalador autorizado. Boletines eléctricos, cuadros, enchufes y reparación de electrodomésticos.",
            years_experience=12, languages=["es", "en"], service_areas=["Valencia", "46001", "46002"],
            travel_area=TravelArea(GeoPoint(39.4699, -0.3763), 20)),
        [
            ServiceDetails(title="Instalación de enchufes y puntos de luz", category="electrical",
                           description="Nuevos enchufes, interruptores y puntos de luz, con material básico.",
                           price_model=PriceModel.FIXED, price=_eur(3500), duration_minutes=60,
                           service_areas=["Valencia", "46001"], tags=["enchufes"]),
            ServiceDetails(title="Boletín eléctrico (certificado de instalación)", category="electrical",
                           description="Revisión de la instalación y emisión del certificado para la compañía.",
                           price_model=PriceModel.FIXED, price=_eur(9000), duration_minutes=120,
                           service_areas=["Valencia"], tags=["boletín", "certificado"]),
            ServiceDetails(title="Reparación de lavadoras y lavavajillas", category="appliance-repair",
                           description="Diagnóstico y reparación en tu casa; las piezas se presupuestan aparte.",
                           price_model=PriceModel.HOURLY, price=_eur(3000), duration_minutes=60,
                           service_areas=["Valencia", "46002"], tags=["lavadora"]),
        ]),
    "marta.garden@example.com": (
        Presentation(
            display_name="Marta Jardines", headline="Jardinería y poda en Málaga",
            bio="Diseño y mantenimiento de jardines, poda de árboles y setos, riego automático.",
            years_experience=7, languages=["es", "en"], service_areas=["Málaga", "29001", "Marbella"],
            travel_area=TravelArea(GeoPoint(36.7213, -4.4214), 40)),
        [
            ServiceDetails(title="Poda de setos y árboles", category="gardening",
                           description="Poda de formación y mantenimiento, con retirada de restos.",
                           price_model=PriceModel.HOURLY, price=_eur(2500), duration_minutes=120,
                           service_areas=["Málaga", "Marbella"], tags=["poda"]),
            ServiceDetails(title="Mantenimiento mensual de jardín", category="gardening",
                           description="Dos visitas al mes: césped, riego, abonado y limpieza.",
                           price_model=PriceModel.FIXED, price=_eur(8000), duration_minutes=240,
                           service_areas=["Málaga", "29001"], tags=["mantenimiento"]),
            ServiceDetails(title="Tratamiento contra plagas del jardín", category="pest-control",
                           description="Tratamiento de hormigas, pulgón y procesionaria con productos autorizados.",
                           price_model=PriceModel.FIXED, price=_eur(7000), duration_minutes=90,
                           service_areas=["Málaga"], tags=["plagas"]),
        ]),
}


def ensure_demo_catalog(email: str) -> str:
    """Profile and services of one demo seller; says what it did."""
    if email not in DEMO_CATALOG:
        return ""
    user = current_app.extensions["injector"].get(UserRepository).get_by_email(Email(email))
    if user is None:
        return "no account"
    actor = Actor(user.id, frozenset({Role.BUYER, Role.SELLER}))
    presentation, services = DEMO_CATALOG[email]
    photos = 0
    try:
        use_case(GetMySellerProfile).execute(actor)
        done = ["profile kept"]
    except SellerProfileNotFound:
        use_case(PutMySellerProfile).execute(actor, presentation)
        # Photos come with what is seeded now, never again: a seller who removed theirs keeps it removed.
        use_case(SetMySellerPhoto).execute(actor, seller_portrait(presentation.display_name))
        photos += 1
        done = ["profile created"]
    if use_case(ExportSellerServicesData).execute(user.id):
        done.append("services kept")
    else:
        for details in services:
            service = use_case(CreateService).execute(actor, details)
            use_case(AddServicePhoto).execute(actor, service.id, service_scene(service.title, service.category))
            photos += 1
        done.append(f"{len(services)} services created")
    done.append(f"{photos} photos added" if photos else "photos kept")
    return ", ".join(done)
