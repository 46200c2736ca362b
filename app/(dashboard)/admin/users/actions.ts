"use server";

import { z } from "zod";
import { setUserDisabled, setUserRole } from "@/lib/admin/users";
import { authedAction } from "@/lib/actions/authed-action";

export interface AdminActionResult {
  error?: string;
}

const spec = {
  requires: "platform_admin" as const,
  doing: "manage users",
  invalid: "Invalid request.",
  revalidate: ["/admin/users"],
};

const setRole = authedAction(
  { ...spec, input: z.object({ id: z.uuid(), role: z.enum(["admin", "user"]) }) },
  async ({ db, actor, input }) => {
    await setUserRole(db, actor, input.id, input.role);
    return {};
  },
);

const setDisabled = authedAction(
  { ...spec, input: z.object({ id: z.uuid(), disabled: z.boolean() }) },
  async ({ db, actor, input }) => {
    await setUserDisabled(db, actor, input.id, input.disabled);
    return {};
  },
);

export async function setRoleAction(id: string, role: "admin" | "user") {
  return setRole({ id, role });
}

export async function setDisabledAction(id: string, disabled: boolean) {
  return setDisabled({ id, disabled });
}
