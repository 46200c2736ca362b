"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDatabase } from "@/db/client";
import { getSessionUser } from "@/lib/auth/session";
import { fieldErrors, type FormState } from "@/lib/forms/form-state";
import { ApiError } from "@/lib/http/errors";
import { requirePlatformAdmin } from "@/lib/models/require-admin";
import { createModelInput, updateModelInput } from "@/lib/models/schemas";
import { createModel, updateModel } from "@/lib/models/service";
import { testModelConnection, testUpstream, type ConnectionOverrides, type ConnectionTest } from "@/lib/models/test-connection";

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
  if (formData.get("has_native_responses_field") === "1") input.native_responses = formData.get("native_responses") === "on";
  // Cleared on edit: priced as input again.
  for (const price of ["cached_input_price_per_million", "cache_write_price_per_million"] as const) {
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
function missingFields(input: Record<string, unknown>): Record<string, string> | null {
  const missing = Object.entries(REQUIRED_ON_CREATE).filter(([field]) => input[field] === undefined);
  return missing.length ? Object.fromEntries(missing) : null;
}

function keepValues(formData: FormData) {
  return Object.fromEntries(FIELDS.filter((f) => f !== "api_key").map((f) => [f, formData.get(f)]));
}

async function adminActor() {
  const user = await getSessionUser();
  if (!user) throw new ApiError(401, "unauthorized", "Your session has ended. Sign in again.");
  const actor = { user, keyId: null };
  requirePlatformAdmin(actor);
  return actor;
}

function failure(error: unknown, values: FormState["values"]): FormState {
  if (error instanceof ApiError) {
    return error.param ? { fieldErrors: { [error.param]: error.message }, values } : { formError: error.message, values };
  }
  throw error;
}

export async function createModelAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const values = keepValues(formData);
  try {
    const actor = await adminActor();
    const input = formInput(formData, "create");
    const missing = missingFields(input);
    if (missing) return { fieldErrors: missing, values };
    const parsed = createModelInput.safeParse(input);
    if (!parsed.success) return { fieldErrors: fieldErrors(parsed.error), values };
    await createModel(await getDatabase(), parsed.data, actor.user.id);
  } catch (error) {
    return failure(error, values);
  }
  revalidatePath("/admin/models");
  return { ok: true };
}

export async function updateModelAction(id: string, _prev: FormState, formData: FormData): Promise<FormState> {
  const values = keepValues(formData);
  try {
    const actor = await adminActor();
    const parsed = updateModelInput.safeParse(formInput(formData, "update"));
    if (!parsed.success) return { fieldErrors: fieldErrors(parsed.error), values };
    await updateModel(await getDatabase(), z.uuid().parse(id), parsed.data, actor.user.id);
  } catch (error) {
    return failure(error, values);
  }
  revalidatePath("/admin/models");
  return { ok: true };
}

export async function setModelEnabledAction(id: string, enabled: boolean): Promise<{ error?: string }> {
  try {
    const actor = await adminActor();
    await updateModel(await getDatabase(), z.uuid().parse(id), { enabled: z.boolean().parse(enabled) }, actor.user.id);
  } catch (error) {
    if (error instanceof ApiError) return { error: error.message };
    throw error;
  }
  revalidatePath("/admin/models");
  return {};
}

/**
 * "Test connection": asks the upstream for its models with what the form holds now, the
 * stored credential standing in for a blank one (a registered model), nothing for a new one.
 */
export async function testConnectionAction(id: string | null, formData: FormData): Promise<ConnectionTest> {
  try {
    await adminActor();
    const typed = (name: string) => {
      const value = formData.get(name);
      return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
    };
    const provider = typed("provider");
    const overrides: ConnectionOverrides = { base_url: typed("base_url"), upstream_model: typed("upstream_model") };
    if (provider === "openai" || provider === "anthropic") overrides.provider = provider;
    const apiKey = typed("api_key");
    if (apiKey !== undefined) overrides.api_key = apiKey;
    else if (formData.get("remove_api_key") === "on") overrides.api_key = null;
    if (id) return await testModelConnection(await getDatabase(), z.uuid().parse(id), overrides);
    if (!overrides.base_url) return { ok: false, status: null, message: "Enter the base URL first." };
    return await testUpstream({ baseUrl: overrides.base_url, apiKey: overrides.api_key ?? null, upstreamModel: overrides.upstream_model ?? typed("name") ?? "", provider: overrides.provider });
  } catch (error) {
    if (error instanceof ApiError) return { ok: false, status: null, message: error.message };
    throw error;
  }
}
