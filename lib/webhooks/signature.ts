import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Stripe-style signatures: `modelbridge-signature: t=<unix seconds>,v1=<hex>` where v1 is
 * HMAC-SHA256 of `${t}.${body}` under the webhook's secret. The timestamp is signed too, so a
 * receiver can refuse replays older than a few minutes.
 */
export const SIGNATURE_HEADER = "modelbridge-signature";

export function signPayload(secret: string, body: string, unixSeconds: number): string {
  const mac = createHmac("sha256", secret).update(`${unixSeconds}.${body}`).digest("hex");
  return `t=${unixSeconds},v1=${mac}`;
}

/** What a receiver does: recompute, compare in constant time, and bound the age. */
export function verifySignature(
  header: string,
  body: string,
  secret: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): boolean {
  const parts = new Map<string, string[]>();
  for (const item of header.split(",")) {
    const [name, value] = item.split("=", 2);
    if (!name || value === undefined) continue;
    parts.set(name.trim(), [...(parts.get(name.trim()) ?? []), value.trim()]);
  }
  const t = Number(parts.get("t")?.[0]);
  if (!Number.isInteger(t) || Math.abs(nowSeconds - t) > toleranceSeconds) return false;
  const expected = Buffer.from(signPayload(secret, body, t).split("v1=")[1], "hex");
  return (parts.get("v1") ?? []).some((candidate) => {
    const given = Buffer.from(candidate, "hex");
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
