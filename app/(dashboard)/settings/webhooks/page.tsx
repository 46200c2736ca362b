import type { Metadata } from "next";
import { PageHeader } from "@/components/shell/page-header";
import { getDatabase } from "@/db/client";
import { requireSessionActor } from "@/lib/auth/session";
import { listTeams } from "@/lib/teams/teams";
import { listDeliveries } from "@/lib/webhooks/deliveries";
import { toDeliveryObject } from "@/lib/webhooks/webhook-view";
import { listWebhooks } from "@/lib/webhooks/webhooks";
import { WebhooksView } from "./_components/webhooks-view";

export const metadata: Metadata = { title: "Webhooks" };
export const dynamic = "force-dynamic";

export default async function WebhooksPage({
  searchParams,
}: {
  searchParams: Promise<{ owner?: string | string[] }>;
}) {
  const actor = await requireSessionActor();
  const { db } = await getDatabase();
  // A team's webhooks are its admins' to manage.
  const teams = (await listTeams(db, actor)).filter((t) => t.role === "admin");
  const requested = (await searchParams).owner;
  const team = teams.find((t) => t.id === requested);
  const owner = team ? team.id : "personal";
  const webhooks = await listWebhooks(db, actor, team ? team.id : null);
  const withDeliveries = await Promise.all(
    webhooks.map(async (w) => ({
      id: w.id,
      url: w.url,
      description: w.description,
      createdAt: w.createdAt.toISOString(),
      deliveries: (await listDeliveries(db, w.id, 10)).map(toDeliveryObject),
    })),
  );
  return (
    <>
      <PageHeader
        title="Webhooks"
        description="ModelBridge POSTs a signed JSON event to these URLs when a key reaches one of its alert thresholds."
      />
      <WebhooksView
        key={owner}
        owner={owner}
        owners={[
          { id: "personal", name: "Personal" },
          ...teams.map((t) => ({ id: t.id, name: t.name })),
        ]}
        webhooks={withDeliveries}
      />
    </>
  );
}
