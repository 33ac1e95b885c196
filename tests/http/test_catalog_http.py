"""Every catalog endpoint over HTTP, on the app wired with fakes, with every 4xx of the issue."""

from __future__ import annotations

import json

import pytest

PASSWORD = "a-long-enough-password-1"


def _signup(client, email: str, role: str) -> dict[str, str]:
    assert client.post("/auth/register", json={"email": email, "password": PASSWORD, "display_name": email[:10],
                                               "role": role}).status_code == 201
    token = client.post("/auth/login", json={"email": email, "password": PASSWORD}).json["access_token"]
    return {"Authorization": f"Bearer {token}"}


PROFILE = {"display_name": "Carlos Fontanería", "headline": "Fontanero en Madrid",
           "bio": "Más de 20 años arreglando fugas.\nPresupuesto sin compromiso.",
           "years_experience": 20, "languages": ["es", "en"],
           "service_areas": ["Madrid", "28001"], "accepting_jobs": True}

SERVICE = {"title": "Reparación de grifos", "description": "Cambio cartuchos y arreglo fugas.",
           "category": "plumbing", "price_model": "fixed", "price": {"amount": 4500, "currency": "EUR"},
           "duration_minutes": 60, "service_areas": ["Madrid", "28001"],
           "tags": ["grifos", "urgente"]}


@pytest.fixture
def seller(client):
    headers = _signup(client, "carlos@example.com", "seller")
    assert client.put("/me/seller-profile", json=PROFILE, headers=headers).status_code == 200
    return headers


@pytest.fixture
def other_seller(client):
    headers = _signup(client, "elena@example.com", "seller")
    assert client.put("/me/seller-profile", json={**PROFILE, "display_name": "Elena"}, headers=headers).status_code == 200
    return headers


@pytest.fixture
def buyer(client):
    return _signup(client, "ana@example.com", "buyer")


def _create(client, headers, **overrides):
    response = client.post("/services", json={**SERVICE, **overrides}, headers=headers)
    assert response.status_code == 201, response.json
    assert response.headers["Location"] == f"/services/{response.json['id']}"
    return response.json


def _message(response) -> str:
    return response.json["message"]


class TestCategories:
    def test_lists_the_taxonomy_with_active_counts(self, client, seller):
        _create(client, seller)
        response = client.get("/categories")
        assert response.status_code == 200
        plumbing = next(c for c in response.json if c["slug"] == "plumbing")
        assert plumbing == {"slug": "plumbing", "name_es": "Fontanería", "name_en": "Plumbing", "active_services": 1}
        assert {"electrical", "cleaning", "locksmith", "roofing"} <= {c["slug"] for c in response.json}


class TestSellerProfile:
    def test_put_then_get_mine_and_public(self, client, seller):
        mine = client.get("/me/seller-profile", headers=seller)
        assert mine.status_code == 200
        assert {k: mine.json[k] for k in PROFILE} == PROFILE
        assert (mine.json["rating_average"], mine.json["rating_count"], mine.json["completed_jobs"]) == (0, 0, 0)
        service = _create(client, seller)
        public = client.get(f"/sellers/{mine.json['seller_id']}")
        assert public.status_code == 200
        assert public.json["display_name"] == "Carlos Fontanería"
        assert public.json["member_since"] == "2026-11-23T10:00:00+00:00"
        assert [s["id"] for s in public.json["services"]] == [service["id"]]

    def test_unknown_public_profile_is_404(self, client):
        assert client.get("/sellers/nobody").status_code == 404

    def test_my_profile_before_creating_it_is_404(self, client):
        headers = _signup(client, "new@example.com", "seller")
        assert client.get("/me/seller-profile", headers=headers).status_code == 404

    def test_anonymous_is_401_and_buyer_is_403(self, client, buyer):
        assert client.get("/me/seller-profile").status_code == 401
        assert client.put("/me/seller-profile", json=PROFILE).status_code == 401
        assert client.put("/me/seller-profile", json=PROFILE, headers=buyer).status_code == 403

    @pytest.mark.parametrize("body, field", [
        ({"bio": "x" * 5001}, "bio"), ({"display_name": ""}, "display_name"),
        ({"photo_url": "https://img.example.com/a.jpg"}, "photo_url"), ({"years_experience": -2}, "years_experience"),
        ({"languages": ["spanish"]}, "languages"), ({"nickname": "carlitos"}, "nickname"),
        ({"working_hours": [{"day": "mon", "opens": "18:00", "closes": "08:00"}]}, "working_hours"),
        ({"working_hours": [{"day": "someday", "opens": "08:00", "closes": "18:00"}]}, "working_hours"),
    ])
    def test_bad_fields_are_422_naming_them(self, client, seller, body, field):
        response = client.put("/me/seller-profile", json={**PROFILE, **body}, headers=seller)
        assert response.status_code == 422 and field in _message(response)

    def test_not_taking_jobs_hides_services_from_search(self, client, seller):
        _create(client, seller)
        client.put("/me/seller-profile", json={**PROFILE, "accepting_jobs": False}, headers=seller)
        assert client.get("/services").json["items"] == []


class TestServiceLifecycle:
    def test_create_get_patch_pause_resume_delete(self, client, seller):
        created = _create(client, seller)
        assert created["status"] == "active" and created["price"] == {"amount": 4500, "currency": "EUR"}
        service_id = created["id"]
        assert client.get(f"/services/{service_id}").json == created
        patched = client.patch(f"/services/{service_id}", json={"price": {"amount": 5000, "currency": "EUR"}},
                               headers=seller)
        assert patched.status_code == 200 and patched.json["price"]["amount"] == 5000
        assert patched.json["title"] == SERVICE["title"]
        assert client.post(f"/services/{service_id}/pause", headers=seller).json["status"] == "paused"
        assert client.post(f"/services/{service_id}/pause", headers=seller).status_code == 409
        assert client.get("/services").json["items"] == []
        assert client.post(f"/services/{service_id}/resume", headers=seller).json["status"] == "active"
        assert client.delete(f"/services/{service_id}", headers=seller).status_code == 204
        assert client.get(f"/services/{service_id}").status_code == 404
        assert client.delete(f"/services/{service_id}", headers=seller).status_code == 404

    def test_quote_services_have_no_price(self, client, seller):
        created = _create(client, seller, price_model="quote", price=None)
        assert created["price"] is None

    def test_a_seller_without_profile_gets_409(self, client):
        headers = _signup(client, "noprofile@example.com", "seller")
        response = client.post("/services", json=SERVICE, headers=headers)
        assert response.status_code == 409 and "seller profile" in _message(response)

    def test_buyer_creating_a_service_is_403_and_anonymous_401(self, client, buyer):
        assert client.post("/services", json=SERVICE, headers=buyer).status_code == 403
        assert client.post("/services", json=SERVICE).status_code == 401

    def test_another_sellers_service_is_403_everywhere(self, client, seller, other_seller):
        service_id = _create(client, seller)["id"]
        assert client.patch(f"/services/{service_id}", json={"title": "Mío"}, headers=other_seller).status_code == 403
        for action in ("pause", "resume"):
            assert client.post(f"/services/{service_id}/{action}", headers=other_seller).status_code == 403
        assert client.delete(f"/services/{service_id}", headers=other_seller).status_code == 403
        assert client.get(f"/services/{service_id}").json["title"] == SERVICE["title"]

    def test_a_missing_service_is_404_everywhere(self, client, seller):
        assert client.get("/services/missing").status_code == 404
        assert client.patch("/services/missing", json={"title": "Nada"}, headers=seller).status_code == 404
        for action in ("pause", "resume"):
            assert client.post(f"/services/missing/{action}", headers=seller).status_code == 404
        assert client.delete("/services/missing", headers=seller).status_code == 404

    @pytest.mark.parametrize("body, field", [
        ({"price": {"amount": -100, "currency": "EUR"}}, "price.amount"),
        ({"price": {"amount": 45.5, "currency": "EUR"}}, "price.amount"),
        ({"price": {"amount": 4500, "currency": "XYZ"}}, "price.currency"),
        ({"price": None}, "price"),
        ({"price_model": "quote"}, "price"),
        ({"price_model": "barter"}, "price_model"),
        ({"category": "astrology"}, "category"),
        ({"title": "ab"}, "title"),
        ({"description": ""}, "description"),
        ({"duration_minutes": 0}, "duration_minutes"),
        ({"service_areas": []}, "service_areas"),
        ({"image_urls": ["https://x.example.com/a.jpg"]}, "image_urls"),
        ({"tags": ["x" * 31]}, "tags"),
        ({"colour": "blue"}, "colour"),
    ])
    def test_bad_fields_are_422_naming_them(self, client, seller, body, field):
        response = client.post("/services", json={**SERVICE, **body}, headers=seller)
        assert response.status_code == 422 and field in _message(response), response.json

    def test_missing_required_fields_are_named(self, client, seller):
        response = client.post("/services", json={"title": "Sólo título"}, headers=seller)
        assert response.status_code == 422
        for field in ("description", "category", "price_model", "duration_minutes", "service_areas"):
            assert field in _message(response)

    def test_patch_validates_too(self, client, seller):
        service_id = _create(client, seller)["id"]
        response = client.patch(f"/services/{service_id}", json={"category": "astrology"}, headers=seller)
        assert response.status_code == 422 and "category" in _message(response)

    def test_my_services_any_status_with_pagination(self, client, seller, other_seller):
        first = _create(client, seller)["id"]
        second = _create(client, seller, title="Desatascos")["id"]
        _create(client, other_seller)
        client.post(f"/services/{second}/pause", headers=seller)
        response = client.get("/me/services?page_size=1", headers=seller)
        assert response.status_code == 200 and len(response.json["items"]) == 1
        assert json.loads(response.headers["X-Pagination"])["total"] == 2
        paused = client.get("/me/services?status=paused", headers=seller).json["items"]
        assert [s["id"] for s in paused] == [second]
        assert first != second
        assert client.get("/me/services").status_code == 401
        assert client.get("/me/services?status=gone", headers=seller).status_code == 422


class TestSearch:
    def test_filters_sorting_facets_and_pagination_header(self, client, seller, other_seller):
        cheap = _create(client, seller, price={"amount": 3000, "currency": "EUR"})
        dear = _create(client, seller, title="Instalación de termos", price={"amount": 12000, "currency": "EUR"})
        _create(client, other_seller, category="cleaning", title="Limpieza de cocinas",
                price={"amount": 2500, "currency": "EUR"}, service_areas=["Sevilla"])
        response = client.get("/services?q=fontaneria&sort=price_desc&page_size=1")
        assert response.status_code == 200
        assert [s["id"] for s in response.json["items"]] == [dear["id"]]
        assert json.loads(response.headers["X-Pagination"]) == {
            "total": 2, "total_pages": 2, "page": 1, "page_size": 1, "first_page": 1, "last_page": 2, "next_page": 2}
        # The body says it too, as every list of the API does.
        assert {k: response.json[k] for k in ("total", "page", "page_size", "total_pages")} == {
            "total": 2, "page": 1, "page_size": 1, "total_pages": 2}
        mine = client.get("/me/services?page_size=1", headers=seller).json
        assert (mine["total"], mine["page"], mine["page_size"], mine["total_pages"]) == (2, 1, 1, 2)
        facets = {f["slug"]: f["count"] for f in response.json["facets"]["categories"]}
        assert facets["plumbing"] == 2 and facets["cleaning"] == 0
        by_area = client.get("/services?area=sevilla&category=cleaning&category=plumbing").json["items"]
        assert [s["title"] for s in by_area] == ["Limpieza de cocinas"]
        ranged = client.get("/services?min_price=2600&max_price=5000&currency=EUR&price_model=fixed").json["items"]
        assert [s["id"] for s in ranged] == [cheap["id"]]
        assert client.get(f"/services?seller_id={cheap['seller_id']}&min_rating=0&sort=rating").json["items"]

    @pytest.mark.parametrize("query, parameter", [
        ("min_price=-1", "min_price"), ("max_price=-5", "max_price"), ("category=astrology", "category"),
        ("page=0", "page"), ("page_size=10000", "page_size"), ("page_size=0", "page_size"),
        ("q=" + "x" * 10_240, "q"), ("min_rating=7", "min_rating"), ("sort=cheapest", "sort"),
        ("sort=relevance", "sort"), ("price_model=barter", "price_model"), ("currency=XYZ", "currency"),
        ("min_price=500&max_price=100", "min_price"), ("min_price=abc", "min_price"), ("colour=blue", "colour"),
    ])
    def test_bad_filters_are_422_naming_the_parameter(self, client, query, parameter):
        response = client.get(f"/services?{query}")
        assert response.status_code == 422 and parameter in _message(response), response.json

    def test_openapi_documents_the_catalog(self, client):
        paths = client.get("/openapi.json").json["paths"]
        for path in ("/categories", "/sellers/{seller_id}", "/me/seller-profile", "/me/services", "/services",
                     "/services/{service_id}", "/services/{service_id}/pause", "/services/{service_id}/resume"):
            assert path in paths
        assert "X-Pagination" in paths["/services"]["get"]["responses"]["200"]["headers"]
