"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/db/client";
import { setUserDisabled, setUserRole } from "@/lib/admin/users";
import { getSessionUser } from "@/lib/auth/session";
import { ApiError } from "@/lib/http/errors";

export interface AdminActionResult {
  error?: string;
}

const userId = z.uuid();

async function run(change: (actor: { user: NonNullable<Awaited<ReturnType<typeof getSessionUser>>>; keyId: null }) => Promise<void>): Promise<AdminActionResult> {
  const user = await getSessionUser();
  if (!user) return { error: "Your session has ended. Sign in again." };
  try {
    await change({ user, keyId: null });
  } catch (error) {
    if (error instanceof ApiError) return { error: error.message };
    throw error;
  }
  revalidatePath("/admin/users");
  return {};
}

export async function setRoleAction(id: string, role: "admin" | "user"): Promise<AdminActionResult> {
  const parsed = z.object({ id: userId, role: z.enum(["admin", "user"]) }).safeParse({ id, role });
  if (!parsed.success) return { error: "Invalid request." };
  return run(async (actor) => setUserRole(await getDb(), actor, parsed.data.id, parsed.data.role));
}

export async function setDisabledAction(id: string, disabled: boolean): Promise<AdminActionResult> {
  const parsed = z.object({ id: userId, disabled: z.boolean() }).safeParse({ id, disabled });
  if (!parsed.success) return { error: "Invalid request." };
  return run(async (actor) => setUserDisabled(await getDb(), actor, parsed.data.id, parsed.data.disabled));
}
