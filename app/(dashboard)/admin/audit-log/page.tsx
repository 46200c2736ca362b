import type { Metadata } from "next";
import { AuditLogView } from "@/components/audit/audit-log-view";
import { getDatabase } from "@/db/client";
import { adminPageTitle, requirePlatformAdminPage } from "@/lib/auth/admin-page";
import { loadAuditNames } from "@/lib/audit/audit-names";
import { auditPageParams, loadAuditPage } from "@/lib/audit/audit-page-query";
import { auditActors } from "@/lib/audit/list-audit";

export const generateMetadata = adminPageTitle("Audit log");
export const dynamic = "force-dynamic";

/** Everything that changed on this install, by anyone. The layout checks the role; so does this page and the service. */
export default async function AdminAuditLogPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const actor = await requirePlatformAdminPage();
  const filters = auditPageParams(await searchParams);
  const { db } = await getDatabase();
  const [page, actors] = await Promise.all([
    loadAuditPage(db, actor, "all", filters),
    auditActors(db, actor, "all"),
  ]);
  return (
    <AuditLogView
      page={page}
      names={await loadAuditNames(db, page.entries)}
      actors={actors}
      filters={filters}
      basePath="/admin/audit-log"
    />
  );
}
