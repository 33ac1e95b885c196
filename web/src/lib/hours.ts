/** A seller's bookable hours (the profile's `working_hours`), grouped for people to read. */
export type DayHours = { day: string; opens: string; closes: string };

const ORDER = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/** One line per open day, Monday first, each day's ranges in order. */
export function hoursByDay(hours: DayHours[] | undefined): { day: string; ranges: string[] }[] {
  const byDay = new Map<string, DayHours[]>();
  for (const h of hours ?? []) byDay.set(h.day, [...(byDay.get(h.day) ?? []), h]);
  return ORDER.filter((day) => byDay.has(day)).map((day) => ({
    day, ranges: byDay.get(day)!.sort((a, b) => a.opens.localeCompare(b.opens)).map((h) => `${h.opens}–${h.closes}`),
  }));
}

/** "Europe/Madrid" -> "Madrid", "America/Argentina/Buenos_Aires" -> "Buenos Aires". */
export function zoneCity(zone: string | null | undefined): string {
  return (zone ?? "").split("/").pop()!.replace(/_/g, " ");
}
