"use client";

import { useState, useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { FormAlert } from "@/components/ui/form-alert";
import { revokeKeyAction } from "../actions";
import type { KeyRow } from "../key-row";

export function RevokeKeyDialog({
  row,
  onClose,
  returnFocusTo,
}: {
  row: KeyRow;
  onClose: (revoked?: boolean) => void;
  returnFocusTo?: () => HTMLElement | null;
}) {
  const [error, setError] = useState<string>();
  const [pending, startTransition] = useTransition();
  return (
    <Dialog
      open
      onOpenChange={(open) => !open && onClose()}
      title={`Revoke "${row.name}"?`}
      returnFocusTo={returnFocusTo}
    >
      <div className="space-y-3 text-sm text-zinc-700">
        <FormAlert message={error} />
        <p>
          Requests with <code className="font-mono">{row.display}</code> will be refused
          immediately. Revoking cannot be undone; create a new key if you need one again.
        </p>
      </div>
      <div className="mt-5 flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
        <Button variant="secondary" onClick={() => onClose()} data-autofocus>
          Cancel
        </Button>
        <Button
          variant="danger"
          disabled={pending}
          onClick={() =>
            startTransition(async () => {
              const result = await revokeKeyAction(row.id);
              if (result.ok) {
                toast.success(`Revoked "${row.name}". Requests with it are now refused.`);
                onClose(true);
              } else setError(result.error);
            })
          }
        >
          {pending ? "Revoking…" : "Revoke API Key"}
        </Button>
      </div>
    </Dialog>
  );
}
