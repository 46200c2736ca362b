import type { Metadata } from "next";
import { getDatabase } from "@/db/client";
import { listOwnerBalances } from "@/lib/admin/balances-overview";
import { requireSessionActor } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { BalancesTable } from "./_components/balances-table";
import { toBalanceRow } from "./balance-row";

export const metadata: Metadata = { title: "Balances · Admin" };
export const dynamic = "force-dynamic";

export default async function AdminBalancesPage({
  searchParams,
}: {
  searchParams: Promise<{ q?: string }>;
}) {
  const actor = await requireSessionActor();
  const { q = "" } = await searchParams;
  const search = typeof q === "string" ? q.slice(0, 100) : "";
  const owners = await listOwnerBalances((await getDatabase()).db, actor, search);
  return (
    <BalancesTable
      search={search}
      currency={env().CURRENCY}
      rows={owners.map((o) => toBalanceRow(o.owner, o.name, o.email, o.disabled, o.balance))}
    />
  );
}
