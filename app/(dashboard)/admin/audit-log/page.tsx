import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { AuditLogView } from "@/components/audit/audit-log-view";
import { getDb } from "@/db/client";
import { requireSessionUser } from "@/lib/auth/session";
import { auditPageParams, loadAuditPage } from "@/lib/audit/audit-page-query";

export const metadata: Metadata = { title: "Audit log · Admin" };
export const dynamic = "force-dynamic";

/** Everything that changed on this install, by anyone. The layout checks the role; so does this page and the service. */
export default async function AdminAuditLogPage({ searchParams }: { searchParams: Promise<{ area?: string | string[]; cursor?: string | string[] }> }) {
  const user = await requireSessionUser();
  if (user.role !== "admin") notFound();
  const { area, cursor } = auditPageParams(await searchParams);
  const page = await loadAuditPage(await getDb(), { user, keyId: null }, "all", area, cursor);
  return <AuditLogView page={page} area={area} cursor={cursor} basePath="/admin/audit-log" />;
}
