import type { Metadata } from "next";
import { SearchError } from "@/components/search-error";
import { searchParam } from "@/lib/http/search-param";
import { getDatabase } from "@/db/client";
import { listOwnerBalances } from "@/lib/admin/balances-overview";
import { adminPageTitle, requirePlatformAdminPage } from "@/lib/auth/admin-page";
import { env } from "@/lib/env";
import { BalancesTable } from "./_components/balances-table";
import { toBalanceRow } from "./balance-row";

export const generateMetadata = adminPageTitle("Balances");
export const dynamic = "force-dynamic";

export default async function AdminBalancesPage({
  searchParams,
}: {
  searchParams: Promise<{ q?: string | string[] }>;
}) {
  const actor = await requirePlatformAdminPage();
  const { search, error } = searchParam((await searchParams).q);
  const owners = await listOwnerBalances((await getDatabase()).db, actor, search);
  return (
    <>
      <SearchError message={error} />
      <BalancesTable
        search={search}
        currency={env().CURRENCY}
        rows={owners.map((o) => toBalanceRow(o.owner, o.name, o.email, o.disabled, o.balance))}
      />
    </>
  );
}
