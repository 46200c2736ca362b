import { z } from "zod";
import { getDatabase } from "@/db/client";
import { apiRoute } from "@/lib/api/route";
import { testDeployment } from "@/lib/models/deployments";
import { connectionTestObject } from "@/lib/models/test-connection";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

const params = z.object({ id: z.string(), deployment_id: z.string() });

/** Checks that this deployment's server answers with its stored credential: `{ok, status, message}`. */
export const POST = apiRoute(
  {
    summary: "Check that the deployment's server answers with its stored credential",
    requires: "platform_admin",
    params,
    response: connectionTestObject,
    errors: ["not_found"],
  },
  async ({ params }) => testDeployment(await getDatabase(), params.id, params.deployment_id),
);
