import { apiRoute } from "@/lib/api/route";
import { streamUsageCsv } from "@/lib/usage/csv-export";
import { usageFilterQuery } from "@/lib/usage/schemas";

export const dynamic = "force-dynamic";

/**
 * CSV of every request for the same filters as GET /api/v1/usage (owner, key_id, range or
 * from/to), streamed a page at a time. The Usage page's "Export CSV" links here; a
 * Management key works too. Errors answer in the JSON envelope like the rest of /api/v1.
 * Not in the OpenAPI document (its answer is a CSV file): /usage's summary points here.
 */
export const GET = apiRoute(
  {
    summary: "CSV of every request for the same filters as /usage",
    query: usageFilterQuery(),
    errors: ["not_found"],
  },
  async ({ actor, db, query }) => {
    const { body, filename } = await streamUsageCsv(db, actor, query);
    return new Response(body, {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="${filename}"`,
        "cache-control": "no-store",
      },
    });
  },
);
