"use server";

import { z } from "zod";
import { authedAction, formAction } from "@/lib/actions/authed-action";
import type { FormState } from "@/lib/forms/form-state";
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
/** Form field names differ from the API's where the label does ("Owner" is the API's team_id); an id is not a field. */
const FIELDS = { team_id: "owner", id: "form" };

function text(formData: FormData, name: string): string | undefined {
  const value = formData.get(name);
  return typeof value === "string" && value.trim() !== "" ? value : undefined;
}

export const createKeyAction = formAction<typeof createKeyBody, CreateKeyState>(
  {
    input: createKeyBody,
    read: (formData) => {
      const owner = text(formData, "owner") ?? "personal";
      return {
        name: formData.get("name") ?? "",
        type: text(formData, "type") ?? "model_serving",
        team_id: owner === "personal" ? null : owner,
        spending_limit: text(formData, "spending_limit") ?? null,
        expires_at: text(formData, "expires_at") ?? null,
      };
    },
    keep: ["name", "type", "owner", "spending_limit", "expires_at"],
    fields: FIELDS,
    revalidate: [PAGE],
  },
  async ({ db, actor, input }) => {
    const { key, rawKey } = await createKey(db, actor, {
      name: input.name,
      type: input.type,
      teamId: input.team_id ?? null,
      spendingLimit: input.spending_limit ?? null,
      expiresAt: input.expires_at ?? null,
    });
    return { ok: true, created: { id: key.id, name: key.name, key: rawKey, display: maskKey(key.prefix, key.last4) } };
  },
);

const updateKeyForm = updateKeyBody.extend({ id: z.string() });

export const updateKeyAction = formAction(
  {
    input: updateKeyForm,
    read: (formData) => {
      const expiresAt = text(formData, "expires_at") ?? null;
      // An unchanged expiry is not re-validated: renaming an expired key must not demand a new date.
      const expiryChanged = expiresAt !== (text(formData, "expires_at_original") ?? null);
      return {
        id: String(formData.get("id") ?? ""),
        name: formData.get("name") ?? "",
        spending_limit: text(formData, "spending_limit") ?? null,
        ...(expiryChanged ? { expires_at: expiresAt } : {}),
      };
    },
    keep: ["name", "spending_limit", "expires_at"],
    fields: FIELDS,
    revalidate: [PAGE],
  },
  async ({ db, actor, input }) => {
    await updateKey(db, actor, input.id, { name: input.name, spendingLimit: input.spending_limit, expiresAt: input.expires_at });
  },
);

const revoke = authedAction({ input: z.string(), invalid: "No such key.", revalidate: [PAGE] }, async ({ db, actor, input }) => {
  await revokeKey(db, actor, input);
  return { ok: true as const };
});

export async function revokeKeyAction(id: string) {
  return revoke(id);
}
