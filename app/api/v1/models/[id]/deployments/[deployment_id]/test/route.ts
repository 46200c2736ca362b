import { z } from "zod";
import { getDatabase } from "@/db/client";
import { apiRoute } from "@/lib/api/route";
import { testDeployment } from "@/lib/models/deployments";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

const params = z.object({ id: z.string(), deployment_id: z.string() });

/** Checks that this deployment's server answers with its stored credential: `{ok, status, message}`. */
export const POST = apiRoute({ requires: "platform_admin", params }, async ({ params }) =>
  testDeployment(await getDatabase(), params.id, params.deployment_id),
);
