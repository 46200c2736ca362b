import { z } from "zod";
import { apiRoute } from "@/lib/api/route";
import { requestDetail } from "@/lib/requests/request-detail";
import { toRequestDetailObject } from "@/lib/requests/request-view";
import { requestDetailObject } from "@/lib/requests/schemas";

export const dynamic = "force-dynamic";

/** One request's detail, by its id or its `x-request-id`; 404 when the caller may not see it. */
export const GET = apiRoute(
  {
    summary:
      "One request by its id or `x-request-id`: models asked and answering, attempts, timings, tokens by kind, cost and how it was derived, client, and the payload when captured",
    params: z.object({ id: z.string().min(1).max(100) }),
    response: requestDetailObject,
    // invalid_request: an id longer than 100 characters fails the params.
    errors: ["not_found", "invalid_request"],
  },
  async ({ actor, db, params }) => toRequestDetailObject(await requestDetail(db, actor, params.id)),
);
