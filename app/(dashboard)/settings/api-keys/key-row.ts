import { formatMoney } from "@/lib/core/money";
import { columnFormat } from "@/lib/format/column-money";
import { formatAmount } from "@/lib/format/money";
import { maskKey } from "@/lib/keys/format";
import type { KeyWithCreator } from "@/lib/keys/key-access";
import { periodEndAt } from "@/lib/keys/budget-period";
import { keyStatus, spendAgainstLimit, type KeyStatus } from "@/lib/keys/status";
import { PLAYGROUND_KEY_NAME } from "@/lib/playground/playground-key";

/** One table row, as the browser gets it: already formatted, nothing secret (no hash), JSON-safe. */
export interface KeyRow {
  id: string;
  name: string;
  type: "model_serving" | "management";
  display: string;
  status: KeyStatus;
  /** Shown amounts (lib/format/money): up to four decimals. */
  spend: string;
  spendingLimit: string | null;
  /** What is left of the limit, shown next to the bar; null without a limit. */
  remaining: string | null;
  /** The limit to the micro-unit, for the Edit form: saving must not round it. */
  spendingLimitExact: string | null;
  /** The Playground's own key, which the Playground creates and uses. */
  isPlayground: boolean;
  /** Only for sorting and the progress bar; money itself stays a decimal string. */
  spendOrder: number;
  percentUsed: number | null;
  expiresAt: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  createdByName: string;
  teamId: string | null;
  /** Null: every model. */
  allowedModels: string[] | null;
  requestsPerMinute: number | null;
  tokensPerMinute: number | null;
  maxConcurrent: number | null;
  budgetPeriod: "none" | "daily" | "weekly" | "monthly";
  /** Lifetime spend (the Spend column shows the period's when there is a budget period). */
  lifetimeSpend: string;
  periodResetsAt: string | null;
  ipAllowlist: string[] | null;
  alertThresholds: number[];
  paused: boolean;
  /** Until when the secret replaced by the last roll still works; null when it no longer does. */
  previousKeyExpiresAt: string | null;
  /** Payload capture in force for this key's traffic (its own, its team's or the instance's); null: off. */
  payloadCapture: { sampleRate: number } | null;
}

export interface KeyMoneyFormats {
  spend: (value: bigint) => string;
  limit: (value: bigint) => string;
  remaining: (value: bigint) => string;
}

/** The formats of a list of keys: each figure in one format down the list. */
export function keyMoneyFormats(keys: KeyWithCreator[], now = new Date()): KeyMoneyFormats {
  const spent = keys.map((key) => spendAgainstLimit(key, now));
  const limits = keys.flatMap((key) => (key.spendingLimit === null ? [] : [key.spendingLimit]));
  const left = keys.flatMap((key, i) =>
    key.spendingLimit === null
      ? []
      : [key.spendingLimit > spent[i] ? key.spendingLimit - spent[i] : 0n],
  );
  return { spend: columnFormat(spent), limit: columnFormat(limits), remaining: columnFormat(left) };
}

/** `smallestRequestCost`: see lib/keys/smallest-request.ts (it decides limit_reached). */
export function toKeyRow(
  key: KeyWithCreator,
  smallestRequestCost: bigint,
  now = new Date(),
  /** The list's formats (lib/format/column-money.ts): one for every spend, one for limits, one for what is left. */
  money: KeyMoneyFormats = { spend: formatAmount, limit: formatAmount, remaining: formatAmount },
): KeyRow {
  const limit = key.spendingLimit;
  // What the limit is held against: this period's spend with a budget period, else the lifetime's.
  const spent = spendAgainstLimit(key, now);
  return {
    id: key.id,
    name: key.name,
    type: key.type,
    display: maskKey(key.prefix, key.last4),
    status: keyStatus(key, now, smallestRequestCost),
    spend: money.spend(spent),
    spendingLimit: limit === null ? null : money.limit(limit),
    remaining: limit === null ? null : money.remaining(limit > spent ? limit - spent : 0n),
    spendingLimitExact: limit === null ? null : formatMoney(limit),
    isPlayground:
      key.name === PLAYGROUND_KEY_NAME && key.teamId === null && key.type === "model_serving",
    spendOrder: Number(key.spend),
    // Integer per-mille arithmetic on bigints, so the bar never disagrees with the status.
    percentUsed: limit === null ? null : Math.min(1000, Number((spent * 1000n) / limit)) / 10,
    expiresAt: key.expiresAt?.toISOString() ?? null,
    createdAt: key.createdAt.toISOString(),
    lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
    createdByName: key.createdByName,
    teamId: key.teamId,
    allowedModels: key.allowedModels,
    requestsPerMinute: key.requestsPerMinute,
    tokensPerMinute: key.tokensPerMinute,
    maxConcurrent: key.maxConcurrent,
    budgetPeriod: key.budgetPeriod,
    lifetimeSpend: formatAmount(key.spend),
    periodResetsAt: periodEndAt(key.budgetPeriod, now)?.toISOString() ?? null,
    ipAllowlist: key.ipAllowlist,
    alertThresholds: key.alertThresholds,
    paused: key.pausedAt !== null,
    previousKeyExpiresAt:
      key.previousKeyHash && key.previousKeyExpiresAt && key.previousKeyExpiresAt > now
        ? key.previousKeyExpiresAt.toISOString()
        : null,
    // The key's own setting; the pages replace it with what is in force (lib/requests/capture-settings.ts).
    payloadCapture: key.payloadCapture?.enabled
      ? { sampleRate: key.payloadCapture.sampleRate }
      : null,
  };
}

/** What the keys list gets, as a table on wide screens and as cards on a phone. */
/** What a key's row can do (the ⋯ menu on the table, the buttons on the phone cards). */
export interface RowActions {
  onEdit: (row: KeyRow) => void;
  onRevoke: (row: KeyRow) => void;
  onPause: (row: KeyRow, paused: boolean) => void;
  onRoll: (row: KeyRow) => void;
}

export interface KeyListProps extends RowActions {
  rows: KeyRow[];
  currency: string;
  showCreator: boolean;
}
