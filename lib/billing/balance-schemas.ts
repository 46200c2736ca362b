import { z } from "zod";
import { plainString } from "@/lib/core/plain-text";
import { positiveMoney } from "@/lib/core/common-schemas";
import type { Owner } from "./balance";
import { parseMoney } from "../core/money";

/** What the admin balance forms send: whose balance (`user:<id>` or `team:<id>`) and the amounts. */
export const ownerRef = z
  .string()
  .regex(
    /^(user|team):[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
    "Unknown owner",
  )
  .transform((value): Owner => {
    const [kind, id] = value.split(":");
    return kind === "team" ? { kind: "team", teamId: id } : { kind: "user", userId: id };
  });

export function ownerRefOf(owner: Owner): string {
  return owner.kind === "team" ? `team:${owner.teamId}` : `user:${owner.userId}`;
}

const nonNegativeMoney = z
  .string({ error: "Enter an amount, like 20.00 (0 for none)" })
  .trim()
  .transform((value, ctx) => {
    const micros = parseMoney(value === "" ? "0" : value);
    if (micros === null || micros < 0n) {
      ctx.addIssue({ code: "custom", message: "Enter an amount, like 20.00 (0 for none)" });
      return z.NEVER;
    }
    return micros;
  });

export const setIncludedForm = z.object({ owner: ownerRef, included_monthly: nonNegativeMoney });

export const addCreditForm = z.object({
  owner: ownerRef,
  amount: positiveMoney,
  note: plainString().trim().max(200, "Keep the note under 200 characters").optional().default(""),
});

export const setOverageForm = z.object({ owner: ownerRef, overage: z.enum(["on", "off"]) });
