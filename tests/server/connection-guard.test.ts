import { afterEach, describe, expect, it } from "vitest";
import http from "node:http";
import net, { type AddressInfo } from "node:net";
import { capConnectionsPerAddress, serverOptions } from "@/lib/server/connection-guard";

/**
 * Issue 27 item 6, under load: one address opening hundreds of slow-header connections
 * (slowloris) neither holds them past the headers timeout nor more than its per-address
 * share, and another client's /healthz keeps answering promptly meanwhile. Loopback only:
 * the attacker is 127.0.0.1, the victim 127.0.0.2; every loop is bounded.
 */
const servers: http.Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function start(guarded: boolean) {
  const handler: http.RequestListener = (_req, res) => res.end("ok");
  const server = guarded
    ? http.createServer(
        serverOptions({ headersTimeoutMs: 1_000, requestTimeoutMs: 5_000, perAddress: 50 }),
        handler,
      )
    : http.createServer(handler);
  const counter = guarded ? capConnectionsPerAddress(server, 50) : null;
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { port: (server.address() as AddressInfo).port, counter };
}

/** One GET /healthz from 127.0.0.2 on a fresh connection; its latency in ms. */
function victim(port: number): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.get(
      { host: "127.0.0.1", port, path: "/healthz", localAddress: "127.0.0.2", agent: false },
      (res) => {
        res.resume();
        res.on("end", () => resolve(performance.now() - started));
      },
    );
    req.setTimeout(5_000, () => req.destroy(new Error("victim timed out")));
    req.on("error", reject);
  });
}

async function victimLatencies(port: number, n = 15): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    out.push(await victim(port));
    await new Promise((r) => setTimeout(r, 100));
  }
  return out;
}

/** `count` slowloris connections from 127.0.0.1: headers started, one more byte every 200 ms. */
function slowloris(port: number, count: number) {
  const sockets: net.Socket[] = [];
  const timers: NodeJS.Timeout[] = [];
  for (let i = 0; i < count; i++) {
    const socket = net.connect({ host: "127.0.0.1", port, localAddress: "127.0.0.1" });
    socket.on("error", () => {});
    socket.on("connect", () => {
      socket.write("GET / HTTP/1.1\r\nHost: x\r\n");
      const timer = setInterval(() => {
        if (!socket.destroyed) socket.write("X-a: b\r\n");
      }, 200);
      timers.push(timer);
    });
    sockets.push(socket);
  }
  return {
    alive: () => sockets.filter((s) => !s.destroyed && !s.closed && s.readyState === "open").length,
    stop() {
      for (const t of timers) clearInterval(t);
      for (const s of sockets) s.destroy();
    },
  };
}

const max = (values: number[]) => Math.max(...values);

describe("slow headers from one address", () => {
  it("are cut off and capped; the victim's /healthz stays prompt while the attack runs", async () => {
    const { port, counter } = await start(true);
    const quiet = await victimLatencies(port);
    const attack = slowloris(port, 400);
    try {
      await new Promise((r) => setTimeout(r, 500));
      expect(counter!.open("127.0.0.1")).toBeLessThanOrEqual(50);
      const loaded = await victimLatencies(port);
      // Trickled headers do not reset Node's headers timeout: all are gone within it.
      await new Promise((r) => setTimeout(r, 1_500));
      const stillOpen = attack.alive();
      console.log(
        JSON.stringify({
          victim_ms_quiet_max: Math.round(max(quiet)),
          victim_ms_under_attack_max: Math.round(max(loaded)),
          attacker_sockets_after_3s: stillOpen,
        }),
      );
      expect(max(loaded)).toBeLessThan(1_000);
      expect(stillOpen).toBeLessThanOrEqual(50);
      expect(counter!.open("127.0.0.1")).toBeLessThanOrEqual(50);
    } finally {
      attack.stop();
    }
  });

  it("for comparison, Node's defaults keep every one of them open", async () => {
    const { port } = await start(false);
    const attack = slowloris(port, 400);
    try {
      await new Promise((r) => setTimeout(r, 2_500));
      expect(attack.alive()).toBeGreaterThan(300);
    } finally {
      attack.stop();
    }
  });
});
