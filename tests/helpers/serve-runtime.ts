import http from "node:http";
import type { AddressInfo } from "node:net";
import type OpenAI from "openai";
import type { Database } from "@/db/client";
import { createGatewayRuntime, type GatewayRuntime } from "@/lib/gateway/entry/runtime";
import { client } from "./harness";

/**
 * Another gateway "process" for cross-process tests: its own runtime (own leases, own Redis
 * connection when `redisUrl` is set) on a node:http server, over the database given (on
 * Postgres, pass a second connection so that nothing is shared but the database).
 */
export interface ServedRuntime {
  runtime: GatewayRuntime;
  baseURL: string;
  sdk(key: string): OpenAI;
  close(): Promise<void>;
}

export async function serveRuntime(
  database: Database,
  redisUrl: string | null,
  usageFlushMs = 200,
): Promise<ServedRuntime> {
  const runtime = await createGatewayRuntime(database, {
    log: () => {},
    redisUrl,
    config: { usageFlushMs },
  });
  const server = http.createServer((req, res) => runtime.handleNode(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  return {
    runtime,
    baseURL,
    sdk: (key) => client(baseURL, key),
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await runtime.shutdown();
    },
  };
}
