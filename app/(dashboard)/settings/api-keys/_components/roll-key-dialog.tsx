"use client";

import { useState, useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { inputClass } from "@/components/ui/field";
import { FormAlert } from "@/components/ui/form-alert";
import { Labelled } from "@/components/ui/labelled";
import { curlModel } from "@/lib/format/curl-example";
import { rollKeyAction } from "../actions";

/** Nothing yet, the rolled key (once), or why it failed. */
type RollKeyState = Partial<Awaited<ReturnType<typeof rollKeyAction>>>;
import type { KeyRow } from "../key-row";
import { ShowOnce } from "./show-once";

const GRACE = [
  { seconds: 0, label: "None: the old key stops at once" },
  { seconds: 3600, label: "1 hour" },
  { seconds: 86400, label: "24 hours" },
  { seconds: 604800, label: "7 days" },
];

/**
 * Roll: a new secret for the same key (same id, limits, spend and history). The user picks how
 * long the old secret keeps working, then sees the new one once, in the same show-once step
 * as a new key, with the same question before closing it uncopied.
 */
export function RollKeyDialog({
  row,
  baseUrl,
  enabledModels,
  onClose,
  returnFocusTo,
}: {
  row: KeyRow;
  baseUrl: string;
  enabledModels: string[];
  onClose: () => void;
  returnFocusTo?: () => HTMLElement | null;
}) {
  const [grace, setGrace] = useState(3600);
  const [state, setState] = useState<RollKeyState>({});
  const [pending, startTransition] = useTransition();
  const [copied, setCopied] = useState(false);
  const [confirmingClose, setConfirmingClose] = useState(false);
  const rolled = state.rolled;

  const finish = () => {
    if (rolled) toast.success(`Rolled "${rolled.name}".`);
    onClose();
  };
  const askOrClose = () => (copied ? finish() : setConfirmingClose(true));

  if (rolled && confirmingClose) {
    return (
      <Dialog
        open
        onOpenChange={(next) => !next && setConfirmingClose(false)}
        title="Close without the key?"
        returnFocusTo={returnFocusTo}
      >
        <p className="text-sm text-zinc-700">
          Have you copied the new key for <strong>{rolled.name}</strong>? Once you close this dialog
          it cannot be shown again.
        </p>
        <div className="mt-5 flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
          <Button variant="secondary" onClick={() => setConfirmingClose(false)}>
            Back to the key
          </Button>
          <Button onClick={finish}>Yes, close</Button>
        </div>
      </Dialog>
    );
  }

  if (rolled) {
    const models = row.allowedModels ?? enabledModels;
    return (
      <Dialog
        open
        onOpenChange={(next) => !next && askOrClose()}
        title="Save your API key"
        description={`"${rolled.name}" has a new secret.`}
        wide
        returnFocusTo={returnFocusTo}
      >
        <ShowOnce
          keyValue={rolled.key}
          type={rolled.type}
          baseUrl={baseUrl}
          model={curlModel(models)}
          onCopied={() => setCopied(true)}
          onDone={askOrClose}
        />
      </Dialog>
    );
  }

  return (
    <Dialog
      open
      onOpenChange={(open) => !open && onClose()}
      title={`Roll "${row.name}"?`}
      returnFocusTo={returnFocusTo}
    >
      <form
        className="space-y-4 text-sm text-zinc-700"
        onSubmit={(event) => {
          event.preventDefault();
          startTransition(async () => setState(await rollKeyAction(row.id, grace)));
        }}
      >
        <FormAlert message={state.error} />
        <p>
          The key gets a new secret; its name, limits, spend and history stay. Requests with{" "}
          <code className="font-mono">{row.display}</code> are refused once the grace period ends.
        </p>
        <Labelled
          label="Grace period"
          hint="How long the old secret keeps working, to give your applications time to switch."
        >
          {(control) => (
            <select
              {...control}
              value={grace}
              onChange={(e) => setGrace(Number(e.target.value))}
              className={inputClass}
            >
              {GRACE.map((g) => (
                <option key={g.seconds} value={g.seconds}>
                  {g.label}
                </option>
              ))}
            </select>
          )}
        </Labelled>
        <div className="flex flex-col-reverse gap-2 pt-1 sm:flex-row sm:justify-end">
          <Button variant="secondary" onClick={onClose} data-autofocus>
            Cancel
          </Button>
          <Button type="submit" disabled={pending}>
            {pending ? "Rolling…" : "Roll key"}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
