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
import { payloadCaptureColumn } from "./payload-capture";
import { users } from "./users";

export const signupModes = ["invite", "open", "closed"] as const;
export type SignupMode = (typeof signupModes)[number];

/** Who may create teams under invite-only (PRODUCT.md "Tenants cannot hurt each other"). */
export const teamCreators = ["admins", "everyone"] as const;
export type TeamCreators = (typeof teamCreators)[number];

/** Whether a team admin's invite may create a new account: never, in teams a platform admin created, always. */
export const teamInviteAccountModes = ["never", "admin_teams", "always"] as const;
export type TeamInviteAccountMode = (typeof teamInviteAccountModes)[number];

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
    whoMayCreateTeams: text("who_may_create_teams", { enum: teamCreators })
      .notNull()
      .default("admins"),
    teamInvitesCreateAccounts: text("team_invites_create_accounts", {
      enum: teamInviteAccountModes,
    })
      .notNull()
      .default("admin_teams"),
    /** Users' webhooks may target loopback and private ranges (platform admins' always may). */
    webhooksAllowPrivateAddresses: boolean("webhooks_allow_private_addresses")
      .notNull()
      .default(false),
    /** Payload capture for every key without a key or team setting (null: off). */
    payloadCapture: payloadCaptureColumn(),
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
