import fs from "node:fs";
import { expect, test } from "@playwright/test";
import { largeUpload } from "../../tests/helpers/large-upload";
import { startAppServer, type AppServer } from "../helpers/app-server";

/**
 * Hundreds of MB sent to routes whose handlers read bodies whole (next-auth's credentials
 * callback, the Playground route, a server action, the management API): each is answered
 * 413 while the body is still arriving, no session needed to be refused, and the
 * production server's peak resident memory barely moves. The server runs on its own so that
 * its /proc figures are this test's alone.
 */
const MiB = 1024 * 1024;
/** How far the server's peak RSS may rise over the whole run (before: +1.2 GB for one 500 MB upload). */
const RSS_BOUND = 64 * MiB;

let server: AppServer;

test.beforeAll(async () => {
  server = await startAppServer();
});

test.afterAll(async () => {
  await server?.stop();
});

function memory(pid: number): { rss: number; peak: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  // A process that has died (as the old server did under a 500 MB upload) has no VmRSS: Infinity fails the bound.
  const kb = (field: string) =>
    Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? Infinity) * 1024;
  return { rss: kb("VmRSS"), peak: kb("VmHWM") };
}

test("large bodies are refused with 413 while streaming, and the server's memory stays flat", async ({
  request,
}) => {
  test.setTimeout(240_000);
  const url = server.url;
  // Load each route's code first (Next loads a route on its first request): that memory is not the body's.
  await request.post(`${url}/api/auth/callback/credentials`, {
    form: { email: "a@example.com", password: "x" },
    maxRedirects: 0,
  });
  await request.post(`${url}/api/playground/chat`, { data: { model: "echo", messages: [] } });
  await request.post(`${url}/api/v1/keys`, { data: { name: "x" } });
  await request.post(`${url}/login`, { headers: { "next-action": "0".repeat(40) }, data: "[]" });
  await request.get(`${url}/login`);
  const pid = server.child.pid!;
  const before = memory(pid);
  // VmHWM is the peak since start (start-up and migrations are above it), so the peak during
  // the uploads is sampled from VmRSS.
  let highest = before.rss;
  const sampler = setInterval(() => (highest = Math.max(highest, memory(pid).rss)), 10);

  const uploads: [string, number, boolean, Record<string, string>?][] = [
    ["/api/auth/callback/credentials", 500 * MiB, false],
    ["/api/auth/callback/credentials", 300 * MiB, true],
    ["/api/playground/chat", 300 * MiB, false, { "content-type": "application/json" }],
    ["/api/playground/chat", 300 * MiB, true, { "content-type": "application/json" }],
    [
      "/login",
      300 * MiB,
      true,
      // Same-origin, as a browser sends it: a cross-origin action is refused 403 before the cap.
      { "next-action": "0".repeat(40), "content-type": "text/plain;charset=UTF-8", origin: url },
    ],
    ["/api/v1/keys", 300 * MiB, false, { "content-type": "application/json" }],
  ];
  for (const [path, bytes, chunked, headers] of uploads) {
    const result = await largeUpload(`${url}${path}`, bytes, { chunked, headers });
    const what = `${path} (${bytes / MiB} MiB, ${chunked ? "chunked" : "Content-Length"})`;
    expect(result.status, what).toBe(413);
    expect(JSON.parse(result.body).error.code, what).toBe("request_too_large");
    // Refused long before the end: at most what the sockets' buffers took in meanwhile.
    expect(result.sentBeforeAnswer, what).toBeLessThan(64 * MiB);
  }

  // /v1 refuses a caller without a key before reading a byte of its body (its own 413 cap is
  // proved in tests/gateway); a stranger's 300 MiB must not be read either.
  const anonymous = await largeUpload(`${url}/v1/chat/completions`, 300 * MiB, {
    chunked: true,
    headers: { "content-type": "application/json" },
  });
  expect(anonymous.status).toBe(401);
  expect(anonymous.sentBeforeAnswer).toBeLessThan(64 * MiB);

  clearInterval(sampler);
  const after = memory(pid);
  const mib = (bytes: number) => +(bytes / MiB).toFixed(1);
  console.log(
    JSON.stringify({
      rss_before_mib: mib(before.rss),
      rss_highest_during_mib: mib(highest),
      rss_after_mib: mib(after.rss),
      hwm_before_mib: mib(before.peak),
      hwm_after_mib: mib(after.peak),
    }),
  );
  expect(highest - before.rss).toBeLessThan(RSS_BOUND);
  expect(after.peak - before.peak).toBeLessThan(RSS_BOUND);
  expect(after.rss - before.rss).toBeLessThan(RSS_BOUND);
  // Still serving.
  expect((await request.get(`${url}/healthz`)).status()).toBe(200);
});
