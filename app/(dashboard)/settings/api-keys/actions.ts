"use server";

import { z } from "zod";
import { authedAction, formAction } from "@/lib/actions/authed-action";
import { dismissAlertNotices } from "@/lib/alerts/notices";
import type { FormState } from "@/lib/forms/form-state";
import { createKey } from "@/lib/keys/create-key";
import { controlsFromBody } from "@/lib/keys/key-controls";
import { maskKey } from "@/lib/keys/format";
import { pauseKey, resumeKey } from "@/lib/keys/pause-key";
import { revokeKey } from "@/lib/keys/revoke-key";
import { rollKey } from "@/lib/keys/roll-key";
import { createKeyBody, ipAllowlistLines, rollKeyBody, updateKeyBody } from "@/lib/keys/schemas";
import { updateKey } from "@/lib/keys/update-key";
import { CONTROL_FIELDS, controlErrorKey, controlsFromForm } from "./controls-form";

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

/** What the form showed, kept on a failed submit; the allowed models are a list of checkboxes. */
function typedValues(names: readonly string[]) {
  return (formData: FormData) =>
    Object.fromEntries(
      names.map((name) => [
        name,
        name === "allowed_models" ? formData.getAll(name).join("\n") : formData.get(name),
      ]),
    );
}

/** The API's bodies, but the IP allowlist as the textarea's lines, so errors name lines. */
const createKeyForm = createKeyBody.extend({ ip_allowlist: ipAllowlistLines.nullish() });

export const createKeyAction = formAction<typeof createKeyForm, CreateKeyState>(
  {
    input: createKeyForm,
    read: (formData) => {
      const owner = text(formData, "owner") ?? "personal";
      return {
        name: formData.get("name") ?? "",
        type: text(formData, "type") ?? "model_serving",
        team_id: owner === "personal" ? null : owner,
        spending_limit: text(formData, "spending_limit") ?? null,
        expires_at: text(formData, "expires_at") ?? null,
        ...controlsFromForm(formData),
      };
    },
    keep: typedValues(["name", "type", "owner", "spending_limit", "expires_at", ...CONTROL_FIELDS]),
    errorKey: controlErrorKey,
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
      ...controlsFromBody(input),
    });
    return {
      ok: true,
      created: { id: key.id, name: key.name, key: rawKey, display: maskKey(key.prefix, key.last4) },
    };
  },
);

const updateKeyForm = updateKeyBody.extend({
  id: z.string(),
  ip_allowlist: ipAllowlistLines.nullable().optional(),
});

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
        ...controlsFromForm(formData),
      };
    },
    keep: typedValues(["name", "spending_limit", "expires_at", ...CONTROL_FIELDS]),
    errorKey: controlErrorKey,
    fields: FIELDS,
    revalidate: [PAGE],
  },
  async ({ db, actor, input }) => {
    await updateKey(db, actor, input.id, {
      name: input.name,
      spendingLimit: input.spending_limit,
      expiresAt: input.expires_at,
      ...controlsFromBody(input),
    });
  },
);

const revoke = authedAction(
  { input: z.string(), invalid: "No such key.", revalidate: [PAGE] },
  async ({ db, actor, input }) => {
    await revokeKey(db, actor, input);
    return { ok: true as const };
  },
);

export async function revokeKeyAction(id: string) {
  return revoke(id);
}

const setPaused = authedAction(
  {
    input: z.object({ id: z.string(), paused: z.boolean() }),
    invalid: "No such key.",
    revalidate: [PAGE],
  },
  async ({ db, actor, input }) => {
    await (input.paused ? pauseKey : resumeKey)(db, actor, input.id);
    return { ok: true as const };
  },
);

/** Pause (reversible, unlike revoke) or resume a key. */
export async function pauseKeyAction(id: string, paused: boolean) {
  return setPaused({ id, paused });
}

const roll = authedAction(
  {
    // The dialog's select gives a number; the schema keeps it to the grace periods offered.
    input: z
      .object({ id: z.string(), grace_period_seconds: z.number().optional() })
      .pipe(rollKeyBody.extend({ id: z.string() })),
    invalid: "Choose how long the old key keeps working.",
    revalidate: [PAGE],
  },
  async ({ db, actor, input }) => {
    const { key, rawKey } = await rollKey(db, actor, input.id, input.grace_period_seconds);
    // The new full key, returned once.
    return {
      ok: true as const,
      rolled: {
        id: key.id,
        name: key.name,
        key: rawKey,
        display: maskKey(key.prefix, key.last4),
        type: key.type,
      },
    };
  },
);

export async function rollKeyAction(id: string, graceSeconds: number) {
  return roll({ id, grace_period_seconds: graceSeconds });
}

const dismiss = authedAction(
  { input: z.array(z.string()).max(100), revalidate: [PAGE] },
  async ({ db, actor, input }) => {
    await dismissAlertNotices(db, actor, input);
    return { ok: true as const };
  },
);

export async function dismissAlertsAction(ids: string[]) {
  return dismiss(ids);
}
