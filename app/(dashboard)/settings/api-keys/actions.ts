"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/db/client";
import { getSessionUser } from "@/lib/auth/session";
import { FieldError, ForbiddenError, KeyLimitReachedError, NotFoundError } from "@/lib/errors/domain-errors";
import type { z } from "zod";
import type { FormState } from "@/lib/forms/form-state";
import { controlsFromBody } from "@/lib/keys/key-controls";
import { pauseKey, resumeKey } from "@/lib/keys/pause-key";
import { rollKey } from "@/lib/keys/roll-key";
import { rollKeyBody } from "@/lib/keys/schemas";
import { dismissAlertNotices } from "@/lib/alerts/notices";
import { CONTROL_FIELDS, controlErrorKey, controlsFromForm } from "./controls-form";
import { createKey } from "@/lib/keys/create-key";
import { maskKey } from "@/lib/keys/format";
import { revokeKey } from "@/lib/keys/revoke-key";
import { createKeyBody, updateKeyBody } from "@/lib/keys/schemas";
import { updateKey } from "@/lib/keys/update-key";

export interface CreateKeyState extends FormState {
  /** Present once, right after a successful create: the only time the full key leaves the server. */
  created?: { id: string; name: string; key: string; display: string };
}

const PAGE = "/settings/api-keys";
const SIGNED_OUT = "Your session has ended. Sign in again.";

/** The first message per form field; a rate limit's error belongs to its own input. */
function fieldErrors(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) out[controlErrorKey(issue.path)] ??= issue.message;
  return out;
}

function formValues(formData: FormData, names: readonly string[]): Record<string, FormDataEntryValue | null> {
  return Object.fromEntries(names.map((k) => [k, k === "allowed_models" ? formData.getAll(k).join("\n") : formData.get(k)]));
}

/** Form field names differ from the API's where the label does ("Owner" is the API's team_id). */
function formErrors(errors: Record<string, string>): Record<string, string> {
  const { team_id: owner, ...rest } = errors;
  return owner ? { ...rest, owner } : rest;
}

function text(formData: FormData, name: string): string | undefined {
  const value = formData.get(name);
  return typeof value === "string" && value.trim() !== "" ? value : undefined;
}

export async function createKeyAction(_prev: CreateKeyState, formData: FormData): Promise<CreateKeyState> {
  const user = await getSessionUser();
  if (!user) return { formError: SIGNED_OUT };
  const values = formValues(formData, ["name", "type", "owner", "spending_limit", "expires_at", ...CONTROL_FIELDS]);
  const owner = text(formData, "owner") ?? "personal";
  const parsed = createKeyBody.safeParse({
    name: formData.get("name") ?? "",
    type: text(formData, "type") ?? "model_serving",
    team_id: owner === "personal" ? null : owner,
    spending_limit: text(formData, "spending_limit") ?? null,
    expires_at: text(formData, "expires_at") ?? null,
    ...controlsFromForm(formData),
  });
  if (!parsed.success) return { fieldErrors: formErrors(fieldErrors(parsed.error)), values };
  try {
    const { key, rawKey } = await createKey(await getDb(), { user, keyId: null }, {
      name: parsed.data.name,
      type: parsed.data.type,
      teamId: parsed.data.team_id ?? null,
      spendingLimit: parsed.data.spending_limit ?? null,
      expiresAt: parsed.data.expires_at ?? null,
      ...controlsFromBody(parsed.data),
    });
    revalidatePath(PAGE);
    return { ok: true, created: { id: key.id, name: key.name, key: rawKey, display: maskKey(key.prefix, key.last4) } };
  } catch (error) {
    return { ...knownError(error), values };
  }
}

export async function updateKeyAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const user = await getSessionUser();
  if (!user) return { formError: SIGNED_OUT };
  const values = formValues(formData, ["name", "spending_limit", "expires_at", ...CONTROL_FIELDS]);
  const id = String(formData.get("id") ?? "");
  const expiresAt = text(formData, "expires_at") ?? null;
  // An unchanged expiry is not re-validated: renaming an expired key must not demand a new date.
  const expiryChanged = expiresAt !== (text(formData, "expires_at_original") ?? null);
  const parsed = updateKeyBody.safeParse({
    name: formData.get("name") ?? "",
    spending_limit: text(formData, "spending_limit") ?? null,
    ...(expiryChanged ? { expires_at: expiresAt } : {}),
    ...controlsFromForm(formData),
  });
  if (!parsed.success) return { fieldErrors: fieldErrors(parsed.error), values };
  try {
    await updateKey(await getDb(), { user, keyId: null }, id, {
      name: parsed.data.name,
      spendingLimit: parsed.data.spending_limit,
      expiresAt: parsed.data.expires_at,
      ...controlsFromBody(parsed.data),
    });
    revalidatePath(PAGE);
    return { ok: true };
  } catch (error) {
    return { ...knownError(error), values };
  }
}

export async function revokeKeyAction(id: string): Promise<{ ok: boolean; error?: string }> {
  const user = await getSessionUser();
  if (!user) return { ok: false, error: SIGNED_OUT };
  if (typeof id !== "string") return { ok: false, error: "No such key." };
  try {
    await revokeKey(await getDb(), { user, keyId: null }, id);
    revalidatePath(PAGE);
    return { ok: true };
  } catch (error) {
    return { ok: false, error: knownError(error).formError ?? "Could not revoke the key." };
  }
}

export interface RollKeyState {
  ok?: boolean;
  error?: string;
  /** The new full key, returned once. */
  rolled?: { id: string; name: string; key: string; display: string; type: "model_serving" | "management" };
}

export async function pauseKeyAction(id: string, paused: boolean): Promise<{ ok: boolean; error?: string }> {
  const user = await getSessionUser();
  if (!user) return { ok: false, error: SIGNED_OUT };
  if (typeof id !== "string" || typeof paused !== "boolean") return { ok: false, error: "No such key." };
  try {
    const actor = { user, keyId: null };
    await (paused ? pauseKey : resumeKey)(await getDb(), actor, id);
    revalidatePath(PAGE);
    return { ok: true };
  } catch (error) {
    return { ok: false, error: knownError(error).formError ?? (paused ? "Could not pause the key." : "Could not resume the key.") };
  }
}

export async function rollKeyAction(id: string, graceSeconds: number): Promise<RollKeyState> {
  const user = await getSessionUser();
  if (!user) return { error: SIGNED_OUT };
  const parsed = rollKeyBody.safeParse({ grace_period_seconds: graceSeconds });
  if (typeof id !== "string" || !parsed.success) return { error: "Choose how long the old key keeps working." };
  try {
    const { key, rawKey } = await rollKey(await getDb(), { user, keyId: null }, id, parsed.data.grace_period_seconds);
    revalidatePath(PAGE);
    return { ok: true, rolled: { id: key.id, name: key.name, key: rawKey, display: maskKey(key.prefix, key.last4), type: key.type } };
  } catch (error) {
    return { error: knownError(error).formError ?? "Could not roll the key." };
  }
}

export async function dismissAlertsAction(ids: string[]): Promise<{ ok: boolean }> {
  const user = await getSessionUser();
  if (!user || !Array.isArray(ids) || ids.some((id) => typeof id !== "string") || ids.length > 100) return { ok: false };
  await dismissAlertNotices(await getDb(), { user, keyId: null }, ids);
  revalidatePath(PAGE);
  return { ok: true };
}

/** Domain errors become messages; anything else is a bug and is rethrown to the error boundary. */
function knownError(error: unknown): FormState {
  if (error instanceof KeyLimitReachedError) return { formError: error.message };
  if (error instanceof FieldError) {
    const field = error.field === "team_id" ? "owner" : error.field;
    return field === "id" ? { formError: error.message } : { fieldErrors: { [field]: error.message } };
  }
  if (error instanceof NotFoundError) return { formError: `No such ${error.what}. It may have been removed; refresh the list.` };
  if (error instanceof ForbiddenError) return { formError: error.message };
  throw error;
}
