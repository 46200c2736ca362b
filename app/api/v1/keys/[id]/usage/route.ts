import { z } from "zod";
import { apiRoute } from "@/lib/api/route";
import { keyUsageByDay } from "@/lib/keys/key-usage";
import { toUsageDay } from "@/lib/keys/key-view";
import { keyUsageQuery } from "@/lib/keys/schemas";

export const dynamic = "force-dynamic";

export const GET = apiRoute(
  { params: z.object({ id: z.string() }), query: keyUsageQuery },
  async ({ actor, db, params, query }) => {
    const usage = await keyUsageByDay(db, actor, params.id, query);
    return {
      key_id: params.id,
      from: usage.from.toISOString(),
      to: usage.to.toISOString(),
      data: usage.days.map(toUsageDay),
    };
  },
);
