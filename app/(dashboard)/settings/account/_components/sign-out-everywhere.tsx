"use client";

import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { signOutEverywhereAction } from "../actions";

/** Asks once before ending every session (this one too): a stray click would sign out every device. */
export function SignOutEverywhere() {
  const [pending, startTransition] = useTransition();
  const [confirming, setConfirming] = useState(false);
  if (!confirming)
    return (
      <Button variant="danger" onClick={() => setConfirming(true)}>
        Sign out everywhere
      </Button>
    );
  return (
    <div role="group" aria-label="Confirm signing out everywhere" className="space-y-2">
      <p className="text-sm text-zinc-800">
        Every device signed in to this account, this one included, will have to sign in again.
      </p>
      <div className="flex flex-wrap gap-2">
        <Button
          variant="danger"
          disabled={pending}
          onClick={() => startTransition(() => signOutEverywhereAction())}
        >
          {pending ? "Signing out…" : "Yes, sign out everywhere"}
        </Button>
        <Button variant="secondary" autoFocus onClick={() => setConfirming(false)}>
          Cancel
        </Button>
      </div>
    </div>
  );
}
