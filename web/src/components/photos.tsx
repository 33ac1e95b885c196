import type { Schemas } from "@/api/client";

export type Photo = Schemas["Photo"];

/** The API sends a missing photo as null; the generated type also allows an empty object. */
export function asPhoto(value: unknown): Photo | null {
  return value && typeof value === "object" && "id" in value && "card_url" in value ? value as Photo : null;
}

function srcSet(photo: Photo): string {
  return `${photo.thumb_url} 160w, ${photo.card_url} 640w, ${photo.large_url} 1600w`;
}

function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  return (words.slice(0, 2).map((w) => w[0]).join("") || "?").toUpperCase();
}

/** A stable colour per name, dark enough for white initials (WCAG AA at this size). */
function hue(name: string): number {
  let h = 0;
  for (const c of name) h = (h * 31 + c.charCodeAt(0)) % 360;
  return h;
}

/** The seller's face, or their initials on a colour of their own when they have no photo yet. */
export function SellerAvatar({ name, photo, size = 64 }: { name: string; photo?: unknown; size?: number }) {
  const picture = asPhoto(photo);
  const style = { width: size, height: size };
  if (picture) {
    return (
      <img className="avatar" src={size <= 160 ? picture.thumb_url : picture.card_url} alt={name} width={size} height={size}
           style={style} loading="lazy" decoding="async" data-testid="seller-avatar" />
    );
  }
  return (
    <span className="avatar avatar-initials" role="img" aria-label={name} data-testid="seller-avatar"
          style={{ ...style, fontSize: size * 0.4, background: `hsl(${hue(name)} 45% 35%)` }}>
      {initials(name)}
    </span>
  );
}

// One symbol per category, drawn on a 64×64 grid; anything else gets the house alone.
const SYMBOLS: Record<string, string> = {
  plumbing: "M32 18c-6 9-10 14-10 20a10 10 0 0 0 20 0c0-6-4-11-10-20z",
  electrical: "M35 14 22 36h9l-3 16 14-24h-9l2-14z",
  cleaning: "M20 40a6 6 0 1 0 0.1 0M38 26a9 9 0 1 0 0.1 0M44 44a4 4 0 1 0 0.1 0",
  gardening: "M32 52V30M32 34c-10 0-14-8-14-16 8 0 14 6 14 16zm0 0c10 0 14-8 14-16-8 0-14 6-14 16z",
  "pest-control": "M24 30h16v14a8 8 0 0 1-16 0zM28 30a4 4 0 0 1 8 0M18 34h6M40 34h6M18 44h6M40 44h6",
  "heating-air-conditioning": "M32 14c8 10 10 16 10 22a10 10 0 0 1-20 0c0-4 2-8 4-10 0 4 2 6 4 6-2-6 0-12 2-18z",
  painting: "M20 18h24v10H20zM32 28v8M29 36h6v16h-6z",
  handyman: "M40 16a9 9 0 0 0-11 11L16 40l6 6 13-13a9 9 0 0 0 11-11l-5 5-5-1-1-5z",
};
const TINTS: Record<string, [string, string]> = {
  plumbing: ["#1d6fa5", "#7cc3e8"], electrical: ["#3a3a5c", "#e0b100"], cleaning: ["#2f8f83", "#9fe0d6"],
  gardening: ["#3d7a35", "#a6d98f"], "pest-control": ["#6b5a32", "#cdb98a"],
  "heating-air-conditioning": ["#b4472a", "#f2a97f"], painting: ["#b0553f", "#f1c982"], handyman: ["#6d5843", "#d3b48a"],
};

/** A service's photo in the size the page shows, or an illustration of its category when it has none. */
export function ServicePhoto({ photo, category, alt, sizes = "(max-width: 640px) 100vw, 320px", priority = false }:
  { photo?: unknown; category?: string; alt: string; sizes?: string; priority?: boolean }) {
  const picture = asPhoto(photo);
  if (picture) {
    return (
      <img className="service-photo" src={picture.card_url} srcSet={srcSet(picture)} sizes={sizes} alt={alt}
           width={640} height={427} loading={priority ? "eager" : "lazy"} decoding="async" data-testid="service-photo" />
    );
  }
  const [dark, light] = TINTS[category ?? ""] ?? ["#50607a", "#c9d3e0"];
  const gradient = `g-${category ?? "any"}`;
  return (
    <svg className="service-photo placeholder" viewBox="0 0 96 64" role="img" aria-label={alt} data-testid="service-photo"
         preserveAspectRatio="xMidYMid slice">
      <defs><linearGradient id={gradient} x1="0" y1="0" x2="1" y2="1"><stop offset="0" stopColor={light} /><stop offset="1" stopColor={dark} /></linearGradient></defs>
      <rect width="96" height="64" fill={`url(#${gradient})`} />
      <path d="M18 54V30l14-12 14 12v24z" fill="none" stroke="#fff" strokeOpacity=".45" strokeWidth="2" transform="translate(-6 0)" />
      <g transform="translate(32 0)"><path d={SYMBOLS[category ?? ""] ?? "M20 50V32l12-10 12 10v18z"} fill="#fff" fillOpacity=".9" stroke="#fff" strokeWidth="1.5" strokeLinejoin="round" /></g>
    </svg>
  );
}
