"use client";

import { clsx } from "clsx";
import { Send, Trash2 } from "lucide-react";
import { useState, useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { TimeText } from "@/components/ui/time-text";
import { deleteWebhookAction, testWebhookAction } from "../actions";

export interface DeliveryRow {
  id: string;
  event: string;
  status: "pending" | "delivered" | "failed";
  attempts: number;
  response_status: number | null;
  last_error: string | null;
  last_attempt_at: string | null;
  next_attempt_at: string | null;
  duration_ms: number | null;
  created_at: string;
}

export interface WebhookRow {
  id: string;
  url: string;
  description: string | null;
  createdAt: string;
  deliveries: DeliveryRow[];
}

const statusStyle = {
  delivered: "bg-emerald-50 text-emerald-700 ring-emerald-600/20",
  pending: "bg-amber-50 text-amber-800 ring-amber-600/20",
  failed: "bg-red-50 text-red-700 ring-red-600/20",
};
const statusLabel = { delivered: "Delivered", pending: "Retrying", failed: "Failed" };

export function WebhookCard({ webhook }: { webhook: WebhookRow }) {
  const [testing, startTesting] = useTransition();
  const [deleting, startDeleting] = useTransition();
  const [confirming, setConfirming] = useState(false);
  return (
    <li className="rounded-xl border border-zinc-200 bg-white p-4" aria-label={webhook.url}>
      <div className="flex flex-col gap-3 sm:flex-row sm:items-start sm:justify-between">
        <div className="min-w-0">
          <p className="break-all font-mono text-sm text-zinc-900">{webhook.url}</p>
          <p className="mt-0.5 text-xs text-zinc-500 wrap-anywhere" dir="auto">
            {webhook.description ? `${webhook.description} · ` : ""}added{" "}
            <TimeText value={webhook.createdAt} />
          </p>
        </div>
        <div className="flex shrink-0 gap-2">
          <Button
            variant="secondary"
            disabled={testing}
            onClick={() =>
              startTesting(async () => {
                const result = await testWebhookAction(webhook.id);
                if (result.ok) toast.success(result.message);
                else toast.error(result.message);
              })
            }
          >
            <Send aria-hidden className="h-4 w-4" />
            {testing ? "Sending…" : "Send test"}
          </Button>
          <Button variant="secondary" className="text-red-700" onClick={() => setConfirming(true)}>
            <Trash2 aria-hidden className="h-4 w-4" />
            Delete
          </Button>
        </div>
      </div>
      <div className="mt-3">
        <h3 className="text-xs font-medium uppercase tracking-wide text-zinc-500">
          Recent deliveries
        </h3>
        {webhook.deliveries.length === 0 ? (
          <p className="mt-1 text-sm text-zinc-500">
            None yet. Send a test to check your receiver.
          </p>
        ) : (
          // Focusable and named: a keyboard user can scroll it sideways on a phone.
          <div
            className="mt-1 overflow-x-auto"
            tabIndex={0}
            role="region"
            aria-label={`Recent deliveries to ${webhook.url}`}
          >
            <table className="w-full min-w-[32rem] table-fixed text-left text-sm">
              <thead className="text-xs text-zinc-500">
                <tr>
                  <th className="w-[24%] py-1 pr-3 font-medium">Event</th>
                  <th className="w-[16%] py-1 pr-3 font-medium">Status</th>
                  <th className="w-[24%] py-1 pr-3 font-medium">Response</th>
                  <th className="w-[20%] py-1 pr-3 font-medium">Attempts</th>
                  <th className="py-1 font-medium">When</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-zinc-100">
                {webhook.deliveries.map((d) => (
                  <tr key={d.id} data-testid="delivery-row">
                    <td className="py-1.5 pr-3 font-mono text-xs">{d.event}</td>
                    <td className="py-1.5 pr-3">
                      <span
                        className={clsx(
                          "inline-flex rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset",
                          statusStyle[d.status],
                        )}
                      >
                        {statusLabel[d.status]}
                      </span>
                    </td>
                    <td
                      className="truncate py-1.5 pr-3 text-xs text-zinc-700"
                      title={d.last_error ?? undefined}
                    >
                      {d.response_status !== null
                        ? `HTTP ${d.response_status}`
                        : (d.last_error ?? "—")}
                      {d.duration_ms !== null ? (
                        <span className="text-zinc-600"> · {d.duration_ms} ms</span>
                      ) : null}
                    </td>
                    <td className="py-1.5 pr-3 text-xs tabular-nums">
                      {d.attempts}
                      {d.next_attempt_at ? (
                        <span className="text-zinc-500">
                          {" "}
                          · next <TimeText value={d.next_attempt_at} />
                        </span>
                      ) : null}
                    </td>
                    <td className="py-1.5 text-xs">
                      <TimeText value={d.last_attempt_at ?? d.created_at} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
      {confirming ? (
        <Dialog
          open
          onOpenChange={(open) => !open && setConfirming(false)}
          title="Delete this webhook?"
        >
          <p className="break-all text-sm text-zinc-700">
            Alerts will no longer be sent to <code className="font-mono">{webhook.url}</code>, and
            its delivery history is removed.
          </p>
          <div className="mt-5 flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
            <Button variant="secondary" onClick={() => setConfirming(false)} autoFocus>
              Cancel
            </Button>
            <Button
              variant="danger"
              disabled={deleting}
              onClick={() =>
                startDeleting(async () => {
                  const result = await deleteWebhookAction(webhook.id);
                  if (result.ok) {
                    toast.success("Webhook deleted.");
                    setConfirming(false);
                  } else toast.error(result.error ?? "Could not delete the webhook.");
                })
              }
            >
              {deleting ? "Deleting…" : "Delete webhook"}
            </Button>
          </div>
        </Dialog>
      ) : null}
    </li>
  );
}
