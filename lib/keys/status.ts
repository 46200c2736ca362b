/** A key's status, derived, in this precedence: revoked > expired > limit_reached > active. */
export const keyStatuses = ["active", "limit_reached", "expired", "revoked"] as const;
export type KeyStatus = (typeof keyStatuses)[number];

export interface KeyStatusFields {
  revokedAt: Date | null;
  expiresAt: Date | null;
  spendingLimit: bigint | null;
  spend: bigint;
}

export function keyStatus(key: KeyStatusFields, now: Date = new Date()): KeyStatus {
  if (key.revokedAt) return "revoked";
  if (key.expiresAt && key.expiresAt.getTime() <= now.getTime()) return "expired";
  if (key.spendingLimit !== null && key.spend >= key.spendingLimit) return "limit_reached";
  return "active";
}
