import { apiRoute } from "@/lib/api/route";
import { usageFilterQuery, usageObject } from "@/lib/usage/schemas";
import { usageReport } from "@/lib/usage/usage-report";
import { toUsageObject } from "@/lib/usage/usage-view";

export const dynamic = "force-dynamic";

/** The owner's usage (totals, by day, key and model) and, where the caller may see it, balance. */
export const GET = apiRoute(
  {
    summary:
      "An owner's usage by day, key and model, and its balance (CSV of every request: /usage/export)",
    query: usageFilterQuery(),
    response: usageObject,
    // A team the caller is not in, or a key they may not see.
    errors: ["not_found"],
  },
  async ({ actor, db, query }) => {
    const report = await usageReport(db, actor, query, { recent: 0 });
    return toUsageObject(report);
  },
);
