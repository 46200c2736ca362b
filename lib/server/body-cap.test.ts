import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { largeUpload } from "../../tests/helpers/large-upload";
import { enforceBodyCap } from "./body-cap";

/**
 * The cap in front of a handler that, like Next and next-auth, reads the body whole: a body
 * over the cap never reaches it (413 while the body is still arriving), one within the cap
 * reaches it intact, declared with a length or chunked.
 */
const LIMIT = 64 * 1024;
let server: http.Server;
let base: string;
const seenByHandler: number[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const admitted = enforceBodyCap(req, res, LIMIT);
    const handle = async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks);
      seenByHandler.push(body.length);
      res
        .writeHead(200, { "content-type": "text/plain" })
        .end(`got ${body.length} ${body.subarray(0, 3).toString()}`);
    };
    if (admitted === true) void handle();
    else if (admitted !== false) {
      void admitted.then((ok) => {
        if (ok) void handle();
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe("request body cap", () => {
  it("a declared length over the cap: 413 before any of it is read", async () => {
    const result = await largeUpload(`${base}/`, 300 * 1024 * 1024);
    expect(result.status).toBe(413);
    expect(JSON.parse(result.body).error.code).toBe("request_too_large");
    expect(seenByHandler).toEqual([]);
  });

  it("a chunked body: 413 as soon as it passes the cap, long before it ends", async () => {
    const result = await largeUpload(`${base}/`, 300 * 1024 * 1024, { chunked: true });
    expect(result.status).toBe(413);
    expect(result.sentBeforeAnswer).toBeLessThan(100 * 1024 * 1024);
    expect(seenByHandler).toEqual([]);
  });

  it("bodies within the cap reach the handler whole, with a length or chunked, and the server keeps serving", async () => {
    for (const chunked of [false, true]) {
      const result = await largeUpload(`${base}/`, LIMIT, { chunked });
      expect(result).toMatchObject({ status: 200, body: `got ${LIMIT} aaa` });
    }
    expect(seenByHandler).toEqual([LIMIT, LIMIT]);
  });
});
