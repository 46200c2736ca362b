import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { RequestDetailView } from "@/components/requests/request-detail-view";
import { getDatabase } from "@/db/client";
import { requireSessionActor } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { NotFoundError } from "@/lib/errors/domain-errors";
import { requestDetail } from "@/lib/requests/request-detail";

export const metadata: Metadata = { title: "Request · Usage" };
export const dynamic = "force-dynamic";

/** One request of the viewer's (or their team's); anyone else's is "not found". */
export default async function UsageRequestPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requireSessionActor();
  const { db } = await getDatabase();
  const { id } = await params;
  const detail = await requestDetail(db, actor, decodeURIComponent(id)).catch((error) => {
    if (error instanceof NotFoundError) notFound();
    throw error;
  });
  return <RequestDetailView detail={detail} backHref="/usage/requests" currency={env().CURRENCY} />;
}
