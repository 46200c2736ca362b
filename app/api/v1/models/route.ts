import { getDatabase } from "@/db/client";
import { apiRoute, JsonResult } from "@/lib/api/route";
import { createModelInput } from "@/lib/models/schemas";
import { createModel, listModels } from "@/lib/models/service";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export const GET = apiRoute({ requires: "platform_admin" }, async () => ({
  object: "list",
  data: await listModels(await getDatabase()),
}));

export const POST = apiRoute(
  { requires: "platform_admin", body: createModelInput },
  async ({ actor, body }) =>
    new JsonResult(await createModel(await getDatabase(), body, actor.user.id), 201),
);
