import { apiRoute } from "@/lib/api/route";
import { listRequests } from "@/lib/requests/list-requests";
import { toRequestSummaryObject } from "@/lib/requests/request-view";
import { listRequestsQuery, requestListObject } from "@/lib/requests/schemas";

export const dynamic = "force-dynamic";

/** The requests the caller may see, newest first, keyset-paged (PRODUCT.md, "Seeing every request"). */
export const GET = apiRoute(
  {
    summary:
      "Recorded /v1 requests the caller may see, newest first (platform admins: everything), filtered on the server; `next_cursor` pages on",
    query: listRequestsQuery,
    response: requestListObject,
    // not_found: a key or team the caller may not see; forbidden: `scope=all` from a non-admin.
    errors: ["not_found", "forbidden"],
  },
  async ({ actor, db, query }) => {
    const page = await listRequests(db, actor, {
      scope: query.scope ?? (actor.user.role === "admin" ? "all" : "mine"),
      from: query.from ? new Date(query.from) : undefined,
      to: query.to ? new Date(query.to) : undefined,
      keyId: query.key_id,
      teamId: query.team_id,
      userId: query.user_id,
      model: query.model,
      deploymentId: query.deployment_id,
      endpoint: query.endpoint,
      status: query.status,
      errorCode: query.error_code,
      streamed: query.streamed === undefined ? undefined : query.streamed === "true",
      minLatencyMs: query.min_latency_ms,
      minCost: query.min_cost,
      requestId: query.request_id,
      limit: query.limit,
      cursor: query.cursor,
    });
    return {
      object: "list",
      data: page.rows.map(toRequestSummaryObject),
      next_cursor: page.nextCursor,
    };
  },
);
