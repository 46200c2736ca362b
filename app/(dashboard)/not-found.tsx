import { NotFoundView } from "@/components/shell/not-found-view";

/** Inside the signed-in shell (its navigation stays): e.g. /admin for someone who is not a platform admin. */
export default function DashboardNotFound() {
  return <NotFoundView />;
}
