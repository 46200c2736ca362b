import type { Metadata } from "next";
import { SearchError } from "@/components/search-error";
import { searchParam } from "@/lib/http/search-param";
import { getDatabase } from "@/db/client";
import { listUsers } from "@/lib/admin/users";
import { adminPageTitle, requirePlatformAdminPage } from "@/lib/auth/admin-page";
import { UsersTable } from "./_components/users-table";

export const generateMetadata = adminPageTitle("Users");

export default async function AdminUsersPage({
  searchParams,
}: {
  searchParams: Promise<{ q?: string | string[] }>;
}) {
  const actor = await requirePlatformAdminPage();
  const { search, error } = searchParam((await searchParams).q);
  const users = await listUsers((await getDatabase()).db, actor, search);
  return (
    <>
      <SearchError message={error} />
      <UsersTable
        currentUserId={actor.user.id}
        search={search}
        users={users.map((u) => ({
          ...u,
          disabledAt: u.disabledAt?.toISOString() ?? null,
          createdAt: u.createdAt.toISOString(),
        }))}
      />
    </>
  );
}
