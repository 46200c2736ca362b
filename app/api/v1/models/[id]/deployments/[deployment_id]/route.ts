import { z } from "zod";
import { getDatabase } from "@/db/client";
import { apiRoute } from "@/lib/api/route";
import { updateDeploymentInput } from "@/lib/models/deployment-schemas";
import { deleteDeployment, updateDeployment } from "@/lib/models/deployments";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

const params = z.object({ id: z.string(), deployment_id: z.string() });

export const PATCH = apiRoute(
  { requires: "platform_admin", params, body: updateDeploymentInput },
  async ({ actor, params, body }) =>
    updateDeployment(await getDatabase(), params.id, params.deployment_id, body, actor.user.id),
);

export const DELETE = apiRoute({ requires: "platform_admin", params }, async ({ actor, params }) =>
  deleteDeployment(await getDatabase(), params.id, params.deployment_id, actor.user.id),
);
