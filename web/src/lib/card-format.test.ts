import { describe, expect, it } from "vitest";
import { distanceText, initials, jobsText, memberSinceText, ratingText, reviewsText, servicesText, shortPrice } from "./card-format";

const nbsp = (text: string) => text.replace(/\u00a0/g, " ");

describe("what a card says, in Spanish first", () => {
  it("writes whole prices without cents and others with a comma", () => {
    expect(nbsp(shortPrice({ amount: 6000, currency: "EUR" }))).toBe("60 €");
    expect(nbsp(shortPrice({ amount: 6050, currency: "EUR" }))).toBe("60,50 €");
    expect(nbsp(shortPrice({ amount: 6050, currency: "EUR" }, "en"))).toBe("€60.50");
    expect(shortPrice(null)).toBe("");
  });

  it("gives the distance to one decimal near and whole kilometres far", () => {
    expect(distanceText(1.4)).toBe("a 1,4 km");
    expect(distanceText(1.44, "en")).toBe("1.4 km away");
    expect(distanceText(23.6)).toBe("a 24 km");
    expect(distanceText(0)).toBe("a 0,1 km");
    expect(distanceText(2)).toBe("a 2 km");
    expect(distanceText(null)).toBe("");
  });

  it("writes ratings with a decimal comma and counts in the right plural", () => {
    expect(ratingText(4)).toBe("4,0");
    expect(ratingText(4.75, "en")).toBe("4.8");
    expect(jobsText(1)).toBe("1 trabajo hecho");
    expect(jobsText(0)).toBe("0 trabajos hechos");
    expect(jobsText(1200)).toBe("1200 trabajos hechos");
    expect(jobsText(1, "en")).toBe("1 job done");
    expect(reviewsText(12)).toBe("12 opiniones");
    expect(reviewsText(1)).toBe("1 opinión");
    expect(servicesText(1)).toBe("1 servicio");
    expect(servicesText(2, "en")).toBe("2 services");
  });

  it("says since when a seller is here, and their initials without a photo", () => {
    expect(memberSinceText("2024-03-05T10:00:00+00:00")).toBe("en Manitas desde 2024");
    expect(memberSinceText(undefined)).toBe("");
    expect(initials("Carlos Martín Ruiz")).toBe("CR");
    expect(initials("ana")).toBe("A");
    expect(initials("")).toBe("?");
  });
});
