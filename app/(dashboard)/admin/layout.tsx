import { notFound } from "next/navigation";
import { PageHeader } from "@/components/shell/page-header";
import { TabLinks } from "@/components/shell/tab-links";
import { requireSessionUser } from "@/lib/auth/session";

const tabs = [
  { href: "/admin/models", label: "Models" },
  { href: "/admin/users", label: "Users" },
  { href: "/admin/teams", label: "Teams" },
  { href: "/admin/balances", label: "Balances" },
  { href: "/admin/settings", label: "Settings" },
  { href: "/admin/audit-log", label: "Audit log" },
];

/** Platform admins only; to anyone else the section does not exist. Each page and action checks again. */
export default async function AdminLayout({ children }: { children: React.ReactNode }) {
  const user = await requireSessionUser();
  if (user.role !== "admin") notFound();
  return (
    <>
      <PageHeader
        title="Admin"
        description="Models, users, teams, balances, sign-up settings and the audit log of this ModelBridge install."
      />
      <TabLinks label="Admin sections" tabs={tabs} />
      {children}
    </>
  );
}
