"use client";

import { Pause, Pencil, Play, RefreshCcw, Trash2 } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { pauseKeyAction } from "../../actions";
import type { KeyRow } from "../../key-row";
import { EditKeyDialog } from "../../_components/edit-key-dialog";
import { RevokeKeyDialog } from "../../_components/revoke-key-dialog";
import { RollKeyDialog } from "../../_components/roll-key-dialog";

/** The key's controls on its own page: the same dialogs as the list's row menu. */
export function KeyDetailActions({
  row,
  currency,
  baseUrl,
  enabledModels,
}: {
  row: KeyRow;
  currency: string;
  baseUrl: string;
  enabledModels: string[];
}) {
  const router = useRouter();
  const [open, setOpen] = useState<"edit" | "roll" | "revoke" | null>(null);
  const [pending, startTransition] = useTransition();
  if (row.status === "revoked") return null;
  const focusBack = (name: string) => () =>
    document.querySelector<HTMLElement>(`[data-detail-action="${name}"]`);
  const pause = (paused: boolean) =>
    startTransition(async () => {
      const result = await pauseKeyAction(row.id, paused);
      if (!result.ok) return void toast.error(result.error ?? "Something went wrong.");
      toast.success(paused ? `Paused "${row.name}".` : `Resumed "${row.name}".`);
      router.refresh();
    });
  return (
    <div className="flex flex-wrap gap-2">
      <Button variant="secondary" data-detail-action="edit" onClick={() => setOpen("edit")}>
        <Pencil aria-hidden className="h-4 w-4" />
        Edit
      </Button>
      {row.isPlayground ? null : row.paused ? (
        <Button variant="secondary" disabled={pending} onClick={() => pause(false)}>
          <Play aria-hidden className="h-4 w-4" />
          Resume
        </Button>
      ) : (
        <Button variant="secondary" disabled={pending} onClick={() => pause(true)}>
          <Pause aria-hidden className="h-4 w-4" />
          Pause
        </Button>
      )}
      {row.isPlayground ? null : (
        <Button variant="secondary" data-detail-action="roll" onClick={() => setOpen("roll")}>
          <RefreshCcw aria-hidden className="h-4 w-4" />
          Roll
        </Button>
      )}
      <Button variant="danger" data-detail-action="revoke" onClick={() => setOpen("revoke")}>
        <Trash2 aria-hidden className="h-4 w-4" />
        Revoke
      </Button>
      {open === "edit" ? (
        <EditKeyDialog
          row={row}
          currency={currency}
          enabledModels={enabledModels}
          onClose={() => {
            setOpen(null);
            router.refresh();
          }}
          returnFocusTo={focusBack("edit")}
        />
      ) : null}
      {open === "roll" ? (
        <RollKeyDialog
          row={row}
          baseUrl={baseUrl}
          enabledModels={enabledModels}
          onClose={() => {
            setOpen(null);
            router.refresh();
          }}
          returnFocusTo={focusBack("roll")}
        />
      ) : null}
      {open === "revoke" ? (
        <RevokeKeyDialog
          row={row}
          onClose={() => {
            setOpen(null);
            router.refresh();
          }}
          returnFocusTo={() => document.querySelector<HTMLElement>("h1")}
        />
      ) : null}
    </div>
  );
}
