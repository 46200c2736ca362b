"use server";

import { z } from "zod";
import { getDatabase } from "@/db/client";
import { isProviderId } from "@/lib/core/providers";
import { authedAction, formAction } from "@/lib/actions/authed-action";
import type { FormState } from "@/lib/forms/form-state";
import { createModelInput, updateModelInput } from "@/lib/models/schemas";
import { checkFallbacks } from "@/lib/models/check-fallbacks";
import { createModel, getModel, updateModel } from "@/lib/models/service";
import {
  testModelConnection,
  testUpstream,
  type ConnectionOverrides,
  type ConnectionTest,
} from "@/lib/models/test-connection";

const FIELDS = [
  "name",
  "base_url",
  "upstream_model",
  "api_key",
  "provider",
  "kind",
  "input_price_per_million",
  "output_price_per_million",
  "cached_input_price_per_million",
  "cache_write_price_per_million",
  "max_output_tokens",
] as const;

/** The routing section's fields (PRODUCT.md "Routing": model routing settings). */
const ROUTING_FIELDS = [
  "fallbacks",
  "context_window",
  "routing_strategy",
  "routing_max_attempts",
  "routing_timeout_ms",
] as const;

/** A whole number as a number; anything else as typed, for the schema to name. */
const whole = (text: string) => (/^\d+$/.test(text) ? Number(text) : text);

/**
 * The routing section as the API's input. On edit a blank clears (no fallbacks, no context
 * window, no deadline); the section's fields are sent only by forms that show it.
 */
function routingInput(formData: FormData, mode: "create" | "update") {
  if (formData.get("has_routing_fields") !== "1") return {};
  const text = (field: (typeof ROUTING_FIELDS)[number]) => {
    const raw = formData.get(field);
    return typeof raw === "string" ? raw.trim() : "";
  };
  const input: Record<string, unknown> = {};
  const routing: Record<string, unknown> = {};
  const fallbacks = text("fallbacks")
    .split(/[\s,]+/)
    .filter(Boolean);
  if (fallbacks.length > 0 || mode === "update") input.fallbacks = fallbacks;
  if (text("context_window")) input.context_window = whole(text("context_window"));
  else if (mode === "update") input.context_window = null;
  if (text("routing_strategy")) routing.strategy = text("routing_strategy");
  if (text("routing_max_attempts")) routing.max_attempts = whole(text("routing_max_attempts"));
  if (text("routing_timeout_ms")) routing.timeout_ms = whole(text("routing_timeout_ms"));
  else if (mode === "update") routing.timeout_ms = null;
  if (Object.keys(routing).length > 0) input.routing = routing;
  return input;
}

const ROUTING_NUMBERS = [
  ["context_window", (i: Record<string, unknown>) => i.context_window, 1, 100_000_000],
  ["routing_max_attempts", (i: Record<string, unknown>) => routingOf(i)?.max_attempts, 1, 10],
  ["routing_timeout_ms", (i: Record<string, unknown>) => routingOf(i)?.timeout_ms, 100, 3_600_000],
] as const;
const routingOf = (input: Record<string, unknown>) =>
  input.routing as Record<string, unknown> | undefined;

/** Plain messages for the routing numbers, before the API's schema judges the rest. */
function routingNumbers(input: Record<string, unknown>, ctx: z.RefinementCtx) {
  for (const [field, read, min, max] of ROUTING_NUMBERS) {
    const value = read(input);
    if (value === undefined || value === null) continue;
    if (typeof value !== "number" || value < min || value > max)
      ctx.addIssue({
        code: "custom",
        path: [field],
        message: `Enter a whole number from ${min} to ${max.toLocaleString("en-US")}`,
      });
  }
}

/** A nested routing field's error goes next to its own input (`routing.timeout_ms` → `routing_timeout_ms`). */
const errorKey = (path: PropertyKey[]) =>
  path[0] === "routing" && path[1] !== undefined ? `routing_${String(path[1])}` : String(path[0]);

/** The form's strings as the API's input: blanks are absent, numbers are numbers. */
function formInput(formData: FormData, mode: "create" | "update") {
  const input: Record<string, unknown> = {};
  for (const field of FIELDS) {
    const raw = formData.get(field);
    if (typeof raw !== "string" || raw.trim() === "") continue;
    input[field] = field === "max_output_tokens" ? Number(raw) : raw;
  }
  if (mode === "update" && formData.get("remove_api_key") === "on") input.api_key = null;
  // A checkbox is absent when unticked: only forms that show it (not the built-in model's) say so.
  if (formData.get("has_native_responses_field") === "1")
    input.native_responses = formData.get("native_responses") === "on";
  // Cleared on edit: priced as input again.
  for (const price of [
    "cached_input_price_per_million",
    "cache_write_price_per_million",
  ] as const) {
    if (mode === "update" && formData.has(price) && input[price] === undefined) input[price] = null;
  }
  if (mode === "create") input.enabled = formData.get("enabled") === "on";
  return { ...input, ...routingInput(formData, mode) };
}

const REQUIRED_ON_CREATE: Record<string, string> = {
  name: "Enter the name clients will send as model",
  base_url: "Enter the upstream server's base URL",
  input_price_per_million: "Enter a price, e.g. 0.50 (0 for free)",
  output_price_per_million: "Enter a price, e.g. 1.50 (0 for free)",
};

/** Plain-language messages for blank required fields, before zod's generic ones. */
const createModelForm = z
  .record(z.string(), z.unknown())
  .superRefine((input, ctx) => {
    for (const [field, message] of Object.entries(REQUIRED_ON_CREATE)) {
      if (input[field] === undefined) ctx.addIssue({ code: "custom", path: [field], message });
    }
    routingNumbers(input, ctx);
  })
  .pipe(createModelInput);

/** The secret is never sent back to the form. */
const KEEP = [...FIELDS.filter((field) => field !== "api_key"), ...ROUTING_FIELDS];
const ADMIN = { requires: "platform_admin" as const, revalidate: ["/admin/models"] };

export const createModelAction = formAction(
  {
    ...ADMIN,
    input: createModelForm,
    read: (formData) => formInput(formData, "create"),
    keep: KEEP,
    errorKey,
  },
  async ({ actor, input }) => {
    const database = await getDatabase();
    await checkFallbacks(database, input.name, input.kind ?? "chat", input.fallbacks);
    await createModel(database, input, actor.user.id);
  },
);

const updateModelForm = z
  .record(z.string(), z.unknown())
  .superRefine(routingNumbers)
  .pipe(updateModelInput.extend({ id: z.uuid() }));

const updateModelFromForm = (id: string) =>
  formAction(
    {
      ...ADMIN,
      input: updateModelForm,
      read: (formData) => ({ ...formInput(formData, "update"), id }),
      keep: KEEP,
      fields: { id: "form" },
      errorKey,
    },
    async ({ actor, input }) => {
      const { id: modelId, ...changes } = input;
      const database = await getDatabase();
      const current = await getModel(database, modelId);
      // The form always holds the first deployment's URL and name: unchanged, they are not
      // sent, so saving a price does not rewrite (or bring back a removed) first deployment.
      if (changes.base_url === current.base_url) delete changes.base_url;
      if (changes.upstream_model === current.upstream_model) delete changes.upstream_model;
      if (changes.provider === current.provider) delete changes.provider;
      if (changes.native_responses === current.native_responses) delete changes.native_responses;
      await checkFallbacks(
        database,
        changes.name ?? current.name,
        changes.kind ?? current.kind,
        changes.fallbacks,
      );
      await updateModel(database, modelId, changes, actor.user.id);
    },
  );

export async function updateModelAction(
  id: string,
  previous: FormState,
  formData: FormData,
): Promise<FormState> {
  return updateModelFromForm(id)(previous, formData);
}

const setEnabled = authedAction(
  { ...ADMIN, input: z.object({ id: z.uuid(), enabled: z.boolean() }) },
  async ({ actor, input }) => {
    await updateModel(await getDatabase(), input.id, { enabled: input.enabled }, actor.user.id);
    return {};
  },
);

export async function setModelEnabledAction(id: string, enabled: boolean) {
  return setEnabled({ id, enabled });
}

const testConnection = authedAction(
  {
    requires: "platform_admin",
    input: z.object({ id: z.uuid().nullable(), formData: z.instanceof(FormData) }),
  },
  async ({ input: { id, formData } }): Promise<ConnectionTest> => {
    const typed = (name: string) => {
      const value = formData.get(name);
      return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
    };
    const provider = typed("provider");
    const overrides: ConnectionOverrides = {
      base_url: typed("base_url"),
      upstream_model: typed("upstream_model"),
    };
    if (isProviderId(provider)) overrides.provider = provider;
    const apiKey = typed("api_key");
    if (apiKey !== undefined) overrides.api_key = apiKey;
    else if (formData.get("remove_api_key") === "on") overrides.api_key = null;
    if (id) return await testModelConnection(await getDatabase(), id, overrides);
    if (!overrides.base_url)
      return { ok: false, status: null, message: "Enter the base URL first." };
    return await testUpstream({
      baseUrl: overrides.base_url,
      apiKey: overrides.api_key ?? null,
      upstreamModel: overrides.upstream_model ?? typed("name") ?? "",
      provider: overrides.provider,
    });
  },
);

/**
 * "Test connection": asks the upstream for its models with what the form holds now, the
 * stored credential standing in for a blank one (a registered model), nothing for a new one.
 */
export async function testConnectionAction(
  id: string | null,
  formData: FormData,
): Promise<ConnectionTest> {
  const result = await testConnection({ id, formData });
  return result.error === undefined ? result : { ok: false, status: null, message: result.error };
}
