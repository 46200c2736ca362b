import { createHash, randomBytes } from "node:crypto";

/** 256 bits from the CSPRNG, URL-safe: the link is the only credential an invitee holds. */
export function newInviteToken(): string {
  return randomBytes(32).toString("base64url");
}

/** Only this is stored, so a database dump holds no usable link. */
export function hashInviteToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** The path an invitee opens; the origin is added where the link is shown. */
export function invitePath(token: string): string {
  return `/signup?invite=${encodeURIComponent(token)}`;
}
