import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  integer,
  pgTable,
  text,
  timestamp,
  uuid,
} from "drizzle-orm/pg-core";
import { users } from "./users";

export const signupModes = ["invite", "open", "closed"] as const;
export type SignupMode = (typeof signupModes)[number];

/**
 * The install's settings an admin changes in the dashboard: one row (id 1), created on the
 * first change; until then the defaults below apply.
 */
export const instanceSettings = pgTable(
  "instance_settings",
  {
    id: integer("id").primaryKey().default(1),
    signupMode: text("signup_mode", { enum: signupModes }).notNull().default("invite"),
    /** What a new account's balance starts with, micro-units granted each month. */
    newAccountIncludedMonthly: bigint("new_account_included_monthly", { mode: "bigint" })
      .notNull()
      .default(sql`0`),
    newAccountOverageEnabled: boolean("new_account_overage_enabled").notNull().default(true),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    updatedBy: uuid("updated_by").references(() => users.id),
  },
  (t) => [
    check("instance_settings_single_row", sql`${t.id} = 1`),
    check(
      "instance_settings_signup_mode_check",
      sql`${t.signupMode} in ('invite', 'open', 'closed')`,
    ),
    check("instance_settings_included_nonnegative", sql`${t.newAccountIncludedMonthly} >= 0`),
  ],
);

export type InstanceSettings = typeof instanceSettings.$inferSelect;
