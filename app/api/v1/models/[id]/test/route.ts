import { z } from "zod";
import { getDatabase } from "@/db/client";
import { apiRoute } from "@/lib/api/route";
import { requirePlatformAdmin } from "@/lib/auth/require-platform-admin";
import { testModelConnection } from "@/lib/models/test-connection";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

const params = z.object({ id: z.string() });

/** Checks that the model's upstream answers with its stored credential: `{ok, status, message}`. */
export const POST = apiRoute({ params }, async ({ actor, params }) => {
  requirePlatformAdmin(actor);
  return testModelConnection(await getDatabase(), params.id);
});
