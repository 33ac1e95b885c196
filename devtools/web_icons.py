"""The web front end's favicon and app icons, drawn from one geometry: an SVG for browsers that take
it, PNGs (Pillow) for the rest and for phones' home screens. Run again after changing the drawing:
    python -m devtools.web_icons
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

WEB = Path(__file__).resolve().parent.parent / "web"
BRAND, ACCENT, WHITE = "#0b5d55", "#f0b429", "#ffffff"
# On a 64×64 grid: a house with a door, and the accent of a wrench's head over its roof.
ROOF = [(12, 32), (32, 14), (52, 32)]
WALLS = (18, 30, 46, 52)
DOOR = (28, 38, 36, 52)
WRENCH = (38, 10, 54, 26)

SVG = f"""<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">
  <rect width="64" height="64" rx="14" fill="{BRAND}"/>
  <path d="M{ROOF[0][0]} {ROOF[0][1]}L{ROOF[1][0]} {ROOF[1][1]}L{ROOF[2][0]} {ROOF[2][1]}" fill="none" stroke="{WHITE}"
        stroke-width="5" stroke-linecap="round" stroke-linejoin="round"/>
  <rect x="{WALLS[0]}" y="{WALLS[1]}" width="{WALLS[2] - WALLS[0]}" height="{WALLS[3] - WALLS[1]}" fill="{WHITE}"/>
  <rect x="{DOOR[0]}" y="{DOOR[1]}" width="{DOOR[2] - DOOR[0]}" height="{DOOR[3] - DOOR[1]}" rx="1" fill="{BRAND}"/>
  <circle cx="{(WRENCH[0] + WRENCH[2]) / 2}" cy="{(WRENCH[1] + WRENCH[3]) / 2}" r="{(WRENCH[2] - WRENCH[0]) / 2}"
          fill="{ACCENT}"/>
</svg>
"""


def png(size: int, *, padding: float = 0.0) -> Image.Image:
    """The same drawing at ``size`` px; ``padding`` (a fraction) leaves the safe zone maskable icons need."""
    scale = 4  # drawn large, then reduced: smooth edges without an SVG renderer
    big = size * scale
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    inner = big * (1 - 2 * padding)
    offset = big * padding

    def at(x: float, y: float) -> tuple[float, float]:
        return offset + x / 64 * inner, offset + y / 64 * inner

    if padding:
        draw.rectangle((0, 0, big, big), fill=BRAND)
    else:
        draw.rounded_rectangle((0, 0, big - 1, big - 1), radius=14 / 64 * big, fill=BRAND)
    draw.rectangle((*at(WALLS[0], WALLS[1]), *at(WALLS[2], WALLS[3])), fill=WHITE)
    draw.line([at(*p) for p in ROOF], fill=WHITE, width=round(5 / 64 * inner), joint="curve")
    for x, y in (ROOF[0], ROOF[2]):
        r = 2.5 / 64 * inner
        cx, cy = at(x, y)
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=WHITE)
    draw.rectangle((*at(DOOR[0], DOOR[1]), *at(DOOR[2], DOOR[3])), fill=BRAND)
    draw.ellipse((*at(WRENCH[0], WRENCH[1]), *at(WRENCH[2], WRENCH[3])), fill=ACCENT)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    app, icons = WEB / "src" / "app", WEB / "public" / "icons"
    icons.mkdir(parents=True, exist_ok=True)
    (app / "icon.svg").write_text(SVG)
    png(180).convert("RGB").save(app / "apple-icon.png", optimize=True)
    png(48).save(app / "favicon.ico", sizes=[(16, 16), (32, 32), (48, 48)])
    for size in (192, 512):
        png(size).save(icons / f"icon-{size}.png", optimize=True)
    png(512, padding=0.1).save(icons / "maskable-512.png", optimize=True)


if __name__ == "__main__":
    main()
