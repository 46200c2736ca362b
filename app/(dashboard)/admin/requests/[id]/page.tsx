import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { RequestDetailView } from "@/components/requests/request-detail-view";
import { getDatabase } from "@/db/client";
import { requirePlatformAdmin } from "@/lib/auth/require-platform-admin";
import { requireSessionActor } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { NotFoundError } from "@/lib/errors/domain-errors";
import { requestDetail } from "@/lib/requests/request-detail";

export const metadata: Metadata = { title: "Request · Admin" };
export const dynamic = "force-dynamic";

export default async function AdminRequestPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requireSessionActor();
  requirePlatformAdmin(actor);
  const { db } = await getDatabase();
  const { id } = await params;
  const detail = await requestDetail(db, actor, decodeURIComponent(id)).catch((error) => {
    if (error instanceof NotFoundError) notFound();
    throw error;
  });
  return <RequestDetailView detail={detail} backHref="/admin/requests" currency={env().CURRENCY} />;
}
