import { BUILTIN_ECHO_URL } from "./schemas";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testUpstream } from "./test-connection";

let server: http.Server;
let base: string;
beforeAll(async () => {
  server = http.createServer((req, res) => {
    // An Anthropic-style server takes x-api-key with anthropic-version at /v1/models.
    const anthropic =
      req.headers["x-api-key"] === "right" &&
      req.headers["anthropic-version"] &&
      req.url === "/v1/models";
    if (req.headers.authorization !== "Bearer right" && !anthropic)
      return void res.writeHead(401).end();
    res
      .writeHead(200, { "content-type": "application/json" })
      .end(JSON.stringify({ data: [{ id: "listed" }] }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("Test connection", () => {
  it("says whether the upstream answered with the credential, in words", async () => {
    expect(
      await testUpstream({ baseUrl: base, apiKey: "right", upstreamModel: "listed" }),
    ).toMatchObject({ ok: true, status: 200 });
    expect(
      (await testUpstream({ baseUrl: base, apiKey: "right", upstreamModel: "other" })).message,
    ).toMatch(/does not list "other"/);
    expect(
      await testUpstream({ baseUrl: base, apiKey: "wrong", upstreamModel: "listed" }),
    ).toMatchObject({ ok: false, status: 401 });
    expect(
      await testUpstream({ baseUrl: base, apiKey: null, upstreamModel: "listed" }),
    ).toMatchObject({ ok: false, status: 401 });
  });

  it("asks an Anthropic model's server in Anthropic's terms", async () => {
    const origin = base.replace(/\/v1$/, "");
    expect(
      await testUpstream({
        baseUrl: origin,
        apiKey: "right",
        upstreamModel: "listed",
        provider: "anthropic",
      }),
    ).toMatchObject({ ok: true, status: 200 });
    expect(
      await testUpstream({
        baseUrl: origin,
        apiKey: "wrong",
        upstreamModel: "listed",
        provider: "anthropic",
      }),
    ).toMatchObject({ ok: false, status: 401 });
  });

  it("names why the server could not be reached, and refuses metadata addresses", async () => {
    // A port that was free a moment ago: nothing listens there.
    const probe = http.createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const closed = await testUpstream({
      baseUrl: `http://127.0.0.1:${port}/v1`,
      apiKey: null,
      upstreamModel: "x",
    });
    expect(closed).toMatchObject({
      ok: false,
      status: null,
      message: "Could not reach the server: connection refused.",
    });
    expect(
      (
        await testUpstream({
          baseUrl: "http://169.254.169.254/v1",
          apiKey: null,
          upstreamModel: "x",
        })
      ).message,
    ).toMatch(/must not point at/);
    expect(
      await testUpstream({ baseUrl: BUILTIN_ECHO_URL, apiKey: null, upstreamModel: "x" }),
    ).toMatchObject({ ok: true });
  });
});
