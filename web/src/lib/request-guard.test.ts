import { describe, expect, it } from "vitest";
import { crossSiteReason, FORM_BODY, JSON_BODY, NO_BODY } from "./request-guard";

function post(headers: Record<string, string>): Request {
  return new Request("http://127.0.0.1:3000/api/auth/login", { method: "POST", headers: { host: "127.0.0.1:3000", ...headers } });
}

describe("crossSiteReason", () => {
  it("lets this site's own JSON request through", () => {
    expect(crossSiteReason(post({ origin: "http://127.0.0.1:3000", "content-type": "application/json" }), JSON_BODY))
      .toBeNull();
  });

  it("refuses the login CSRF: another site's text/plain form", () => {
    expect(crossSiteReason(post({ origin: "https://evil.example", "content-type": "text/plain" }), JSON_BODY))
      .toBe("origin");
  });

  it("refuses text/plain and forms even from this site on the JSON routes", () => {
    expect(crossSiteReason(post({ origin: "http://127.0.0.1:3000", "content-type": "text/plain" }), JSON_BODY))
      .toBe("content-type");
    expect(crossSiteReason(post({ origin: "http://127.0.0.1:3000" }), JSON_BODY)).toBe("content-type");
  });

  it("refuses an opaque or missing origin unless the browser says it is the same origin", () => {
    expect(crossSiteReason(post({ origin: "null", "content-type": "application/json" }), JSON_BODY)).toBe("origin");
    expect(crossSiteReason(post({ "content-type": "application/json" }), JSON_BODY)).toBe("origin");
    expect(crossSiteReason(post({ "sec-fetch-site": "cross-site", "content-type": "application/json" }), JSON_BODY))
      .toBe("origin");
    expect(crossSiteReason(post({ "sec-fetch-site": "same-origin", "content-type": "application/json" }), JSON_BODY))
      .toBeNull();
  });

  it("believes the public host a proxy in front names", () => {
    expect(crossSiteReason(post({ origin: "https://manitas.example", "x-forwarded-host": "manitas.example",
                                  "content-type": "application/json" }), JSON_BODY)).toBeNull();
  });

  it("accepts no body where none is needed, and the language form's own type", () => {
    expect(crossSiteReason(post({ origin: "http://127.0.0.1:3000" }), NO_BODY)).toBeNull();
    expect(crossSiteReason(post({ origin: "http://127.0.0.1:3000", "content-type": "text/plain" }), NO_BODY))
      .toBe("content-type");
    expect(crossSiteReason(post({ origin: "http://127.0.0.1:3000",
                                  "content-type": "application/x-www-form-urlencoded" }), FORM_BODY)).toBeNull();
    expect(crossSiteReason(post({ origin: "https://evil.example",
                                  "content-type": "application/x-www-form-urlencoded" }), FORM_BODY)).toBe("origin");
  });
});
