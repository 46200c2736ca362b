"use server";

import { revalidatePath } from "next/cache";
import type { z } from "zod";
import { getDb } from "@/db/client";
import { getSessionUser } from "@/lib/auth/session";
import { addCreditForm, setIncludedForm, setOverageForm } from "@/lib/billing/balance-schemas";
import { addPrepaidCredit, setIncludedMonthly, setOverageEnabled } from "@/lib/billing/balance-settings";
import { toApiError } from "@/lib/api/error-response";
import { fieldErrors, type FormState } from "@/lib/forms/form-state";
import type { Actor } from "@/lib/api/actor";

/**
 * Admin → Balances and Admin → Teams. Each action checks the session here; the service
 * checks the platform-admin role and the owner again (every export is a public endpoint).
 */
async function run<S extends z.ZodType>(schema: S, formData: FormData, change: (actor: Actor, input: z.output<S>) => Promise<void>): Promise<FormState> {
  const values = Object.fromEntries(formData.entries());
  const user = await getSessionUser();
  if (!user) return { formError: "Your session has ended. Sign in again.", values };
  const parsed = schema.safeParse(values);
  if (!parsed.success) return { fieldErrors: fieldErrors(parsed.error), values };
  try {
    await change({ user, keyId: null }, parsed.data);
  } catch (error) {
    const apiError = toApiError(error);
    if (!apiError) throw error;
    return apiError.param ? { fieldErrors: { [apiError.param]: apiError.message }, values } : { formError: apiError.message, values };
  }
  revalidatePath("/admin/balances");
  revalidatePath("/admin/teams");
  return { ok: true };
}

export async function setIncludedAction(_prev: FormState, formData: FormData): Promise<FormState> {
  return run(setIncludedForm, formData, async (actor, input) => setIncludedMonthly(await getDb(), actor, input.owner, input.included_monthly));
}

export async function addCreditAction(_prev: FormState, formData: FormData): Promise<FormState> {
  return run(addCreditForm, formData, async (actor, input) => addPrepaidCredit(await getDb(), actor, input.owner, input.amount, input.note || null));
}

export async function setOverageAction(_prev: FormState, formData: FormData): Promise<FormState> {
  return run(setOverageForm, formData, async (actor, input) => setOverageEnabled(await getDb(), actor, input.owner, input.overage === "on"));
}
