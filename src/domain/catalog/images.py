"""Photos of sellers and services: what we accept, the sizes the pages use, and how an image is
named. An image's id is derived from its content and where it belongs, so its URL never points at
other bytes (caches keep it forever) and uploading the same photo again to the same place is a no-op."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from domain.shared.errors import Conflict, NotFound, TooLarge, UnsupportedMedia

# A phone's photo is 2-8 MB; more is a scan or a raw file nobody needs on a card.
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# Decoded size guard: a small file may decode to gigabytes (a "decompression bomb").
MAX_PIXELS = 40_000_000
MIN_SIDE_PX = 64
MAX_SERVICE_PHOTOS = 10
# Name -> longest side in pixels: the avatar and list thumbnail, the search card, the profile and gallery.
VARIANTS: dict[str, int] = {"thumb": 160, "card": 640, "large": 1600}
FORMAT = "webp"
CONTENT_TYPE = "image/webp"
UPLOAD_FIELD = "file"

_IMAGE_ID = re.compile(r"^[0-9a-f]{32}$")


class ImageTooLarge(TooLarge):
    code = "image_too_large"

    def __init__(self, message: str) -> None:
        super().__init__(message, field=UPLOAD_FIELD)


class NotAnImage(UnsupportedMedia):
    code = "not_an_image"

    def __init__(self, message: str = "send a JPEG, PNG or WebP photo") -> None:
        super().__init__(message, field=UPLOAD_FIELD)


class PhotoNotFound(NotFound):
    code = "photo_not_found"

    def __init__(self) -> None:
        super().__init__("photo not found")


class TooManyPhotos(Conflict):
    code = "too_many_photos"

    def __init__(self) -> None:
        super().__init__(f"a service has at most {MAX_SERVICE_PHOTOS} photos; delete one first", field=UPLOAD_FIELD)


@dataclass(frozen=True)
class PreparedImage:
    """An upload made safe: decoded, metadata dropped, re-encoded once per variant."""

    variants: dict[str, bytes]
    width: int
    height: int


def image_id(place: str, content: bytes) -> str:
    """``place`` is where it belongs (``seller:<id>``, ``service:<id>``): the same photo on two
    services is two images, so deleting one never takes the other's."""
    return hashlib.sha256(place.encode() + b"\0" + content).hexdigest()[:32]


def is_image_id(value: object) -> bool:
    return isinstance(value, str) and bool(_IMAGE_ID.match(value))


def image_path(owner_id: str, image: str, variant: str) -> str:
    """Where the API serves a variant (under PUBLIC_BASE_URL)."""
    return f"/images/{owner_id}/{image}/{variant}.{FORMAT}"


def check_upload_size(size: int) -> None:
    if size > MAX_UPLOAD_BYTES:
        raise ImageTooLarge(f"at most {MAX_UPLOAD_BYTES // (1024 * 1024)} MB per photo")
    if size == 0:
        raise NotAnImage("the file is empty")
