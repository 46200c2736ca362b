/** Moved to lib/auth; this path stays for code written before the move. */
export { requirePlatformAdmin } from "@/lib/auth/require-platform-admin";
