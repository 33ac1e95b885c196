import { describe, expect, it } from "vitest";
import { formErrors } from "./errors";
import { formatMoney, toMinorUnits } from "./money";

describe("form errors", () => {
  it("puts each field's messages next to the field", () => {
    const errors = formErrors({ code: 422, message: "email: Not a valid email address.",
                                errors: { json: { email: ["Not a valid email address."], password: ["Too short."] } } });
    expect(errors.fields).toEqual({ email: "Not a valid email address.", password: "Too short." });
    expect(errors.form).toBeUndefined();
  });

  it("shows the message for the whole form when no field is named", () => {
    expect(formErrors({ code: 401, message: "Wrong e-mail or password." }).form).toBe("Wrong e-mail or password.");
  });

  it("flattens nested field errors", () => {
    expect(formErrors({ errors: { json: { working_hours: { 0: { start: ["Bad time."] } } } } }).fields.working_hours)
      .toBe("Bad time.");
  });

  it("explains a network failure", () => {
    expect(formErrors(undefined, "en").form).toMatch(/could not reach/);
  });
});

describe("money", () => {
  it("formats minor units for people", () => {
    expect(formatMoney({ amount: 4550, currency: "EUR" }, "en")).toBe("€45.50");
  });

  it("reads what people type", () => {
    expect(toMinorUnits("45,5")).toBe(4550);
    expect(toMinorUnits("45")).toBe(4500);
    expect(toMinorUnits("4.555")).toBeNull();
    expect(toMinorUnits("-1")).toBeNull();
  });
});
