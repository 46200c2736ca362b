import type { Actor } from "@/lib/core/actor";
import { ForbiddenError } from "@/lib/errors/domain-errors";

/**
 * Platform-admin work (models, users, settings, invites, balances); the refusal names what
 * was attempted. Route and action wrappers call it through `requires: "platform_admin"`;
 * services call it again, since a service may be reached from more than one entry point.
 */
export function requirePlatformAdmin(actor: Actor, doing = "manage models"): void {
  if (actor.user.role !== "admin") throw new ForbiddenError(`Only platform admins can ${doing}.`);
}

/** What a route or action may demand of its caller beyond being signed in. */
export type Requirement = "platform_admin";
