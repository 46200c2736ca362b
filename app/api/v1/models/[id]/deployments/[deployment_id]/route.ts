import { z } from "zod";
import { getDatabase } from "@/db/client";
import { apiRoute } from "@/lib/api/route";
import { updateDeploymentInput } from "@/lib/models/deployment-schemas";
import { deleteDeployment, updateDeployment } from "@/lib/models/deployments";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

const params = z.object({ id: z.string(), deployment_id: z.string() });

export const PATCH = apiRoute(
  {
    summary: "Change a deployment (platform admins)",
    requires: "platform_admin",
    params,
    body: updateDeploymentInput,
    errors: ["not_found"],
  },
  async ({ actor, params, body }) =>
    updateDeployment(await getDatabase(), params.id, params.deployment_id, body, actor.user.id),
);

export const DELETE = apiRoute(
  {
    summary: "Remove a deployment; a model keeps at least one",
    requires: "platform_admin",
    params,
    // conflict: the model's last deployment.
    errors: ["not_found", "conflict"],
  },
  async ({ actor, params }) =>
    deleteDeployment(await getDatabase(), params.id, params.deployment_id, actor.user.id),
);
