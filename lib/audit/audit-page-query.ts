import type { Db } from "@/db/client";
import type { Actor } from "@/lib/core/actor";
import { FieldError } from "@/lib/errors/domain-errors";
import { isUuid } from "@/lib/teams/membership";
import { listAuditLog, type AuditPage } from "./list-audit";

/** The viewer's "What" filter: an action prefix. */
export const AUDIT_AREAS = [
  { value: "", label: "Everything" },
  { value: "key.", label: "API keys" },
  { value: "webhook.", label: "Webhooks" },
  { value: "team.", label: "Teams and members" },
  { value: "invite.", label: "Invites" },
  { value: "model.", label: "Models" },
  { value: "settings.", label: "Settings" },
  { value: "user.", label: "Users" },
  { value: "balance.", label: "Balances" },
];

export interface AuditFilters {
  area: string;
  actor: string;
  from: string;
  to: string;
  q: string;
  cursor?: string;
}

type Params = Record<string, string | string[] | undefined>;
const one = (value: string | string[] | undefined) => (typeof value === "string" ? value : "");
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The viewer's search params, allow-listed: an area from the list, an actor id, dates as
 * YYYY-MM-DD (UTC days, "to" inclusive), search words (no control characters, 100 at most),
 * a cursor as given (the service checks it). Anything else is dropped, not an error page.
 */
export function auditPageParams(params: Params): AuditFilters {
  const area = AUDIT_AREAS.some((a) => a.value === one(params.area)) ? one(params.area) : "";
  const actor = isUuid(one(params.actor)) ? one(params.actor) : "";
  const from =
    DAY.test(one(params.from)) && !Number.isNaN(Date.parse(one(params.from)))
      ? one(params.from)
      : "";
  const to =
    DAY.test(one(params.to)) && !Number.isNaN(Date.parse(one(params.to))) ? one(params.to) : "";
  const q = one(params.q)
    .replace(/[\u0000-\u001f\u007f]/g, "")
    .trim()
    .slice(0, 100);
  const cursor =
    one(params.cursor) && one(params.cursor).length <= 200 ? one(params.cursor) : undefined;
  return { area, actor, from, to, q, cursor };
}

/** A page of the log for a viewer; a cursor that does not parse shows the newest page instead of an error. */
export async function loadAuditPage(
  db: Db,
  actor: Actor,
  scope: "mine" | "all",
  filters: AuditFilters,
): Promise<AuditPage> {
  const query = {
    scope,
    action: filters.area || undefined,
    actorUserId: filters.actor || undefined,
    from: filters.from ? new Date(`${filters.from}T00:00:00Z`) : undefined,
    to: filters.to ? new Date(Date.parse(`${filters.to}T00:00:00Z`) + 86_400_000) : undefined,
    search: filters.q || undefined,
    limit: 50,
  } as const;
  try {
    return await listAuditLog(db, actor, { ...query, cursor: filters.cursor });
  } catch (error) {
    if (error instanceof FieldError && filters.cursor) return listAuditLog(db, actor, query);
    throw error;
  }
}
