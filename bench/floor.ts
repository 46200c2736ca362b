/**
 * The floor: the least a Node proxy can do — node:http in, an undici Pool out, no auth, no
 * parsing, no metering. The gateway's numbers are read against this. It reads the request
 * body whole (as the gateway must, to parse it) and relays the response chunk by chunk (as
 * the gateway relays streams), so the two differ only by what the gateway adds.
 * Run as a process with BENCH_FLOOR_UPSTREAM=<origin>; prints `{"url": …}` once listening.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Pool } from "undici";

const upstream = process.env.BENCH_FLOOR_UPSTREAM;
if (!upstream) throw new Error("BENCH_FLOOR_UPSTREAM is required");
const pool = new Pool(upstream, { connections: 256, keepAliveTimeout: 30_000 });

const server = http.createServer((req, res) => {
  const parts: Buffer[] = [];
  req.on("data", (part: Buffer) => parts.push(part));
  req.on("end", () => {
    pool
      .request({
        method: "POST",
        path: req.url ?? "/",
        headers: { "content-type": "application/json" },
        body: Buffer.concat(parts),
      })
      .then(async (response) => {
        const type = response.headers["content-type"];
        res.writeHead(response.statusCode, {
          "content-type": Array.isArray(type) ? type[0] : (type ?? "application/octet-stream"),
        });
        for await (const chunk of response.body) {
          if (!res.write(chunk)) await new Promise((resolve) => res.once("drain", resolve));
        }
        res.end();
      })
      .catch(() => {
        if (!res.headersSent) res.writeHead(502);
        res.end();
      });
  });
});

server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => {
  console.log(
    JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }),
  );
});
process.on("SIGTERM", () => server.close(() => void pool.close().then(() => process.exit(0))));
