import { z } from "zod";
import { apiRoute } from "@/lib/api/route";
import { requestDetail } from "@/lib/requests/request-detail";
import { toRequestDetailObject } from "@/lib/requests/request-view";

export const dynamic = "force-dynamic";

/** One request's detail, by its id or its `x-request-id`; 404 when the caller may not see it. */
export const GET = apiRoute(
  { params: z.object({ id: z.string().min(1).max(100) }) },
  async ({ actor, db, params }) => toRequestDetailObject(await requestDetail(db, actor, params.id)),
);
