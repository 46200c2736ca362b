import { and, asc, eq, isNull } from "drizzle-orm";
import type { Db } from "@/db/client";
import { apiKeys, modelDeployments, models, teams } from "@/db/schema";
import type { Actor } from "@/lib/core/actor";
import { visibleTo } from "@/lib/keys/key-access";

/** What the Requests pages' selects offer: model names, and the keys/teams a viewer may pick. */
export async function modelNames(db: Db): Promise<string[]> {
  const rows = await db.select({ name: models.name }).from(models).orderBy(asc(models.name));
  return rows.map((r) => r.name);
}

export async function visibleServingKeys(db: Db, actor: Actor) {
  return db
    .select({ id: apiKeys.id, name: apiKeys.name })
    .from(apiKeys)
    .where(and(eq(apiKeys.type, "model_serving"), visibleTo(actor.user.id)))
    .orderBy(asc(apiKeys.name))
    .limit(200);
}

/** Every team (Admin → Requests), by name. */
export async function allTeams(db: Db) {
  return db
    .select({ id: teams.id, name: teams.name })
    .from(teams)
    .where(isNull(teams.deletedAt))
    .orderBy(asc(teams.name))
    .limit(500);
}

/**
 * Every deployment, named by its model, provider and place in the model's order (never its
 * base URL, which is the operator's business: Usage → Requests offers this list too).
 */
export async function deploymentOptions(db: Db): Promise<{ id: string; name: string }[]> {
  const rows = await db
    .select({ id: modelDeployments.id, model: models.name, provider: modelDeployments.provider })
    .from(modelDeployments)
    .innerJoin(models, eq(models.id, modelDeployments.modelId))
    .orderBy(
      asc(models.name),
      asc(modelDeployments.priority),
      asc(modelDeployments.createdAt),
      asc(modelDeployments.id),
    )
    .limit(500);
  const seen = new Map<string, number>();
  return rows.map((r) => {
    const n = (seen.get(r.model) ?? 0) + 1;
    seen.set(r.model, n);
    return { id: r.id, name: `${r.model} · ${r.provider} #${n}` };
  });
}
