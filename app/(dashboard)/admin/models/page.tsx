import type { Metadata } from "next";
import { getDatabase } from "@/db/client";
import { requireSessionActor } from "@/lib/auth/session";
import { requirePlatformAdmin } from "@/lib/auth/require-platform-admin";
import { listModels } from "@/lib/models/service";
import { recentDeploymentStats } from "@/lib/models/deployments";
import { env } from "@/lib/env";
import { ModelsView } from "./_components/models-view";

export const metadata: Metadata = { title: "Models · Admin" };

export default async function AdminModelsPage() {
  requirePlatformAdmin(await requireSessionActor());
  const database = await getDatabase();
  const [models, stats] = await Promise.all([
    listModels(database),
    recentDeploymentStats(database),
  ]);
  return <ModelsView models={models} currency={env().CURRENCY} stats={Object.fromEntries(stats)} />;
}
