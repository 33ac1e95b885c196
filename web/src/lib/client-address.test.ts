import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { clientAddress, clientAddressHeaders, signClientAddress } from "./client-address";

const SECRET = "s".repeat(40);

function request(forwardedFor?: string): Request {
  return new Request("http://web.example/api/auth/login", {
    method: "POST", headers: forwardedFor ? { "x-forwarded-for": forwardedFor } : {} });
}

describe("clientAddress", () => {
  it("believes nothing when no proxy stands in front: the header may be the caller's own", () => {
    expect(clientAddress("198.51.100.7", 0)).toBeNull();
  });

  it("takes the address the proxy nearest this server saw, not what the caller wrote before it", () => {
    expect(clientAddress("6.6.6.6, 198.51.100.7", 1)).toBe("198.51.100.7");
    expect(clientAddress("6.6.6.6, 198.51.100.7, 10.0.0.2", 2)).toBe("198.51.100.7");
  });

  it("refuses what is not an address, and too short a chain", () => {
    expect(clientAddress("evil; rm -rf", 1)).toBeNull();
    expect(clientAddress("198.51.100.7", 2)).toBeNull();
    expect(clientAddress(null, 1)).toBeNull();
  });

  it("reads IPv6 and IPv4-mapped addresses", () => {
    expect(clientAddress("2001:db8::1", 1)).toBe("2001:db8::1");
    expect(clientAddress("::ffff:198.51.100.7", 1)).toBe("198.51.100.7");
  });
});

describe("clientAddressHeaders", () => {
  it("signs the address and the time with the shared secret, as the API checks it", () => {
    const headers = clientAddressHeaders(request("198.51.100.7"), { WEB_PROXY_SECRET: SECRET, WEB_TRUSTED_PROXY_HOPS: "1" },
                                         1_700_000_000_500);
    const expected = createHmac("sha256", SECRET).update("1700000000.198.51.100.7").digest("hex");
    expect(headers).toEqual({ "X-Client-Address": "198.51.100.7",
                              "X-Client-Address-Signature": `t=1700000000,v1=${expected}` });
    expect(signClientAddress(SECRET, "198.51.100.7", 1700000000)).toBe(headers["X-Client-Address-Signature"]);
  });

  it("sends nothing without a secret or without a proxy to vouch for the address", () => {
    expect(clientAddressHeaders(request("198.51.100.7"), { WEB_TRUSTED_PROXY_HOPS: "1" })).toEqual({});
    expect(clientAddressHeaders(request("198.51.100.7"), { WEB_PROXY_SECRET: SECRET })).toEqual({});
  });
});
