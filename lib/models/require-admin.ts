import type { Actor } from "@/lib/api/actor";
import { ApiError } from "@/lib/http/errors";

/** Model administration is for platform admins only. */
export function requirePlatformAdmin(actor: Actor): void {
  if (actor.user.role !== "admin") throw new ApiError(403, "forbidden", "Only platform admins can manage models.");
}
