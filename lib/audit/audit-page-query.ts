import type { Db } from "@/db/client";
import type { Actor } from "@/lib/api/actor";
import { FieldError } from "@/lib/errors/domain-errors";
import { listAuditLog, type AuditPage } from "./list-audit";

/** The viewer's area filter: an action prefix. */
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

/** The viewer's search params, allow-listed: an area from the list, a cursor as given (the service checks it). */
export function auditPageParams(params: { area?: string | string[]; cursor?: string | string[] }) {
  const area =
    typeof params.area === "string" && AUDIT_AREAS.some((a) => a.value === params.area)
      ? params.area
      : "";
  const cursor =
    typeof params.cursor === "string" && params.cursor.length <= 200 ? params.cursor : undefined;
  return { area, cursor };
}

/** A page of the log for a viewer; a cursor that does not parse shows the newest page instead of an error. */
export async function loadAuditPage(
  db: Db,
  actor: Actor,
  scope: "mine" | "all",
  area: string,
  cursor: string | undefined,
): Promise<AuditPage> {
  const query = { scope, action: area || undefined, limit: 50 } as const;
  try {
    return await listAuditLog(db, actor, { ...query, cursor });
  } catch (error) {
    if (error instanceof FieldError && cursor) return listAuditLog(db, actor, query);
    throw error;
  }
}
