import { z } from "zod";
import { getDatabase } from "@/db/client";
import { apiRoute, JsonResult } from "@/lib/api/route";
import { createDeploymentInput } from "@/lib/models/deployment-schemas";
import { createDeployment, listDeployments } from "@/lib/models/deployments";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

const params = z.object({ id: z.string() });

export const GET = apiRoute({ requires: "platform_admin", params }, async ({ params }) => ({
  object: "list",
  data: await listDeployments(await getDatabase(), params.id),
}));

export const POST = apiRoute(
  { requires: "platform_admin", params, body: createDeploymentInput },
  async ({ actor, params, body }) =>
    new JsonResult(
      await createDeployment(await getDatabase(), params.id, body, actor.user.id),
      201,
    ),
);
