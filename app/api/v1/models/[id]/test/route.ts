import { z } from "zod";
import { getDatabase } from "@/db/client";
import { apiRoute } from "@/lib/api/route";
import { connectionTestObject, testModelConnection } from "@/lib/models/test-connection";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

const params = z.object({ id: z.string() });

/** Checks that the model's upstream answers with its stored credential: `{ok, status, message}`. */
export const POST = apiRoute(
  {
    summary: "Check that the model's upstream answers with its stored credential (platform admins)",
    requires: "platform_admin",
    params,
    response: connectionTestObject,
    errors: ["not_found"],
  },
  async ({ params }) => testModelConnection(await getDatabase(), params.id),
);
