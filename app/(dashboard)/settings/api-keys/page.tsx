import type { Metadata } from "next";
import { headers } from "next/headers";
import Link from "next/link";
import { Users } from "lucide-react";
import { PageHeader } from "@/components/shell/page-header";
import { buttonClass } from "@/components/ui/button";
import { getDatabase } from "@/db/client";
import { requireSessionActor } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { captureInForce } from "@/lib/requests/capture-settings";
import { publicBaseUrl } from "@/lib/http/public-base-url";
import { listKeys } from "@/lib/keys/list-keys";
import { listModels } from "@/lib/models/service";
import { listTeams } from "@/lib/teams/teams";
import { ApiKeysView } from "./_components/api-keys-view";
import { smallestRequestCost } from "@/lib/keys/smallest-request";
import { keyMoneyFormats, toKeyRow } from "./key-row";
import { listAlertNotices } from "@/lib/alerts/notices";
import { formatAmount } from "@/lib/format/money";

export const metadata: Metadata = { title: "API Keys" };
export const dynamic = "force-dynamic";

export default async function ApiKeysPage({
  searchParams,
}: {
  searchParams: Promise<{ owner?: string | string[] }>;
}) {
  const actor = await requireSessionActor();
  const { db } = await getDatabase();
  const teams = await listTeams(db, actor);
  const requested = (await searchParams).owner;
  // Only an owner the user belongs to is honoured; anything else shows their personal keys.
  const team = teams.find((t) => t.id === requested);
  const owner = team ? team.id : "personal";
  const [keys, smallest, notices] = await Promise.all([
    listKeys(db, actor, { owner }),
    smallestRequestCost(db),
    listAlertNotices(db, actor, owner === "personal" ? null : owner),
  ]);
  const now = new Date();
  const money = keyMoneyFormats(keys, now);
  const capture = await captureInForce(db, keys);
  const enabledModels = (await listModels(await getDatabase()))
    .filter((m) => m.enabled)
    .map((m) => m.name);

  return (
    <>
      <PageHeader
        title="API Keys"
        description="Keys let your applications call models through this gateway. A key is shown once, when you create it."
        actions={
          <Link href="/settings/teams" className={buttonClass("ghost")}>
            <Users aria-hidden className="h-4 w-4" />
            Teams
          </Link>
        }
      />
      <ApiKeysView
        key={owner}
        owner={owner}
        owners={[
          { id: "personal", name: "Personal" },
          ...teams.map((t) => ({ id: t.id, name: t.name })),
        ]}
        isTeamAdmin={team?.role === "admin"}
        keys={keys.map((key) => ({
          ...toKeyRow(key, smallest, now, money),
          payloadCapture: capture.get(key.id) ?? null,
        }))}
        currency={env().CURRENCY}
        baseUrl={await serverUrl()}
        maxActiveKeys={env().MAX_ACTIVE_KEYS_PER_ACCOUNT}
        enabledModels={enabledModels}
        notices={notices.map((n) => ({
          id: n.id,
          keyName: n.keyName,
          keyDisplay: n.keyDisplay,
          threshold: n.threshold,
          spend: formatAmount(n.spend),
          spendingLimit: formatAmount(n.spendingLimit),
          firedAt: n.firedAt.toISOString(),
        }))}
      />
    </>
  );
}

/** The URL applications reach this server at, for the ready-made curl command. */
async function serverUrl(): Promise<string> {
  return publicBaseUrl(env().PUBLIC_URL, await headers());
}
