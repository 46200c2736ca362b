import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { getSessionUser } from "@/lib/auth/session";
import { oidcEnabled } from "@/lib/auth";
import { env } from "@/lib/env";
import { LoginForm } from "./login-form";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<{ callbackUrl?: string }>;
}) {
  if (await getSessionUser()) redirect("/settings/api-keys");
  const { callbackUrl } = await searchParams;
  return (
    <>
      <h1 className="text-xl font-semibold">Sign in</h1>
      <p className="mt-1 text-sm text-zinc-600">Manage your API keys and usage.</p>
      <LoginForm callbackUrl={callbackUrl} oidcName={oidcEnabled() ? env().OIDC_NAME : undefined} />
      <p className="mt-6 text-center text-sm text-zinc-600">
        No account yet?{" "}
        <Link href="/signup" className="font-medium text-brand-600 hover:underline">
          Create one
        </Link>
      </p>
    </>
  );
}
