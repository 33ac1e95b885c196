/**
 * A line drawing per category (inline SVG: no request, no image to upload) and a colour, for the home page's
 * categories and for a service with no photo yet. Decorative: the category's name is always written beside it.
 */
const PATHS: Record<string, string> = {
  plumbing: "M4 4h6v4H8v3a3 3 0 0 0 3 3h3v-2h4v6h-4v-2h-3a5 5 0 0 1-5-5V8H4z M18 20.5a1.5 1.5 0 0 1-3 0c0-1 1.5-2.5 1.5-2.5s1.5 1.5 1.5 2.5",
  electrical: "M13 2 4 14h7l-1 8 9-12h-7z",
  cleaning: "M14 3l-4 8 M7 11h8l2 10H5z M9 15v4 M13 15v4 M18 4l1 1 M20 8h1 M17 7l1-1",
  gardening: "M12 21V11 M12 11c0-4 3-7 8-7 0 5-3 8-8 7 M12 14c0-3-2-5-6-5 0 4 2 6 6 5 M7 21h10",
  painting: "M4 3h13v5H4z M17 5h3v6h-8v3 M11 14h2v7h-2z",
  moving: "M2 7h11v9H2z M13 10h4l4 3v3h-8 M6 19a2 2 0 1 0 0-4 2 2 0 0 0 0 4 M17 19a2 2 0 1 0 0-4 2 2 0 0 0 0 4",
  "appliance-repair": "M5 3h14v18H5z M5 8h14 M8 5.5h1 M12 15m-3.5 0a3.5 3.5 0 1 0 7 0a3.5 3.5 0 1 0-7 0",
  "heating-air-conditioning": "M12 3v18 M4.5 7.5l15 9 M19.5 7.5l-15 9 M9.5 4.5 12 6l2.5-1.5 M9.5 19.5 12 18l2.5 1.5",
  carpentry: "M3 17l9-9 4 4-9 9H3z M14 6l2-2 4 4-2 2 M10 10l4 4",
  "pest-control": "M12 8a3 3 0 0 1 3 3v4a3 3 0 0 1-6 0v-4a3 3 0 0 1 3-3 M10 6l-2-3 M14 6l2-3 M9 12H4 M15 12h5 M9 16l-4 3 M15 16l4 3",
  handyman: "M14.7 6.3a4 4 0 0 0-5.4 5.4L3 18l3 3 6.3-6.3a4 4 0 0 0 5.4-5.4l-2.5 2.5-2.4-.6-.6-2.4z",
  locksmith: "M8 14a4 4 0 1 0 0-8 4 4 0 0 0 0 8 M11 12l10 10 M17 18l2-2 M15 16l2-2",
  roofing: "M2 12 12 3l10 9 M5 10v10h14V10 M10 20v-6h4v6",
  masonry: "M3 5h18v14H3z M3 10h18 M3 15h18 M9 5v5 M15 10v5 M9 15v4",
  flooring: "M3 3h18v18H3z M3 9h18 M3 15h18 M9 3v6 M15 9v6 M9 15v6",
  "windows-glass": "M4 3h16v18H4z M12 3v18 M4 12h16 M7 6l2 2",
};

const HUES: Record<string, number> = {
  plumbing: 205, electrical: 45, cleaning: 180, gardening: 120, painting: 330, moving: 25, "appliance-repair": 260,
  "heating-air-conditioning": 0, carpentry: 30, "pest-control": 90, handyman: 170, locksmith: 220, roofing: 10,
  masonry: 15, flooring: 35, "windows-glass": 195,
};

export function categoryHue(slug: string | undefined): number {
  return HUES[slug ?? ""] ?? 170;
}

export function CategoryIcon({ slug, size = 28 }: { slug: string | undefined; size?: number }) {
  return (
    <svg aria-hidden="true" focusable="false" width={size} height={size} viewBox="0 0 24 24" fill="none"
         stroke="currentColor" strokeWidth="1.7" strokeLinecap="round" strokeLinejoin="round">
      <path d={PATHS[slug ?? ""] ?? PATHS.handyman} />
    </svg>
  );
}
