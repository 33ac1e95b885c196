"""The upload pipeline trusts nothing about a file: its kind comes from its bytes, and only the
decoded picture, re-encoded, is kept (no EXIF, no GPS position, no appended payload)."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image

from adapters.outbound.catalog.pillow_images import PillowImageProcessor
from domain.catalog.images import VARIANTS, ImageTooLarge, NotAnImage
from domain.shared.errors import InvalidInput
from tests.images import has_gps, photo

processor = PillowImageProcessor()


def _sizes(prepared) -> dict[str, tuple[int, int]]:
    return {name: Image.open(io.BytesIO(content)).size for name, content in prepared.variants.items()}


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims huge dimensions: a few bytes that would decode to gigabytes."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


def test_each_size_is_webp_of_its_longest_side():
    prepared = processor.prepare(photo(3000, 2000))
    assert _sizes(prepared) == {"thumb": (160, 107), "card": (640, 427), "large": (1600, 1067)}
    assert all(content[:4] == b"RIFF" and content[8:12] == b"WEBP" for content in prepared.variants.values())
    assert (prepared.width, prepared.height) == (3000, 2000)


def test_a_small_photo_is_never_enlarged():
    assert _sizes(processor.prepare(photo(300, 200))) == {"thumb": (160, 107), "card": (300, 200),
                                                         "large": (300, 200)}


def test_the_gps_position_and_every_other_exif_tag_are_dropped():
    upload = photo(800, 600, gps=True)
    assert has_gps(upload)  # the test photo really carries a position
    for content in processor.prepare(upload).variants.values():
        with Image.open(io.BytesIO(content)) as image:
            assert not image.getexif() and "exif" not in image.info and "xmp" not in image.info


def test_the_exif_orientation_is_applied_before_it_is_dropped():
    image, out = Image.new("RGB", (400, 200), (10, 200, 10)), io.BytesIO()
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to show": a phone held upright
    image.save(out, format="JPEG", exif=exif)
    assert _sizes(processor.prepare(out.getvalue()))["large"] == (200, 400)


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_png_and_webp_are_taken_too(fmt):
    assert set(processor.prepare(photo(200, 200, fmt=fmt)).variants) == set(VARIANTS)


@pytest.mark.parametrize("upload", [
    b"just some text, named photo.jpg by its sender",
    b"\xff\xd8\xff\xe0<html><script>alert(1)</script></html>",  # JPEG's magic number, then a web page
    b"\x89PNG\r\n\x1a\n" + b"not really a png" * 10,
    b"GIF89a" + b"\0" * 100,
    b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    b"%PDF-1.7\n",
    b"",
], ids=["text", "jpeg-magic-then-html", "png-magic-then-text", "gif", "svg", "pdf", "empty"])
def test_what_is_not_a_readable_jpeg_png_or_webp_is_refused(upload):
    with pytest.raises(NotAnImage) as refused:
        processor.prepare(upload)
    assert refused.value.field == "file"


def test_a_truncated_photo_is_refused():
    with pytest.raises(NotAnImage):
        processor.prepare(photo(400, 300)[:2000])


def test_a_payload_appended_to_a_real_photo_is_not_kept():
    # A polyglot: a valid JPEG that is also a web page (browsers sniff the tail).
    payload = b"<html><script>document.location='https://evil.example'</script></html>"
    prepared = processor.prepare(photo(400, 300) + payload)
    assert all(b"<script" not in content for content in prepared.variants.values())


@pytest.mark.parametrize("side", [(8_000, 6_000), (20_000, 20_000)], ids=["48-megapixels", "400-megapixels"])
def test_a_decompression_bomb_is_refused_before_it_is_decoded(side):
    with pytest.raises(ImageTooLarge) as refused:
        processor.prepare(_png_header_only(*side))
    assert refused.value.field == "file"


def test_a_tiny_image_is_refused_naming_the_field():
    with pytest.raises(InvalidInput) as refused:
        processor.prepare(photo(20, 20))
    assert refused.value.field == "file"
