import type { Metadata } from "next";
import { getDatabase } from "@/db/client";
import { listUsers } from "@/lib/admin/users";
import { requireSessionActor } from "@/lib/auth/session";
import { UsersTable } from "./_components/users-table";

export const metadata: Metadata = { title: "Users · Admin" };

export default async function AdminUsersPage({
  searchParams,
}: {
  searchParams: Promise<{ q?: string }>;
}) {
  const actor = await requireSessionActor();
  const { q = "" } = await searchParams;
  const users = await listUsers((await getDatabase()).db, actor, q.slice(0, 100));
  return (
    <UsersTable
      currentUserId={actor.user.id}
      search={q}
      users={users.map((u) => ({
        ...u,
        disabledAt: u.disabledAt?.toISOString() ?? null,
        createdAt: u.createdAt.toISOString(),
      }))}
    />
  );
}
