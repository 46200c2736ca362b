/**
 * The stand-in model server for the benchmark, as cheap as node:http allows so that it is
 * never what limits a run: every answer is prebuilt. JSON answers after a fixed latency;
 * streams send their first chunk after the same latency and the rest paced, then the usage
 * chunk (when asked for, as the gateway always does) and [DONE].
 * Run as a process: prints `{"url": "http://127.0.0.1:<port>"}` once listening.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { mockJsonBody, mockStreamChunks, MOCK_SHAPE } from "./mock-shape";

const latencyMs = Number(process.env.BENCH_UPSTREAM_LATENCY_MS ?? 1);
// 0 by default: one write per chunk, each on its own event-loop turn, as fast as it goes, so
// that stream throughput is bound by the proxy's CPU (as in the independent benchmark), not
// by the pacing.
const paceMs = Number(process.env.BENCH_STREAM_PACE_MS ?? 0);
const json = Buffer.from(mockJsonBody());
const { content: contentChunks, usage: usageChunk } = mockStreamChunks();
const DONE = "data: [DONE]\n\n";
// setTimeout cannot wait less than 1 ms: 0 means "answer at once" (setImmediate).
const later = (fn: () => void, ms: number) => (ms > 0 ? setTimeout(fn, ms) : setImmediate(fn));

const server = http.createServer((req, res) => {
  if (req.method !== "POST" || !req.url?.endsWith("/chat/completions")) {
    res.writeHead(404).end();
    return;
  }
  const parts: Buffer[] = [];
  req.on("data", (part: Buffer) => parts.push(part));
  req.on("end", () => {
    const body = Buffer.concat(parts).toString("utf8");
    // A substring test, not JSON.parse: the mock must stay cheap. Both the floor (raw bytes)
    // and the gateway (JSON.stringify) send these spelled exactly so.
    if (!body.includes('"stream":true')) {
      later(
        () =>
          res
            .writeHead(200, { "content-type": "application/json", "content-length": json.length })
            .end(json),
        latencyMs,
      );
      return;
    }
    const withUsage = body.includes('"include_usage":true');
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    let sent = 0;
    const next = () => {
      if (res.destroyed) return;
      if (sent < contentChunks.length) {
        res.write(contentChunks[sent++]);
        later(next, paceMs);
        return;
      }
      if (withUsage) res.write(usageChunk);
      res.end(DONE);
    };
    later(next, latencyMs);
  });
});

server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.BENCH_UPSTREAM_PORT ?? 0), "127.0.0.1", () => {
  const { port } = server.address() as AddressInfo;
  console.log(JSON.stringify({ url: `http://127.0.0.1:${port}`, chunks: MOCK_SHAPE.chunks }));
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
