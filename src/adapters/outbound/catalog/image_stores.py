"""Where photos' bytes live: GridFS in the marketplace's MongoDB (the default: no other service
to run) or an S3-compatible bucket (production, behind a CDN). One object per variant, named by
owner, image and variant, so a person's photos are found by their id for export and erasure."""

from __future__ import annotations

from typing import Any

import gridfs
from pymongo import ASCENDING
from pymongo.database import Database

from application.catalog.ports import StoredImage
from domain.catalog.images import FORMAT, VARIANTS


def _name(owner_id: str, image_id: str, variant: str) -> str:
    return f"{owner_id}/{image_id}/{variant}.{FORMAT}"


class GridFsImageStore:
    BUCKET = "catalog_images"

    def __init__(self, db: Database) -> None:
        self._bucket = gridfs.GridFSBucket(db, bucket_name=self.BUCKET)
        self._files = db[f"{self.BUCKET}.files"]
        # GridFS indexes filename itself (reads); this one lists an owner's images.
        self._files.create_index([("metadata.owner_id", ASCENDING)])

    def put(self, owner_id: str, image_id: str, variants: dict[str, bytes], content_type: str) -> None:
        for variant, content in variants.items():
            name = _name(owner_id, image_id, variant)
            # Ids are content-addressed: what is there already is these bytes. Files get fresh
            # ObjectIds, so two racing uploads make two identical revisions, never a clash whose
            # clean-up would delete the other's chunks.
            if self._files.find_one({"filename": name}, {"_id": 1}) is None:
                self._bucket.upload_from_stream(name, content, metadata={
                    "owner_id": owner_id, "image_id": image_id, "variant": variant, "content_type": content_type})

    def get(self, owner_id: str, image_id: str, variant: str) -> StoredImage | None:
        try:
            stream = self._bucket.open_download_stream_by_name(_name(owner_id, image_id, variant))
        except gridfs.errors.NoFile:
            return None
        metadata: dict[str, Any] = stream.metadata or {}
        return StoredImage(stream.read(), metadata.get("content_type", f"image/{FORMAT}"))

    def delete(self, owner_id: str, image_id: str) -> None:
        names = [_name(owner_id, image_id, variant) for variant in VARIANTS]
        for raw in self._files.find({"filename": {"$in": names}}, {"_id": 1}):
            try:
                self._bucket.delete(raw["_id"])
            except gridfs.errors.NoFile:
                pass  # deleted meanwhile by another request

    def image_ids(self, owner_id: str) -> list[str]:
        found = self._files.find({"metadata.owner_id": owner_id}, {"metadata.image_id": 1})
        return sorted({raw["metadata"]["image_id"] for raw in found})


def s3_client(*, region: str, endpoint_url: str = "", access_key_id: str = "", secret_access_key: str = "") -> Any:
    """A boto3 S3 client for an endpoint (empty: AWS itself) and keys (empty: boto3's own chain)."""
    import boto3  # only a deployment that stores photos in S3 pays for importing it

    keys = ({"aws_access_key_id": access_key_id, "aws_secret_access_key": secret_access_key}
            if access_key_id else {})
    return boto3.client("s3", region_name=region, endpoint_url=endpoint_url or None, **keys)


class S3ImageStore:
    """Any S3-compatible store (AWS S3, MinIO, R2...); ``client`` is a boto3 S3 client."""

    PREFIX = "images/"

    def __init__(self, client: Any, bucket: str) -> None:
        self._client = client
        self._bucket = bucket

    def _key(self, owner_id: str, image_id: str, variant: str) -> str:
        return self.PREFIX + _name(owner_id, image_id, variant)

    def put(self, owner_id: str, image_id: str, variants: dict[str, bytes], content_type: str) -> None:
        for variant, content in variants.items():
            # A PUT of the same key and bytes is harmless: no existence check needed.
            self._client.put_object(Bucket=self._bucket, Key=self._key(owner_id, image_id, variant), Body=content,
                                    ContentType=content_type, CacheControl="public, max-age=31536000, immutable")

    def get(self, owner_id: str, image_id: str, variant: str) -> StoredImage | None:
        try:
            answer = self._client.get_object(Bucket=self._bucket, Key=self._key(owner_id, image_id, variant))
        except self._client.exceptions.NoSuchKey:
            return None
        return StoredImage(answer["Body"].read(), answer.get("ContentType") or f"image/{FORMAT}")

    def delete(self, owner_id: str, image_id: str) -> None:
        objects = [{"Key": self._key(owner_id, image_id, variant)} for variant in VARIANTS]
        # Deleting a missing key is a success in S3: idempotent as it is.
        self._client.delete_objects(Bucket=self._bucket, Delete={"Objects": objects, "Quiet": True})

    def image_ids(self, owner_id: str) -> list[str]:
        prefix = f"{self.PREFIX}{owner_id}/"
        found: set[str] = set()
        for page in self._client.get_paginator("list_objects_v2").paginate(Bucket=self._bucket, Prefix=prefix):
            for item in page.get("Contents", []):
                found.add(item["Key"][len(prefix):].split("/", 1)[0])
        return sorted(found)
