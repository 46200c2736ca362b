import { getDatabase } from "@/db/client";
import { apiRoute, JsonResult } from "@/lib/api/route";
import { requirePlatformAdmin } from "@/lib/auth/require-platform-admin";
import { createModelInput } from "@/lib/models/schemas";
import { createModel, listModels } from "@/lib/models/service";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export const GET = apiRoute({}, async ({ actor }) => {
  requirePlatformAdmin(actor);
  return { object: "list", data: await listModels(await getDatabase()) };
});

export const POST = apiRoute({ body: createModelInput }, async ({ actor, body }) => {
  requirePlatformAdmin(actor);
  return new JsonResult(await createModel(await getDatabase(), body, actor.user.id), 201);
});
