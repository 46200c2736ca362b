import type { Metadata } from "next";
import { NotFoundView } from "@/components/shell/not-found-view";

/*
 * Next titles a 404 with the metadata of the nearest not-found file, not of the page that
 * was hidden (and not of app/not-found.tsx above it): without this export a member at
 * /admin/users got the root layout's default title, "ModelBridge".
 */
export const metadata: Metadata = { title: "Page not found" };

/** Inside the signed-in shell (its navigation stays): e.g. /admin for someone who is not a platform admin. */
export default function DashboardNotFound() {
  return <NotFoundView />;
}
