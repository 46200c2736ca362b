import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { users, type WebhookRow } from "@/db/schema";
import { isPrivateAddress } from "@/lib/net/forbidden-address";
import { getSignupSettings } from "@/lib/settings/signup-settings";

/**
 * Whether a webhook may reach loopback and private ranges (PRODUCT.md "Webhooks do not
 * reach the operator's network"): when the platform admin allows it for everyone
 * (`webhooks_allow_private_addresses`), or when a platform admin made it.
 */
export async function mayReachPrivate(db: Db, createdBy: string | null): Promise<boolean> {
  if ((await getSignupSettings(db)).webhooksAllowPrivateAddresses) return true;
  if (!createdBy) return false;
  const [row] = await db.select({ role: users.role }).from(users).where(eq(users.id, createdBy));
  return row?.role === "admin";
}

export const webhookMayReachPrivate = (db: Db, webhook: WebhookRow) =>
  mayReachPrivate(db, webhook.createdBy);

/**
 * At save: a URL naming a loopback or private address literally, or `localhost`, is refused
 * at once (a name resolving there is refused when connecting: guarded-connector.ts).
 */
export function namesPrivateHost(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname.replace(/^\[(.*)\]$/, "$1").toLowerCase();
  } catch {
    return false;
  }
  if (host === "localhost" || host.endsWith(".localhost")) return true;
  return isPrivateAddress(host);
}
