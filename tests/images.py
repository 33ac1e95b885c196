"""Images made by Pillow for tests (nothing downloaded): photos with and without a GPS position."""

from __future__ import annotations

import io

from PIL import Image

GPS_IFD = 0x8825
# EXIF's GPS tags: latitude ref and value, longitude ref and value (Lavapiés, Madrid).
MADRID_GPS = {1: "N", 2: (40.0, 24.0, 30.0), 3: "W", 4: (3.0, 42.0, 5.0)}


def photo(width: int = 1200, height: int = 900, *, fmt: str = "JPEG", gps: bool = False, colour=(200, 120, 40)) -> bytes:
    image = Image.new("RGB", (width, height), colour)
    # Some structure, so each size really is a resized picture and not a flat colour.
    for x in range(0, width, max(1, width // 12)):
        image.paste((30, 60, 90), (x, 0, x + max(1, width // 48), height))
    out = io.BytesIO()
    if gps:
        exif = Image.Exif()
        exif[0x010F] = "TestCam"  # Make
        exif.get_ifd(GPS_IFD).update(MADRID_GPS)
        image.save(out, format=fmt, exif=exif)
    else:
        image.save(out, format=fmt)
    return out.getvalue()


def has_gps(content: bytes) -> bool:
    with Image.open(io.BytesIO(content)) as image:
        return bool(image.getexif().get_ifd(GPS_IFD))


def upload(content: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg") -> dict:
    """A multipart body for the Flask test client."""
    return {"file": (io.BytesIO(content), name, content_type)}
