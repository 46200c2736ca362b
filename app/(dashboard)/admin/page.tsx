import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/shell/page-header";
import { ComingSoon } from "@/components/shell/coming-soon";
import { requireSessionUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Admin" };

export default async function AdminPage() {
  const user = await requireSessionUser();
  if (user.role !== "admin") notFound();
  return (
    <>
      <PageHeader title="Admin" description="Models, users, teams and balances of this ModelBridge install." />
      <ComingSoon>Register model servers with their prices, enable or disable models, and manage users, teams and balances.</ComingSoon>
    </>
  );
}
