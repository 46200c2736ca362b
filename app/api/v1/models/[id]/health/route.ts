import { z } from "zod";
import { getDatabase } from "@/db/client";
import { apiRoute } from "@/lib/api/route";
import { modelHealth } from "@/lib/models/deployments";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

const params = z.object({ id: z.string() });

export const GET = apiRoute(
  {
    summary:
      "Each deployment's state, success rate and p50 time to first byte over the last 15 minutes",
    requires: "platform_admin",
    params,
    errors: ["not_found"],
  },
  async ({ params }) => modelHealth(await getDatabase(), params.id),
);
