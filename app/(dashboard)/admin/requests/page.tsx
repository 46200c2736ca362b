import type { Metadata } from "next";
import { RequestsView } from "@/components/requests/requests-view";
import { getDatabase } from "@/db/client";
import { requirePlatformAdmin } from "@/lib/auth/require-platform-admin";
import { requireSessionActor } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { allTeams, deploymentOptions, modelNames } from "@/lib/requests/filter-options";
import { loadRequestsPage, requestsPageParams } from "@/lib/requests/requests-page-query";

export const metadata: Metadata = { title: "Requests · Admin" };
export const dynamic = "force-dynamic";

/** Every request on this install. The layout checks the role; so does this page and the service. */
export default async function AdminRequestsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const actor = await requireSessionActor();
  requirePlatformAdmin(actor);
  const filters = requestsPageParams(await searchParams);
  const { db } = await getDatabase();
  const [page, teams, models, deployments] = await Promise.all([
    loadRequestsPage(db, actor, "all", filters),
    allTeams(db),
    modelNames(db),
    deploymentOptions(db),
  ]);
  return (
    <RequestsView
      page={page}
      filters={filters}
      basePath="/admin/requests"
      currency={env().CURRENCY}
      keys={null}
      teams={teams}
      models={models}
      deployments={deployments}
      userFilter
    />
  );
}
