import type { IncomingMessage, ServerResponse } from "node:http";
import { getGatewayRuntime } from "@/lib/gateway/entry/runtime";

export interface MountedGateway {
  handle(req: IncomingMessage, res: ServerResponse): void;
  /** Waits for in-flight settlements and writes buffered usage records. */
  shutdown(): Promise<void>;
}

/** The `/v1` handler server.ts mounts in front of Next: lib/gateway's node adapter. */
export async function mountGateway(): Promise<MountedGateway> {
  const runtime = await getGatewayRuntime();
  return {
    handle: runtime.handleNode,
    shutdown: () => runtime.shutdown(),
  };
}
