import { z } from "zod";
import { getDatabase } from "@/db/client";
import { apiRoute } from "@/lib/api/route";
import { updateModelInput } from "@/lib/models/schemas";
import { getModel, updateModel } from "@/lib/models/service";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

const params = z.object({ id: z.string() });

export const GET = apiRoute(
  {
    summary: "One model with its deployments (platform admins; `api_key` is never returned)",
    requires: "platform_admin",
    params,
    errors: ["not_found"],
  },
  async ({ params }) => getModel(await getDatabase(), params.id),
);

export const PATCH = apiRoute(
  {
    summary: "Change a model (platform admins)",
    requires: "platform_admin",
    params,
    body: updateModelInput,
    errors: ["not_found"],
  },
  async ({ actor, params, body }) =>
    updateModel(await getDatabase(), params.id, body, actor.user.id),
);
