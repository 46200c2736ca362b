import type { Metadata } from "next";
import { PageHeader } from "@/components/shell/page-header";
import { RequestsView } from "@/components/requests/requests-view";
import { UsageTabs } from "@/components/requests/usage-tabs";
import { getDatabase } from "@/db/client";
import { requireSessionActor } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { NotFoundError } from "@/lib/errors/domain-errors";
import { deploymentOptions, modelNames, visibleServingKeys } from "@/lib/requests/filter-options";
import { loadRequestsPage, requestsPageParams } from "@/lib/requests/requests-page-query";
import { listTeams } from "@/lib/teams/teams";

export const metadata: Metadata = { title: "Requests · Usage" };
export const dynamic = "force-dynamic";

/** Usage → Requests: the viewer's own keys' requests and what they may see of their teams'. */
export default async function UsageRequestsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const actor = await requireSessionActor();
  const { db } = await getDatabase();
  const asked = requestsPageParams(await searchParams);
  const [keys, teams, models, deployments] = await Promise.all([
    visibleServingKeys(db, actor),
    listTeams(db, actor),
    modelNames(db),
    deploymentOptions(db),
  ]);
  // A key or team that is not the viewer's shows everything of theirs instead of an error.
  const [page, filters] = await loadRequestsPage(db, actor, "mine", asked).then(
    (found) => [found, asked] as const,
    async (error) => {
      if (!(error instanceof NotFoundError)) throw error;
      const mine = { ...asked, key: "", team: "", cursor: undefined };
      return [await loadRequestsPage(db, actor, "mine", mine), mine] as const;
    },
  );
  return (
    <>
      <PageHeader
        title="Usage"
        description="Every request of your keys, and of your teams' keys you may see, newest first. Open one for its attempts, timings and cost."
      />
      <UsageTabs />
      <RequestsView
        page={page}
        filters={filters}
        basePath="/usage/requests"
        currency={env().CURRENCY}
        keys={keys}
        teams={teams.map((t) => ({ id: t.id, name: t.name }))}
        models={models}
        deployments={deployments}
      />
    </>
  );
}
