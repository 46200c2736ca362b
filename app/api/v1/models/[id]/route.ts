import { z } from "zod";
import { getDatabase } from "@/db/client";
import { apiRoute } from "@/lib/api/route";
import { requirePlatformAdmin } from "@/lib/auth/require-platform-admin";
import { updateModelInput } from "@/lib/models/schemas";
import { getModel, updateModel } from "@/lib/models/service";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

const params = z.object({ id: z.string() });

export const GET = apiRoute({ params }, async ({ actor, params }) => {
  requirePlatformAdmin(actor);
  return getModel(await getDatabase(), params.id);
});

export const PATCH = apiRoute({ params, body: updateModelInput }, async ({ actor, params, body }) => {
  requirePlatformAdmin(actor);
  return updateModel(await getDatabase(), params.id, body, actor.user.id);
});
