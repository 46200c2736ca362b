import { jsonb } from "drizzle-orm/pg-core";

/**
 * Payload capture as set on a key, a team or the instance (PRODUCT.md, "Seeing every
 * request"): null inherits (key → team → instance); `enabled: false` switches it off here
 * even when the level above has it on. `sampleRate` is the share of requests captured (0–1).
 */
export interface PayloadCaptureSetting {
  enabled: boolean;
  sampleRate: number;
}

export const payloadCaptureColumn = () =>
  jsonb("payload_capture").$type<PayloadCaptureSetting | null>();
