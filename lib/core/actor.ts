import type { PublicUser } from "@/lib/users/service";

/**
 * Who is acting: a signed-in user, or a Management key acting for its creator. Services
 * take an Actor so that every query can be scoped by it and every audit row names it.
 */
export interface Actor {
  user: PublicUser;
  /** The Management key the request came through; null for a browser session. */
  keyId: string | null;
}
