import type { Metadata } from "next";
import { getDatabase } from "@/db/client";
import { requireSessionUser } from "@/lib/auth/session";
import { requirePlatformAdmin } from "@/lib/models/require-admin";
import { listModels } from "@/lib/models/service";
import { env } from "@/lib/env";
import { ModelsView } from "./_components/models-view";

export const metadata: Metadata = { title: "Models · Admin" };

export default async function AdminModelsPage() {
  requirePlatformAdmin({ user: await requireSessionUser(), keyId: null });
  const models = await listModels(await getDatabase());
  return <ModelsView models={models} currency={env().CURRENCY} />;
}
