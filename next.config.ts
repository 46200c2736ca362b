import type { NextConfig } from "next";
import { contentSecurityPolicy } from "./lib/http/content-security-policy";

const securityHeaders = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "X-Frame-Options", value: "DENY" },
  {
    key: "Content-Security-Policy",
    value: contentSecurityPolicy(process.env.NODE_ENV === "development"),
  },
];

const nextConfig: NextConfig = {
  // Native or WASM packages that must be loaded by Node, not bundled.
  serverExternalPackages: ["@electric-sql/pglite", "@node-rs/argon2", "postgres"],
  poweredByHeader: false,
  // Each page's server code is loaded on its first visit rather than all at start: ~25 MB
  // less resident memory for a process that mostly serves /v1 (issue 5's RSS target), for
  // a one-off delay on the first visit of each page.
  experimental: { preloadEntriesOnStart: false },
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders }];
  },
};

export default nextConfig;
