import type { Metadata } from "next";
import { headers } from "next/headers";
import { PageHeader } from "@/components/shell/page-header";
import { getDatabase } from "@/db/client";
import { requireSessionActor } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { publicBaseUrl } from "@/lib/http/public-base-url";
import { listModels } from "@/lib/models/service";
import { defaultPlaygroundModel } from "@/lib/playground/default-model";
import { playgroundAllowedModels } from "@/lib/playground/playground-key";
import { PlaygroundView } from "./_components/playground-view";

/** The Playground's own upper bound for max_tokens when the model sets none. */
const NO_MODEL_CAP = 1_000_000;

export const metadata: Metadata = { title: "Playground" };
export const dynamic = "force-dynamic";

export default async function PlaygroundPage() {
  const actor = await requireSessionActor();
  const database = await getDatabase();
  const [models, allowed] = await Promise.all([
    listModels(database),
    playgroundAllowedModels(database.db, actor.user.id),
  ]);
  const offered = models
    .filter((m) => m.enabled && m.kind === "chat" && (allowed === null || allowed.includes(m.name)))
    .map((m) => ({ name: m.name, maxOutputTokens: m.max_output_tokens ?? NO_MODEL_CAP }));
  const defaultModel = await defaultPlaygroundModel(
    database.db,
    offered.map((m) => m.name),
  );
  return (
    <>
      <PageHeader
        title="Playground"
        description="Try a model before you wire it into an application. Usage is charged to your personal balance."
      />
      <PlaygroundView
        // Chat models only (embedding models cannot chat). Only what the page needs: a model's
        // upstream URL and credential stay on the server. Only the models the Playground key allows.
        models={offered}
        defaultModel={defaultModel ?? undefined}
        baseUrl={publicBaseUrl(env().PUBLIC_URL, await headers())}
      />
    </>
  );
}
