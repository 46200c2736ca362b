"use server";

import { formAction } from "@/lib/actions/authed-action";
import { addCreditForm, setIncludedForm, setOverageForm } from "@/lib/billing/balance-schemas";
import {
  addPrepaidCredit,
  setIncludedMonthly,
  setOverageEnabled,
} from "@/lib/billing/balance-settings";

/**
 * Admin → Balances and Admin → Teams. The wrapper checks the session and the platform-admin
 * role; the service checks the role and the owner again (every export is a public endpoint).
 */
const spec = {
  read: (formData: FormData) => Object.fromEntries(formData.entries()),
  keep: "all" as const,
  requires: "platform_admin" as const,
  doing: "change balances",
  revalidate: ["/admin/balances", "/admin/teams"],
};

export const setIncludedAction = formAction(
  { ...spec, input: setIncludedForm },
  async ({ db, actor, input }) => {
    await setIncludedMonthly(db, actor, input.owner, input.included_monthly);
  },
);

export const addCreditAction = formAction(
  { ...spec, input: addCreditForm },
  async ({ db, actor, input }) => {
    await addPrepaidCredit(db, actor, input.owner, input.amount, input.note || null);
  },
);

export const setOverageAction = formAction(
  { ...spec, input: setOverageForm },
  async ({ db, actor, input }) => {
    await setOverageEnabled(db, actor, input.owner, input.overage === "on");
  },
);
