import { apiRoute } from "@/lib/api/route";
import { usageFilterQuery } from "@/lib/usage/schemas";
import { usageReport } from "@/lib/usage/usage-report";
import { toUsageObject } from "@/lib/usage/usage-view";

export const dynamic = "force-dynamic";

/** The owner's usage (totals, by day, key and model) and, where the caller may see it, balance. */
export const GET = apiRoute({ query: usageFilterQuery() }, async ({ actor, db, query }) => {
  const report = await usageReport(db, actor, query, { recent: 0 });
  return toUsageObject(report);
});
