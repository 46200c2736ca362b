import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/shell/page-header";
import { TabLinks } from "@/components/shell/tab-links";
import { getSessionUser, requireSessionUser } from "@/lib/auth/session";

const tabs = [
  { href: "/admin/models", label: "Models" },
  { href: "/admin/users", label: "Users" },
  { href: "/admin/teams", label: "Teams" },
  { href: "/admin/balances", label: "Balances" },
  { href: "/admin/requests", label: "Requests" },
  { href: "/admin/settings", label: "Settings" },
  { href: "/admin/audit-log", label: "Audit log" },
];

/**
 * "Page not found" for anyone but a platform admin, on every admin address. The 404's HTML
 * takes the not-found file's title, but the payload the browser hydrates from takes the
 * layouts' and page's metadata: /admin (a redirect, no title of its own) came out as the
 * bare "ModelBridge" once the page loaded. A page's own title (adminPageTitle) wins for admins.
 */
export async function generateMetadata(): Promise<Metadata> {
  const user = await getSessionUser();
  return user?.role === "admin" ? {} : { title: "Page not found" };
}

/** Platform admins only; to anyone else the section does not exist. Each page and action checks again. */
export default async function AdminLayout({ children }: { children: React.ReactNode }) {
  const user = await requireSessionUser();
  if (user.role !== "admin") notFound();
  return (
    <>
      <PageHeader
        title="Admin"
        description="Models, users, teams, balances, every request, sign-up settings and the audit log of this ModelBridge install."
      />
      <TabLinks label="Admin sections" tabs={tabs} />
      {children}
    </>
  );
}
