"""Photos over HTTP: upload, replace, reorder, delete, serve with long cache headers; refusals
(not an image, too large, too many, not yours) name the field."""

from __future__ import annotations

import io
import urllib.parse

import pytest
from PIL import Image

from adapters.inbound.catalog.http import UPLOAD_BODY_BYTES
from domain.catalog.images import MAX_SERVICE_PHOTOS, MAX_UPLOAD_BYTES
from tests.http.helpers import signed_in
from tests.images import has_gps, photo, upload

SERVICE = {"title": "Reparación de grifos", "description": "Cambio cartuchos.", "category": "plumbing",
           "price_model": "fixed", "price": {"amount": 4500, "currency": "EUR"}, "duration_minutes": 60,
           "service_areas": ["Madrid"]}


@pytest.fixture
def seller(client):
    headers = signed_in(client, "carlos@example.com", "seller")
    assert client.put("/me/seller-profile", json={"display_name": "Carlos"}, headers=headers).status_code == 200
    return headers


@pytest.fixture
def service_id(client, seller):
    return client.post("/services", json=SERVICE, headers=seller).json["id"]


def path_of(url: str) -> str:
    return urllib.parse.urlsplit(url).path


def fetch(client, url: str, **kwargs):
    return client.get(path_of(url), **kwargs)


def test_a_profile_photo_round_trip_drops_the_gps_position(client, seller):
    # A JPEG named and declared as a PNG: its kind is read from its bytes.
    answer = client.put("/me/seller-profile/photo", headers=seller,
                        data=upload(photo(1200, 900, gps=True), "selfie.png", "image/png"))
    assert answer.status_code == 200, answer.json
    picture = answer.json["photo"]
    assert set(picture) == {"id", "thumb_url", "card_url", "large_url"}
    assert answer.json["photo_url"] == picture["large_url"]
    assert picture["large_url"].startswith("http://127.0.0.1:8000/images/")

    served = fetch(client, picture["large_url"])
    assert served.status_code == 200 and served.mimetype == "image/webp"
    assert not has_gps(served.data)
    with Image.open(io.BytesIO(served.data)) as image:
        assert image.size == (1200, 900) and not image.getexif()
    assert Image.open(io.BytesIO(fetch(client, picture["thumb_url"]).data)).size == (160, 120)
    assert Image.open(io.BytesIO(fetch(client, picture["card_url"]).data)).size == (640, 480)
    # The public profile shows it too.
    seller_id = client.get("/me/seller-profile", headers=seller).json["seller_id"]
    assert client.get(f"/sellers/{seller_id}").json["photo"] == picture


def test_photos_are_served_immutable_with_an_etag(client, seller):
    picture = client.put("/me/seller-profile/photo", headers=seller, data=upload(photo(300, 300))).json["photo"]
    served = fetch(client, picture["card_url"])
    assert served.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    etag = served.headers["ETag"]
    again = fetch(client, picture["card_url"], headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert fetch(client, picture["card_url"].replace("/card.webp", "/huge.webp")).status_code == 404
    assert client.get("/images/someone/not-an-id/card.webp").status_code == 404


def test_replacing_the_photo_deletes_the_old_one_and_removing_it_leaves_none(client, seller, fakes):
    first = client.put("/me/seller-profile/photo", headers=seller, data=upload(photo(300, 300))).json["photo"]
    second = client.put("/me/seller-profile/photo", headers=seller,
                        data=upload(photo(300, 300, colour=(1, 2, 3)))).json["photo"]
    assert first["id"] != second["id"]
    assert fetch(client, first["large_url"]).status_code == 404
    assert fetch(client, second["large_url"]).status_code == 200
    # A PUT of the presentation keeps the uploaded photo.
    kept = client.put("/me/seller-profile", json={"display_name": "Carlos P."}, headers=seller)
    assert kept.json["photo"] == second

    removed = client.delete("/me/seller-profile/photo", headers=seller)
    assert removed.status_code == 200 and removed.json["photo"] is None and removed.json["photo_url"] is None
    assert fetch(client, second["large_url"]).status_code == 404
    assert fakes.images.objects == {}
    assert client.delete("/me/seller-profile/photo", headers=seller).status_code == 404


@pytest.mark.parametrize("content, name", [
    (b"hello, I am text with a .jpg name", "photo.jpg"),
    (b"\xff\xd8\xff\xe0<html><script>alert(1)</script></html>", "polyglot.jpg"),
    (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "logo.svg"),
], ids=["text-renamed-jpg", "polyglot", "svg"])
def test_a_file_that_is_not_an_image_is_415_naming_the_field(client, seller, service_id, content, name):
    for method, path in (("PUT", "/me/seller-profile/photo"), ("POST", f"/services/{service_id}/photos")):
        answer = client.open(path, method=method, headers=seller, data=upload(content, name, "image/jpeg"))
        assert answer.status_code == 415, answer.json
        assert answer.json["message"].startswith("file: ") and answer.json["errors"] == {
            "files": {"file": [answer.json["message"].removeprefix("file: ")]}}


def test_a_photo_over_the_limit_is_413_naming_the_field(client, seller):
    # Just over the photo limit but within the body allowance: refused by name.
    answer = client.put("/me/seller-profile/photo", headers=seller, data=upload(b"\xff\xd8\xff" + b"0" * MAX_UPLOAD_BYTES))
    assert answer.status_code == 413 and answer.json["message"].startswith("file: ")
    # Far over: the body itself is refused before it is read.
    answer = client.put("/me/seller-profile/photo", headers=seller, data=upload(b"0" * (UPLOAD_BODY_BYTES + 1)))
    assert answer.status_code == 413
    # Other routes keep the small body limit.
    assert client.put("/me/seller-profile", headers=seller, data=b"{" + b" " * 2_000_000 + b"}",
                      content_type="application/json").status_code == 413


def test_a_missing_file_is_422_naming_it(client, seller):
    answer = client.put("/me/seller-profile/photo", headers=seller, data={"other": "x"})
    assert answer.status_code == 422 and "file" in answer.json["message"]


def test_a_seller_without_a_profile_is_told_to_make_one(client):
    newcomer = signed_in(client, "new@example.com", "seller")
    assert client.put("/me/seller-profile/photo", headers=newcomer, data=upload(photo(100, 100))).status_code == 409


def test_service_photos_add_reorder_delete(client, seller, service_id, fakes):
    ids = []
    for colour in ((10, 0, 0), (0, 10, 0), (0, 0, 10)):
        answer = client.post(f"/services/{service_id}/photos", headers=seller, data=upload(photo(200, 150, colour=colour)))
        assert answer.status_code == 201, answer.json
        ids.append(answer.json["photos"][-1]["id"])
    service = client.get(f"/services/{service_id}").json
    assert [p["id"] for p in service["photos"]] == ids
    assert service["image_urls"] == [p["card_url"] for p in service["photos"]]

    # The same photo again changes nothing.
    again = client.post(f"/services/{service_id}/photos", headers=seller, data=upload(photo(200, 150, colour=(10, 0, 0))))
    assert again.status_code == 201 and [p["id"] for p in again.json["photos"]] == ids

    reordered = client.put(f"/services/{service_id}/photos/order", headers=seller, json={"photo_ids": ids[::-1]})
    assert reordered.status_code == 200 and [p["id"] for p in reordered.json["photos"]] == ids[::-1]
    for wrong in (ids[:2], [*ids, ids[0]], [ids[0], ids[1], "0" * 32]):
        refused = client.put(f"/services/{service_id}/photos/order", headers=seller, json={"photo_ids": wrong})
        assert refused.status_code == 422 and refused.json["message"].startswith("photo_ids: ")

    deleted = client.delete(f"/services/{service_id}/photos/{ids[1]}", headers=seller)
    assert deleted.status_code == 200 and [p["id"] for p in deleted.json["photos"]] == [ids[2], ids[0]]
    assert fetch(client, service["photos"][1]["large_url"]).status_code == 404
    assert client.delete(f"/services/{service_id}/photos/{ids[1]}", headers=seller).status_code == 404
    # Search shows the cover first.
    [item] = client.get("/services").json["items"]
    assert [p["id"] for p in item["photos"]] == [ids[2], ids[0]]

    # Deleting the service drops its photos' files.
    assert client.delete(f"/services/{service_id}", headers=seller).status_code == 204
    assert fakes.images.objects == {}


def test_a_service_has_at_most_the_limit_of_photos(client, seller, service_id):
    for n in range(MAX_SERVICE_PHOTOS):
        assert client.post(f"/services/{service_id}/photos", headers=seller,
                           data=upload(photo(80, 80, colour=(n, n, n)))).status_code == 201
    refused = client.post(f"/services/{service_id}/photos", headers=seller, data=upload(photo(80, 80, colour=(99, 0, 0))))
    assert refused.status_code == 409 and refused.json["reason"] == "too_many_photos"
    assert refused.json["message"].startswith("file: ")


def test_only_the_owner_changes_a_services_photos(client, seller, service_id):
    picture = client.post(f"/services/{service_id}/photos", headers=seller, data=upload(photo(100, 100))).json["photos"][0]
    other = signed_in(client, "eve@example.com", "seller")
    assert client.post(f"/services/{service_id}/photos", headers=other, data=upload(photo(100, 100))).status_code == 403
    assert client.put(f"/services/{service_id}/photos/order", headers=other,
                      json={"photo_ids": [picture["id"]]}).status_code == 403
    assert client.delete(f"/services/{service_id}/photos/{picture['id']}", headers=other).status_code == 403
    assert client.post(f"/services/{service_id}/photos", data=upload(photo(100, 100))).status_code == 401
    assert fetch(client, picture["card_url"]).status_code == 200
