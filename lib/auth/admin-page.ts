import type { Metadata } from "next";
import { notFound } from "next/navigation";
import type { Actor } from "@/lib/core/actor";
import { getSessionUser, requireSessionActor } from "./session";

/**
 * For Admin pages. Next renders a page beside its layout, so the admin layout's notFound()
 * alone would still let the page call services that refuse a non-admin (a stack trace in
 * the log for an ordinary 404): the page itself answers "not found" first.
 */
export async function requirePlatformAdminPage(): Promise<Actor> {
  const actor = await requireSessionActor();
  if (actor.user.role !== "admin") notFound();
  return actor;
}

/** The page's title for an admin, and "Page not found" for anyone else, who gets the 404 page. */
export function adminPageTitle(title: string): () => Promise<Metadata> {
  return async () => {
    const user = await getSessionUser();
    return { title: user?.role === "admin" ? `${title} · Admin` : "Page not found" };
  };
}
