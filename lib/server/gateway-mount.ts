import type { IncomingMessage, ServerResponse } from "node:http";

export interface MountedGateway {
  handle(req: IncomingMessage, res: ServerResponse): void;
  /** Drain and flush buffered usage records. */
  shutdown(): Promise<void>;
}

/**
 * The `/v1` handler server.ts mounts in front of Next. Until lib/gateway provides its
 * node adapter, `/v1` falls through to the App Router handlers.
 */
export async function mountGateway(): Promise<MountedGateway | null> {
  return null;
}
