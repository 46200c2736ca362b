import type { Actor } from "@/lib/api/actor";
import { ApiError } from "@/lib/http/errors";

/** Platform-admin work (models, users, settings, invites); the refusal names what was attempted. */
export function requirePlatformAdmin(actor: Actor, doing = "manage models"): void {
  if (actor.user.role !== "admin") throw new ApiError(403, "forbidden", `Only platform admins can ${doing}.`);
}
