import { getDb } from "@/db/client";
import { authenticateApiRequest } from "@/lib/api/authenticate";
import { fromZodError } from "@/lib/api/error-response";
import { errorResponse, newRequestId } from "@/lib/api/route";
import { streamUsageCsv } from "@/lib/usage/csv-export";
import { usageFilterQuery } from "@/lib/usage/schemas";

export const dynamic = "force-dynamic";

/**
 * CSV of every request for the same filters as GET /api/v1/usage (owner, key_id, range or
 * from/to), streamed a page at a time. The Usage page's "Export CSV" links here; a
 * Management key works too. Errors answer in the JSON envelope like the rest of /api/v1.
 */
export async function GET(request: Request): Promise<Response> {
  const requestId = newRequestId();
  try {
    const actor = await authenticateApiRequest(request);
    const parsed = usageFilterQuery().safeParse(Object.fromEntries(new URL(request.url).searchParams));
    if (!parsed.success) throw fromZodError(parsed.error);
    const db = await getDb();
    const { body, filename } = await streamUsageCsv(db, actor, parsed.data);
    return new Response(body, {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="${filename}"`,
        "cache-control": "no-store",
        "x-request-id": requestId,
      },
    });
  } catch (error) {
    return errorResponse(error, requestId);
  }
}
