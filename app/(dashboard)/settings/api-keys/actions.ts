"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/db/client";
import { getSessionUser } from "@/lib/auth/session";
import { FieldError, ForbiddenError, KeyLimitReachedError, NotFoundError } from "@/lib/errors/domain-errors";
import { fieldErrors, type FormState } from "@/lib/forms/form-state";
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
  const values = Object.fromEntries(["name", "type", "owner", "spending_limit", "expires_at"].map((k) => [k, formData.get(k)]));
  const owner = text(formData, "owner") ?? "personal";
  const parsed = createKeyBody.safeParse({
    name: formData.get("name") ?? "",
    type: text(formData, "type") ?? "model_serving",
    team_id: owner === "personal" ? null : owner,
    spending_limit: text(formData, "spending_limit") ?? null,
    expires_at: text(formData, "expires_at") ?? null,
  });
  if (!parsed.success) return { fieldErrors: formErrors(fieldErrors(parsed.error)), values };
  try {
    const { key, rawKey } = await createKey(await getDb(), { user, keyId: null }, {
      name: parsed.data.name,
      type: parsed.data.type,
      teamId: parsed.data.team_id ?? null,
      spendingLimit: parsed.data.spending_limit ?? null,
      expiresAt: parsed.data.expires_at ?? null,
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
  const values = Object.fromEntries(["name", "spending_limit", "expires_at"].map((k) => [k, formData.get(k)]));
  const id = String(formData.get("id") ?? "");
  const expiresAt = text(formData, "expires_at") ?? null;
  // An unchanged expiry is not re-validated: renaming an expired key must not demand a new date.
  const expiryChanged = expiresAt !== (text(formData, "expires_at_original") ?? null);
  const parsed = updateKeyBody.safeParse({
    name: formData.get("name") ?? "",
    spending_limit: text(formData, "spending_limit") ?? null,
    ...(expiryChanged ? { expires_at: expiresAt } : {}),
  });
  if (!parsed.success) return { fieldErrors: fieldErrors(parsed.error), values };
  try {
    await updateKey(await getDb(), { user, keyId: null }, id, {
      name: parsed.data.name,
      spendingLimit: parsed.data.spending_limit,
      expiresAt: parsed.data.expires_at,
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
