import { getDatabase } from "@/db/client";
import { apiRoute } from "@/lib/api/route";
import { createModelInput } from "@/lib/models/schemas";
import { createModel, listModels } from "@/lib/models/service";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export const GET = apiRoute(
  {
    summary: "Models (platform admins see every field; `api_key` is never returned)",
    requires: "platform_admin",
  },
  async () => ({
    object: "list",
    data: await listModels(await getDatabase()),
  }),
);

export const POST = apiRoute(
  {
    summary: "Register a model (platform admins); `api_key` is write-only",
    requires: "platform_admin",
    body: createModelInput,
    status: 201,
  },
  async ({ actor, body }) => createModel(await getDatabase(), body, actor.user.id),
);
