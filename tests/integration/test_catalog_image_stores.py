"""The photo stores on real servers: GridFS on the local MongoDB-compatible server (secantus), and
the S3 adapter on a local S3-compatible server (moto's server mode). Both behave as the port says:
idempotent puts and deletes, per-owner listing, nothing of one owner in another's. Then the whole
app on secantus: an upload served back, without its GPS position."""

from __future__ import annotations

import io
import urllib.parse
import uuid
from collections.abc import Iterator

import pymongo
import pytest
from PIL import Image

from adapters.outbound.catalog.image_stores import GridFsImageStore, S3ImageStore, s3_client
from tests.conftest import app_on_mongo
from tests.http.helpers import signed_in
from tests.images import has_gps, photo, upload

pytestmark = pytest.mark.integration
VARIANTS = {"thumb": b"thumb-bytes", "card": b"card-bytes" * 1000, "large": b"L" * 600_000}  # large: several chunks


@pytest.fixture(params=["gridfs", "s3"])
def store(request) -> Iterator:
    if request.param == "gridfs":
        mongo_url = request.getfixturevalue("mongo_url")
        client = pymongo.MongoClient(mongo_url)
        try:
            yield GridFsImageStore(client[f"images_{uuid.uuid4().hex[:8]}"])
        finally:
            client.close()
    else:
        s3 = s3_client(region="eu-west-1", endpoint_url=request.getfixturevalue("s3_url"),
                       access_key_id="test", secret_access_key="test")
        bucket = f"photos-{uuid.uuid4().hex[:8]}"
        s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
        yield S3ImageStore(s3, bucket)


def test_put_get_list_delete(store):
    store.put("seller-1", "a" * 32, VARIANTS, "image/webp")
    store.put("seller-1", "a" * 32, VARIANTS, "image/webp")  # a retry: no duplicate, no error
    store.put("seller-1", "b" * 32, {"card": b"other"}, "image/webp")
    store.put("seller-2", "c" * 32, {"card": b"theirs"}, "image/webp")

    large = store.get("seller-1", "a" * 32, "large")
    assert large.content == VARIANTS["large"] and large.content_type == "image/webp"
    assert store.get("seller-1", "a" * 32, "thumb").content == b"thumb-bytes"
    assert store.get("seller-2", "a" * 32, "large") is None  # the id under another owner is not theirs
    assert store.image_ids("seller-1") == ["a" * 32, "b" * 32]

    store.delete("seller-1", "a" * 32)
    store.delete("seller-1", "a" * 32)  # idempotent
    assert store.get("seller-1", "a" * 32, "large") is None and store.get("seller-1", "a" * 32, "thumb") is None
    assert store.image_ids("seller-1") == ["b" * 32]
    assert store.image_ids("seller-2") == ["c" * 32]
    assert store.image_ids("nobody") == []


@pytest.fixture(scope="module")
def app(mongo_url: str):
    with app_on_mongo(mongo_url, "images_app_integration") as application:
        yield application


def test_the_app_stores_photos_in_gridfs_and_serves_them_without_gps(app):
    client = app.test_client()
    seller = signed_in(client, "carlos-photos@example.com", "seller")
    assert client.put("/me/seller-profile", json={"display_name": "Carlos"}, headers=seller).status_code == 200
    answer = client.put("/me/seller-profile/photo", headers=seller, data=upload(photo(2000, 1500, gps=True)))
    assert answer.status_code == 200, answer.json
    served = client.get(urllib.parse.urlsplit(answer.json["photo"]["large_url"]).path)
    assert served.status_code == 200 and served.headers["Cache-Control"].endswith("immutable")
    assert not has_gps(served.data) and Image.open(io.BytesIO(served.data)).size == (1600, 1200)
    # The profile read back from the database keeps the photo.
    assert client.get("/me/seller-profile", headers=seller).json["photo"] == answer.json["photo"]


def test_links_typed_before_uploads_are_dropped(app):
    """Before uploads, profiles and services kept links the seller typed: not ours to serve (never
    sniffed nor stripped), and personal data an erasure must not miss. They go at start."""
    from adapters.outbound.catalog.mongo_documents import SellerProfileDocument, ServiceDocument
    from adapters.outbound.catalog.mongo_repositories import drop_legacy_photo_links

    client = app.test_client()
    seller = signed_in(client, "old-links@example.com", "seller")
    profile = client.put("/me/seller-profile", json={"display_name": "Old"}, headers=seller).json
    service = client.post("/services", headers=seller, json={
        "title": "Poda de setos", "description": "Poda.", "category": "gardening", "price_model": "quote",
        "duration_minutes": 60, "service_areas": ["Madrid"]}).json
    profiles, services = SellerProfileDocument._get_collection(), ServiceDocument._get_collection()
    profiles.update_one({"_id": profile["seller_id"]}, {"$set": {"photo_url": "https://x.example.com/me.jpg"}})
    services.update_one({"_id": service["id"]}, {"$set": {"image_urls": ["https://x.example.com/job.jpg"]}})

    assert drop_legacy_photo_links() >= 2
    assert "photo_url" not in profiles.find_one({"_id": profile["seller_id"]})
    assert "image_urls" not in services.find_one({"_id": service["id"]})
    assert drop_legacy_photo_links() == 0
