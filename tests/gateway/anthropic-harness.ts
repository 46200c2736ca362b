import Anthropic from "@anthropic-ai/sdk";
import type { Database } from "@/db/client";
import { createModelInput } from "@/lib/models/schemas";
import { createModel } from "@/lib/models/service";
import { createUser } from "../helpers/harness";

/** The credential the fake Anthropic upstream accepts (its default). */
export const ANTHROPIC_CREDENTIAL = "sk-ant-fake";

/** Registers each fake Anthropic behaviour as an `anthropic` model named `claude/<behaviour>`. */
export async function registerAnthropicModels(
  database: Database,
  upstreamUrl: string,
  behaviours: string[],
  prices: Record<string, string> = {},
) {
  const admin = await createUser(database, "admin");
  for (const behaviour of behaviours) {
    await createModel(
      database,
      createModelInput.parse({
        name: `claude/${behaviour}`,
        provider: "anthropic",
        base_url: upstreamUrl,
        upstream_model: behaviour,
        api_key: ANTHROPIC_CREDENTIAL,
        input_price_per_million: "3.00",
        output_price_per_million: "15.00",
        cached_input_price_per_million: "0.30",
        cache_write_price_per_million: "3.75",
        max_output_tokens: 4096,
        first_byte_timeout_ms: 2_000,
        idle_timeout_ms: 2_000,
        ...prices,
      }),
      admin.id,
    );
  }
}

/** The Anthropic SDK pointed at the gateway (its base URL has no /v1). */
export function anthropicClient(gatewayV1Url: string, apiKey: string) {
  return new Anthropic({
    apiKey,
    baseURL: gatewayV1Url.replace(/\/v1$/, ""),
    maxRetries: 0,
    timeout: 20_000,
  });
}

export interface RecordedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

export async function recordedRequests(upstreamUrl: string): Promise<RecordedRequest[]> {
  return (await (await fetch(`${upstreamUrl}/v1/_fake/requests`)).json()) as RecordedRequest[];
}
