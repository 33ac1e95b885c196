"""Pictures for the demo data, drawn with Pillow at seed time (nothing is downloaded): a portrait-
like avatar per seller and a scene per service in its category's colours. Each is the same bytes
every time (seeded by name), so seeding again finds the photos it stored before."""

from __future__ import annotations

import hashlib
import io
import random

from PIL import Image, ImageDraw, ImageFont

# Per category: sky, ground and accent colours.
_PALETTES: dict[str, tuple[tuple[int, int, int], tuple[int, int, int], tuple[int, int, int]]] = {
    "plumbing": ((32, 99, 155), (220, 232, 240), (60, 174, 220)),
    "cleaning": ((120, 196, 186), (246, 248, 246), (255, 255, 255)),
    "electrical": ((38, 38, 64), (236, 228, 200), (250, 204, 21)),
    "gardening": ((140, 200, 120), (70, 130, 60), (34, 90, 40)),
    "pest-control": ((180, 160, 110), (90, 120, 70), (60, 60, 40)),
    "heating-air-conditioning": ((230, 120, 60), (240, 230, 220), (200, 60, 40)),
    "painting": ((240, 200, 120), (250, 246, 238), (220, 90, 80)),
    "handyman": ((120, 100, 80), (230, 220, 205), (200, 150, 70)),
}
_DEFAULT = ((90, 110, 140), (230, 230, 235), (240, 170, 60))


def _rng(name: str) -> random.Random:
    return random.Random(int(hashlib.sha256(name.encode()).hexdigest()[:16], 16))


def _jpeg(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.convert("RGB").save(out, format="JPEG", quality=88)
    return out.getvalue()


def _gradient(size: tuple[int, int], top: tuple[int, int, int], bottom: tuple[int, int, int]) -> Image.Image:
    width, height = size
    column = Image.new("RGB", (1, 2))
    column.putpixel((0, 0), top)
    column.putpixel((0, 1), bottom)
    # Two pixels stretched: the bilinear resize draws the gradient in C.
    return column.resize((width, height), Image.Resampling.BILINEAR)


def seller_portrait(name: str) -> bytes:
    """A head-and-shoulders figure on a soft background, with the seller's initials on the shirt."""
    rng = _rng(name)
    size = 640
    hue = rng.choice([(70, 120, 180), (180, 90, 90), (80, 150, 110), (150, 110, 170), (200, 140, 60)])
    image = _gradient((size, size), tuple(min(255, c + 90) for c in hue), hue)
    draw = ImageDraw.Draw(image)
    skin = rng.choice([(241, 205, 176), (224, 172, 135), (198, 134, 96), (141, 85, 54)])
    hair = rng.choice([(40, 30, 25), (90, 60, 40), (160, 120, 70), (30, 30, 30)])
    shirt = tuple(max(0, c - 60) for c in hue)
    draw.ellipse((120, 448, 520, 848), fill=shirt)  # shoulders
    draw.rectangle((280, 376, 360, 480), fill=skin)  # neck
    draw.ellipse((200, 136, 440, 416), fill=skin)  # face
    draw.chord((192, 112, 448, 336), 180, 360, fill=hair)  # hair
    initials = "".join(word[0] for word in name.split()[:2]).upper()
    font = ImageFont.load_default(size=96)
    draw.text((320, 576), initials, fill=(255, 255, 255), font=font, anchor="mm")
    return _jpeg(image)


def service_scene(title: str, category: str, variant: int = 0) -> bytes:
    """A wide scene in the category's colours: a room or garden with shapes of the trade."""
    rng = _rng(f"{title}/{variant}")
    sky, ground, accent = _PALETTES.get(category, _DEFAULT)
    width, height = 960, 640
    image = _gradient((width, height), sky, ground)
    draw = ImageDraw.Draw(image)
    horizon = rng.randint(330, 420)
    draw.rectangle((0, horizon, width, height), fill=ground)
    for _ in range(rng.randint(5, 9)):
        x, y, r = rng.randint(0, width), rng.randint(60, height - 60), rng.randint(24, 110)
        shade = tuple(max(0, min(255, c + rng.randint(-40, 40))) for c in accent)
        if rng.random() < 0.5:
            draw.ellipse((x - r, y - r, x + r, y + r), fill=shade)
        else:
            draw.rounded_rectangle((x - r, y - r // 2, x + r, y + r // 2), radius=r // 4, fill=shade)
    # A window or a tool silhouette, so it reads as a place, not a pattern.
    left = rng.randint(60, width - 300)
    draw.rounded_rectangle((left, 96, left + 240, horizon - 32), radius=14, outline=(255, 255, 255), width=8)
    draw.line((left + 120, 96, left + 120, horizon - 32), fill=(255, 255, 255), width=6)
    return _jpeg(image)
