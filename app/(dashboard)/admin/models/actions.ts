"use server";

import { z } from "zod";
import { getDatabase } from "@/db/client";
import { authedAction, formAction } from "@/lib/actions/authed-action";
import type { FormState } from "@/lib/forms/form-state";
import { createModelInput, updateModelInput } from "@/lib/models/schemas";
import { createModel, updateModel } from "@/lib/models/service";
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
  return input;
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
  })
  .pipe(createModelInput);

/** The secret is never sent back to the form. */
const KEEP = FIELDS.filter((field) => field !== "api_key");
const ADMIN = { requires: "platform_admin" as const, revalidate: ["/admin/models"] };

export const createModelAction = formAction(
  {
    ...ADMIN,
    input: createModelForm,
    read: (formData) => formInput(formData, "create"),
    keep: KEEP,
  },
  async ({ actor, input }) => {
    await createModel(await getDatabase(), input, actor.user.id);
  },
);

const updateModelForm = updateModelInput.extend({ id: z.uuid() });

const updateModelFromForm = (id: string) =>
  formAction(
    {
      ...ADMIN,
      input: updateModelForm,
      read: (formData) => ({ ...formInput(formData, "update"), id }),
      keep: KEEP,
      fields: { id: "form" },
    },
    async ({ actor, input }) => {
      const { id: modelId, ...changes } = input;
      await updateModel(await getDatabase(), modelId, changes, actor.user.id);
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
    if (provider === "openai" || provider === "anthropic") overrides.provider = provider;
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
