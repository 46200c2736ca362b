"use client";

import { useTransition } from "react";
import { Button } from "@/components/ui/button";
import { signOutEverywhereAction } from "../actions";

export function SignOutEverywhere() {
  const [pending, startTransition] = useTransition();
  return (
    <Button
      variant="danger"
      disabled={pending}
      onClick={() => startTransition(() => signOutEverywhereAction())}
    >
      {pending ? "Signing out…" : "Sign out everywhere"}
    </Button>
  );
}
