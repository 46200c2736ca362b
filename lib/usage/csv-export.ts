import type { Db } from "@/db/client";
import type { Actor } from "@/lib/core/actor";
import { CSV_HEADER, csvLine, requestCsvLine } from "./csv";
import { lastDayOf, utcDay } from "./range";
import { allRequests } from "./requests";
import { resolveUsageScope } from "./scope";
import type { UsageFilter } from "./usage-report";

/**
 * The export as a byte stream. The scope is resolved (and so authorized) before the first
 * byte, so a refusal is a proper error response rather than a broken download.
 */
export async function streamUsageCsv(
  db: Db,
  actor: Actor,
  filter: UsageFilter,
): Promise<{ body: ReadableStream<Uint8Array>; filename: string }> {
  const scope = await resolveUsageScope(db, actor, { owner: filter.owner, keyId: filter.keyId });
  const pages = allRequests(db, scope, filter.range);
  const encoder = new TextEncoder();
  let headerSent = false;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        controller.enqueue(encoder.encode(csvLine([...CSV_HEADER])));
        return;
      }
      const next = await pages.next();
      if (next.done) {
        controller.close();
        return;
      }
      controller.enqueue(encoder.encode(next.value.map(requestCsvLine).join("")));
    },
    async cancel() {
      await pages.return(undefined);
    },
  });
  const who = scope.key
    ? `key-${scope.key.id.slice(0, 8)}`
    : scope.owner === "personal"
      ? "personal"
      : `team-${scope.owner.slice(0, 8)}`;
  return {
    body,
    filename: `usage-${who}-${utcDay(filter.range.from)}-to-${lastDayOf(filter.range)}.csv`,
  };
}
