import { describe, expect, it } from "vitest";
import { isAuthorized } from "@/server/auth";
import { isLoopback, loadServerConfig } from "@/server/config";

describe("server configuration", () => {
  it("listens on 127.0.0.1:3000 with no token by default", () => {
    expect(loadServerConfig({})).toMatchObject({ host: "127.0.0.1", port: 3000, accessToken: null });
  });

  it("recognises loopback addresses and nothing else", () => {
    for (const host of ["127.0.0.1", "127.8.9.10", "localhost", "::1", "[::1]", "::ffff:127.0.0.1"]) {
      expect(isLoopback(host), host).toBe(true);
    }
    for (const host of ["0.0.0.0", "::", "192.168.1.10", "10.0.0.1", "example.org", "::ffff:10.0.0.1"]) {
      expect(isLoopback(host), host).toBe(false);
    }
  });

  it("generates an access token when listening beyond loopback", () => {
    const config = loadServerConfig({ HOST: "0.0.0.0", PORT: "8080" });
    expect(config.port).toBe(8080);
    expect(config.accessToken).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(config.tokenGenerated).toBe(true);
    expect(loadServerConfig({ HOST: "0.0.0.0" }).accessToken).not.toBe(config.accessToken);
  });

  it("enforces a token the user set, on loopback too", () => {
    const token = "a-long-enough-token-1234";
    expect(loadServerConfig({ DSTREAM_STUDIO_TOKEN: token })).toMatchObject({ accessToken: token, tokenGenerated: false });
    expect(loadServerConfig({ HOST: "0.0.0.0", DSTREAM_STUDIO_TOKEN: token }).accessToken).toBe(token);
  });

  it("refuses a short token and a port that is not a port, naming the variable", () => {
    expect(() => loadServerConfig({ DSTREAM_STUDIO_TOKEN: "short" })).toThrow(/DSTREAM_STUDIO_TOKEN must be at least 16/);
    expect(() => loadServerConfig({ PORT: "http" })).toThrow('PORT must be a whole number from 0 to 65535; got "http"');
    expect(() => loadServerConfig({ PORT: "70000" })).toThrow(/PORT/);
  });

  it("authorizes only the exact token when one is required", () => {
    expect(isAuthorized(null, undefined)).toBe(true);
    expect(isAuthorized("secret-token-value-xyz", undefined)).toBe(false);
    expect(isAuthorized("secret-token-value-xyz", "secret-token-value-xy")).toBe(false);
    expect(isAuthorized("secret-token-value-xyz", "secret-token-value-xyz")).toBe(true);
  });
});
