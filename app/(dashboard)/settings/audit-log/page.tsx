import type { Metadata } from "next";
import { AuditLogView } from "@/components/audit/audit-log-view";
import { PageHeader } from "@/components/shell/page-header";
import { getDatabase } from "@/db/client";
import { requireSessionActor } from "@/lib/auth/session";
import { auditPageParams, loadAuditPage } from "@/lib/audit/audit-page-query";

export const metadata: Metadata = { title: "Audit log" };
export const dynamic = "force-dynamic";

export default async function AuditLogPage({
  searchParams,
}: {
  searchParams: Promise<{ area?: string | string[]; cursor?: string | string[] }>;
}) {
  const actor = await requireSessionActor();
  const { area, cursor } = auditPageParams(await searchParams);
  const page = await loadAuditPage((await getDatabase()).db, actor, "mine", area, cursor);
  return (
    <>
      <PageHeader
        title="Audit log"
        description="Changes to your keys and webhooks, what you did, and everything in the teams you administer."
      />
      <AuditLogView page={page} area={area} cursor={cursor} basePath="/settings/audit-log" />
    </>
  );
}
