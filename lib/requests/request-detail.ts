import { eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { rowsOf } from "@/db/rows-of";
import { modelDeployments, models, requestPayloads, teams, users, usageRecords } from "@/db/schema";
import type { RequestPayloadRow } from "@/db/schema/request-payloads";
import type { Prices } from "@/lib/billing/pricing";
import type { Actor } from "@/lib/core/actor";
import { NotFoundError } from "@/lib/errors/domain-errors";
import { isUuid } from "@/lib/teams/membership";
import { rowColumnsSql, toRequestRow, type RequestRow } from "./request-row";
import { mayReadRow } from "./visible-requests";

export interface RequestDetail extends RequestRow {
  user: { id: string; name: string; email: string } | null;
  team: { id: string; name: string } | null;
  deploymentProvider: string | null;
  /** The answering model's prices today, for "how the cost was derived" (null: model deleted). */
  prices: Prices | null;
  payload: RequestPayloadRow | null;
}

/**
 * One request by its row id or its request id (`x-request-id`), if the caller may read it;
 * a request they may not read is "not found", the same as one that does not exist.
 */
export async function requestDetail(db: Db, actor: Actor, id: string): Promise<RequestDetail> {
  if (id.length > 100) throw new NotFoundError("request");
  const match = isUuid(id)
    ? sql`(${usageRecords.id} = ${id}::uuid or ${usageRecords.requestId} = ${id})`
    : sql`${usageRecords.requestId} = ${id}`;
  const result = await db.execute(sql`
    select u.*, k.name as key_name, k.prefix as key_prefix, k.last4 as key_last4
    from (select ${rowColumnsSql} from ${usageRecords} where ${match}
          order by ${usageRecords.createdAt} desc limit 1) u
    left join api_keys k on k.id = u.key_id`);
  const raw = rowsOf<Record<string, unknown>>(result)[0];
  if (!raw) throw new NotFoundError("request");
  const row = toRequestRow(raw);
  if (!(await mayReadRow(db, actor, row))) throw new NotFoundError("request");

  const [user] = row.userId
    ? await db
        .select({ id: users.id, name: users.name, email: users.email })
        .from(users)
        .where(eq(users.id, row.userId))
        .limit(1)
    : [];
  const [team] = row.teamId
    ? await db
        .select({ id: teams.id, name: teams.name })
        .from(teams)
        .where(eq(teams.id, row.teamId))
        .limit(1)
    : [];
  const [model] = row.modelId
    ? await db
        .select({
          inputPricePerMillion: models.inputPricePerMillion,
          outputPricePerMillion: models.outputPricePerMillion,
          cachedInputPricePerMillion: models.cachedInputPricePerMillion,
          cacheWritePricePerMillion: models.cacheWritePricePerMillion,
        })
        .from(models)
        .where(eq(models.id, row.modelId))
        .limit(1)
    : [];
  const [deployment] = row.deploymentId
    ? await db
        .select({ provider: modelDeployments.provider })
        .from(modelDeployments)
        .where(eq(modelDeployments.id, row.deploymentId))
        .limit(1)
    : [];
  const [payload] = await db
    .select()
    .from(requestPayloads)
    .where(eq(requestPayloads.requestId, row.requestId))
    .limit(1);
  return {
    ...row,
    payloadCaptured: Boolean(payload),
    user: user ?? null,
    team: team ?? null,
    deploymentProvider: deployment?.provider ?? null,
    prices: model ?? null,
    payload: payload ?? null,
  };
}
