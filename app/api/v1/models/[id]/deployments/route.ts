import { z } from "zod";
import { getDatabase } from "@/db/client";
import { apiRoute } from "@/lib/api/route";
import { createDeploymentInput } from "@/lib/models/deployment-schemas";
import { createDeployment, listDeployments } from "@/lib/models/deployments";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

const params = z.object({ id: z.string() });

export const GET = apiRoute(
  {
    summary: "The model's deployments with their state (platform admins)",
    requires: "platform_admin",
    params,
    errors: ["not_found"],
  },
  async ({ params }) => ({
    object: "list",
    data: await listDeployments(await getDatabase(), params.id),
  }),
);

export const POST = apiRoute(
  {
    summary: "Add a deployment to a model (platform admins); `api_key` is write-only",
    requires: "platform_admin",
    params,
    body: createDeploymentInput,
    status: 201,
    errors: ["not_found"],
  },
  async ({ actor, params, body }) =>
    createDeployment(await getDatabase(), params.id, body, actor.user.id),
);
