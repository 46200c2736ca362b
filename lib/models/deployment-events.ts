import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { modelDeployments, models, users, webhooks } from "@/db/schema";
import type { BreakerState } from "@/lib/models/breaker-rules";
import { enqueueDeliveries } from "@/lib/webhooks/deliveries";

export const DEPLOYMENT_UNHEALTHY = "deployment.unhealthy";
export const DEPLOYMENT_RECOVERED = "deployment.recovered";

/**
 * A deployment's breaker opened or closed: the platform admins' own webhooks hear it
 * (PRODUCT.md "Health you can see"). Called once per change, by the process whose write
 * made it (the breaker store serialises the change), so each admin hears it once.
 */
export async function announceDeploymentChange(
  db: Db,
  deploymentId: string,
  change: "opened" | "closed",
  state: BreakerState,
  now = new Date(),
): Promise<void> {
  const [deployment] = await db
    .select({
      id: modelDeployments.id,
      baseUrl: modelDeployments.baseUrl,
      modelId: models.id,
      model: models.name,
    })
    .from(modelDeployments)
    .innerJoin(models, eq(models.id, modelDeployments.modelId))
    .where(eq(modelDeployments.id, deploymentId))
    .limit(1);
  if (!deployment) return;
  const targets = await db
    .select({ webhook: webhooks })
    .from(webhooks)
    .innerJoin(users, eq(users.id, webhooks.userId))
    .where(eq(users.role, "admin"));
  await enqueueDeliveries(
    db,
    targets.map((t) => t.webhook),
    change === "opened" ? DEPLOYMENT_UNHEALTHY : DEPLOYMENT_RECOVERED,
    {
      model: { id: deployment.modelId, name: deployment.model },
      deployment: { id: deployment.id, base_url: deployment.baseUrl },
      state: change === "opened" ? (state.unhealthy ? "unhealthy" : "cooling_down") : "healthy",
      cooling_until:
        change === "opened" && state.openUntil ? new Date(state.openUntil).toISOString() : null,
      last_error: state.lastError,
    },
    now,
  );
}
