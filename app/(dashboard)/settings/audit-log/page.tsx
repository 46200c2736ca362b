import type { Metadata } from "next";
import { AuditLogView } from "@/components/audit/audit-log-view";
import { PageHeader } from "@/components/shell/page-header";
import { getDatabase } from "@/db/client";
import { requireSessionActor } from "@/lib/auth/session";
import { loadAuditNames } from "@/lib/audit/audit-names";
import { auditPageParams, loadAuditPage } from "@/lib/audit/audit-page-query";
import { auditActors } from "@/lib/audit/list-audit";

export const metadata: Metadata = { title: "Audit log" };
export const dynamic = "force-dynamic";

export default async function AuditLogPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const actor = await requireSessionActor();
  const filters = auditPageParams(await searchParams);
  const { db } = await getDatabase();
  const [page, actors] = await Promise.all([
    loadAuditPage(db, actor, "mine", filters),
    auditActors(db, actor, "mine"),
  ]);
  return (
    <>
      <PageHeader
        title="Audit log"
        description="Changes to your keys and webhooks, what you did, and everything in the teams you administer."
      />
      <AuditLogView
        page={page}
        names={await loadAuditNames(db, page.entries)}
        actors={actors}
        filters={filters}
        basePath="/settings/audit-log"
      />
    </>
  );
}
