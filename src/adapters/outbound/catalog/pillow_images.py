"""Uploads made safe with Pillow: the kind is read from the bytes (magic numbers, then a full
decode), never from the file name or the declared Content-Type; what we store is re-encoded from
the decoded pixels, so nothing of the upload but its picture survives (EXIF and its GPS position,
XMP, comments, a payload appended to a polyglot)."""

from __future__ import annotations

import io
import warnings

from PIL import Image, ImageOps, UnidentifiedImageError

from domain.catalog.images import MAX_PIXELS, MIN_SIDE_PX, UPLOAD_FIELD, VARIANTS, ImageTooLarge, NotAnImage, PreparedImage
from domain.shared.errors import InvalidInput

# The formats phones and cameras produce, by their first bytes. GIF, SVG (a script carrier),
# TIFF, BMP and the rest are refused before any decoder sees them.
_MAGIC = {"JPEG": (b"\xff\xd8\xff",), "PNG": (b"\x89PNG\r\n\x1a\n",)}
WEBP_QUALITY = 82


def sniff(upload: bytes) -> str | None:
    """The format the bytes start like, or None."""
    for name, prefixes in _MAGIC.items():
        if upload.startswith(prefixes):
            return name
    if len(upload) >= 12 and upload[:4] == b"RIFF" and upload[8:12] == b"WEBP":
        return "WEBP"
    return None


def _decoded(upload: bytes, kind: str) -> Image.Image:
    try:
        with warnings.catch_warnings():
            # Pillow warns (then raises at twice the limit) on huge images; we check the size ourselves.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(upload), formats=[kind])
            width, height = probe.size
            if width * height > MAX_PIXELS:
                raise ImageTooLarge(f"at most {MAX_PIXELS // 1_000_000} megapixels")
            probe.verify()  # the structure (chunks, checksums) before the pixels are decoded
            image = Image.open(io.BytesIO(upload), formats=[kind])
            image.load()  # every pixel: a truncated file or text after a magic number fails here
    except Image.DecompressionBombError as error:  # far past our limit: Pillow refuses to open it at all
        raise ImageTooLarge(f"at most {MAX_PIXELS // 1_000_000} megapixels") from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise NotAnImage(f"the file is not a readable {kind} image") from error
    return image


def _clean(image: Image.Image) -> Image.Image:
    """The picture alone, upright: EXIF orientation applied, then a new image of its pixels, so
    no metadata of the upload (EXIF, GPS, XMP, ICC, comments) is carried into what we encode."""
    upright = ImageOps.exif_transpose(image) or image
    mode = "RGBA" if upright.mode in {"RGBA", "LA", "PA"} or "transparency" in upright.info else "RGB"
    pixels = upright.convert(mode)
    clean = Image.new(mode, pixels.size)
    clean.paste(pixels)
    return clean


class PillowImageProcessor:
    def prepare(self, upload: bytes) -> PreparedImage:
        kind = sniff(upload)
        if kind is None:
            raise NotAnImage()
        image = _decoded(upload, kind)
        if min(image.size) < MIN_SIDE_PX:
            raise InvalidInput(f"the photo must be at least {MIN_SIDE_PX}×{MIN_SIDE_PX} pixels", field=UPLOAD_FIELD)
        clean = _clean(image)
        variants: dict[str, bytes] = {}
        for name, longest in VARIANTS.items():
            sized = clean.copy()
            # Never enlarged: a small photo stays as sharp as it came.
            sized.thumbnail((longest, longest), Image.Resampling.LANCZOS)
            out = io.BytesIO()
            sized.save(out, format="WEBP", quality=WEBP_QUALITY, method=4)
            variants[name] = out.getvalue()
        return PreparedImage(variants=variants, width=clean.width, height=clean.height)
