import { z } from "zod";
import { apiRoute } from "@/lib/api/route";
import { keyRefusalsByDay } from "@/lib/keys/key-refusals";
import { keyUsageByDay } from "@/lib/keys/key-usage";
import { toUsageDay } from "@/lib/keys/key-view";
import { keyUsageObject, keyUsageQuery } from "@/lib/keys/schemas";

export const dynamic = "force-dynamic";

export const GET = apiRoute(
  {
    summary: "Requests, tokens, spend and refusals by UTC day",
    params: z.object({ id: z.string() }),
    query: keyUsageQuery,
    response: keyUsageObject,
    errors: ["not_found"],
  },
  async ({ actor, db, params, query }) => {
    const usage = await keyUsageByDay(db, actor, params.id, query);
    // Refusals (rate limited, paused, revoked…) beside the requests: why an application fails.
    const refusals = await keyRefusalsByDay(db, actor, params.id, usage);
    const refusedOn = new Map(refusals.days.map((day) => [day.date, day.total]));
    return {
      key_id: params.id,
      from: usage.from.toISOString(),
      to: usage.to.toISOString(),
      refused: refusals.total.total,
      refused_by_code: refusals.total.byCode,
      data: usage.days.map((day) => ({
        ...toUsageDay(day),
        refused: refusedOn.get(day.date) ?? 0,
      })),
      refusals: refusals.days.map((day) => ({
        date: day.date,
        refused: day.total,
        by_code: day.byCode,
      })),
    };
  },
);
