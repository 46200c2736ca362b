import type { Metadata } from "next";
import { AuditLogView } from "@/components/audit/audit-log-view";
import { getDatabase } from "@/db/client";
import { requirePlatformAdmin } from "@/lib/auth/require-platform-admin";
import { requireSessionActor } from "@/lib/auth/session";
import { auditPageParams, loadAuditPage } from "@/lib/audit/audit-page-query";

export const metadata: Metadata = { title: "Audit log · Admin" };
export const dynamic = "force-dynamic";

/** Everything that changed on this install, by anyone. The layout checks the role; so does this page and the service. */
export default async function AdminAuditLogPage({
  searchParams,
}: {
  searchParams: Promise<{ area?: string | string[]; cursor?: string | string[] }>;
}) {
  const actor = await requireSessionActor();
  requirePlatformAdmin(actor);
  const { area, cursor } = auditPageParams(await searchParams);
  const page = await loadAuditPage((await getDatabase()).db, actor, "all", area, cursor);
  return <AuditLogView page={page} area={area} cursor={cursor} basePath="/admin/audit-log" />;
}
