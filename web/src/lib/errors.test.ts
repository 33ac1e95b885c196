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

  it("says why a password was refused in the person's language", () => {
    const body = { code: 422, reason: "weak_password", password_problem: "common_password",
                   message: "password: password is too easy to guess: it is one of the most common passwords",
                   errors: { json: { password: ["password is too easy to guess: it is one of the most common passwords"] } } };
    expect(formErrors(body).fields.password).toMatch(/^Es una de las contraseñas más usadas/);
    expect(formErrors(body, "en").fields.password).toMatch(/^It is one of the most used passwords/);
    expect(formErrors({ ...body, errors: { json: { new_password: ["x"] } } }).fields.new_password).toMatch(/frase larga/);
  });

  it("names the unpaid bookings cap and a support request's order in the person's language", () => {
    const cap = { code: 409, reason: "unpaid_bookings_cap", cap: 2, cap_scope: "seller", message: "you already have 2..." };
    expect(formErrors(cap).form).toBe(
      "Ya tienes 2 reservas sin pagar con este profesional, el máximo. Paga o cancela una antes de reservar otra.");
    expect(formErrors({ ...cap, cap: 4, cap_scope: "buyer" }, "en").form).toMatch(/^You already have 4 unpaid bookings,/);
    const order = { code: 422, reason: "unknown_order", errors: { json: { order_id: ["no order of yours has this id"] } } };
    expect(formErrors(order).fields.order_id).toBe("No tienes ningún pedido con ese número.");
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
