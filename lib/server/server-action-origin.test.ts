import { describe, expect, it } from "vitest";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { isCrossOriginServerAction, refuseCrossOriginAction } from "./server-action-origin";

/** Issue 27 item 15: a cross-origin server action is a 403, not Next's 500. */
describe("cross-origin server actions", () => {
  it("are answered 403 before Next; same-origin ones and other requests pass", async () => {
    const server = http.createServer((req, res) => {
      if (isCrossOriginServerAction(req)) return refuseCrossOriginAction(res);
      res.end("next");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const post = (headers: Record<string, string>) =>
      fetch(`${base}/settings/api-keys`, { method: "POST", headers, body: "[]" });
    try {
      const cross = await post({ "next-action": "abc123", origin: "https://evil.example" });
      expect(cross.status).toBe(403);
      expect(((await cross.json()) as { error: { code: string } }).error.code).toBe("forbidden");
      expect((await post({ "next-action": "abc123", origin: base })).status).toBe(200);
      expect((await post({ origin: "https://evil.example" })).status).toBe(200);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
