"use client";

import { useState, useTransition } from "react";
import { toast } from "sonner";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { FormAlert } from "@/components/ui/form-alert";
import { TimeText } from "@/components/ui/time-text";
import type { DeploymentView } from "@/lib/models/deployment-schemas";
import type { ModelView } from "@/lib/models/schemas";
import {
  removeDeploymentAction,
  testDeploymentAction,
  updateDeploymentAction,
} from "../deployment-actions";
import { DeploymentForm } from "./deployment-form";

/** Last 15 minutes of one deployment (lib/models/deployments.ts recentDeploymentStats). */
export interface DeploymentStatsView {
  successRate: number | null;
  p50TtfbMs: number | null;
}

const STATE: Record<
  DeploymentView["state"],
  { label: string; tone: "green" | "amber" | "red" | "gray" | "brand" }
> = {
  healthy: { label: "Healthy", tone: "green" },
  cooling_down: { label: "Cooling down", tone: "amber" },
  probing: { label: "Probing", tone: "brand" },
  unhealthy: { label: "Unhealthy", tone: "red" },
  disabled: { label: "Disabled", tone: "gray" },
};

/**
 * A model's deployments in Admin → Models (PRODUCT.md "Health you can see"): state, success
 * rate and p50 time to first byte over 15 minutes, the last error; test, edit, disable,
 * remove, add.
 */
export function DeploymentsList({
  model,
  stats,
}: {
  model: ModelView;
  stats: Record<string, DeploymentStatsView>;
}) {
  const [pending, startTransition] = useTransition();
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);
  const [removing, setRemoving] = useState<{ d: DeploymentView; n: number } | null>(null);
  const [error, setError] = useState<string>();

  const run = (work: () => Promise<{ error?: string } & Record<string, unknown>>, done: string) =>
    startTransition(async () => {
      const result = await work();
      setError(result.error);
      if (!result.error) toast.success(done);
    });

  const test = (d: DeploymentView) =>
    startTransition(async () => {
      const result = await testDeploymentAction(model.id, d.id);
      if (result.error) setError(result.error);
      else if (result.ok) toast.success(result.message);
      else toast.error(result.message);
    });

  if (model.builtin) return <span>Built-in demo model (answers in-process)</span>;
  return (
    <div className="space-y-2">
      <ul aria-label={`Deployments of ${model.name}`} className="space-y-2">
        {model.deployments.map((d, i) => {
          const s = stats[d.id];
          const name = `deployment ${i + 1} of ${model.name}`;
          if (editing === d.id)
            return (
              <li key={d.id}>
                <DeploymentForm
                  model={model}
                  deployment={d}
                  label={`Edit ${name}`}
                  onSaved={() => {
                    setEditing(null);
                    toast.success(`Saved deployment ${i + 1}.`);
                  }}
                  onCancel={() => setEditing(null)}
                />
              </li>
            );
          return (
            <li key={d.id} className="rounded-lg border border-zinc-100 p-2">
              <div className="flex flex-wrap items-center gap-2">
                <Badge tone={STATE[d.state].tone}>{STATE[d.state].label}</Badge>
                {d.state === "cooling_down" && d.cooling_until ? (
                  <span className="text-xs text-zinc-600">
                    until <TimeText value={d.cooling_until} />
                  </span>
                ) : null}
                <span className="text-xs text-zinc-500">
                  #{i + 1} · tier {d.priority} · weight {d.weight}
                </span>
              </div>
              <span title={d.base_url} className="mt-1 block truncate font-mono text-xs">
                {d.base_url}
              </span>
              <span className="block truncate text-xs">
                {d.upstream_model}
                {d.has_api_key ? " · credential set" : " · no credential"}
              </span>
              {d.requests_per_minute !== null || d.tokens_per_minute !== null ? (
                <span className="block text-xs text-zinc-600">
                  Limits:{" "}
                  {[
                    d.requests_per_minute !== null &&
                      `${d.requests_per_minute.toLocaleString("en-US")} req/min`,
                    d.tokens_per_minute !== null &&
                      `${d.tokens_per_minute.toLocaleString("en-US")} tok/min`,
                  ]
                    .filter(Boolean)
                    .join(" · ")}
                </span>
              ) : null}
              <span className="block text-xs text-zinc-600">
                Success (15 min):{" "}
                {s?.successRate == null ? "no traffic" : `${Math.round(s.successRate * 100)}%`}
                {" · "}p50 first byte: {s?.p50TtfbMs == null ? "–" : `${s.p50TtfbMs} ms`}
              </span>
              {d.last_error ? (
                <span className="block break-words text-xs text-red-700">
                  Last error: {d.last_error}
                </span>
              ) : null}
              <div className="mt-1 flex flex-wrap gap-2">
                <Button
                  variant="secondary"
                  disabled={pending}
                  aria-label={`Test ${name}`}
                  onClick={() => test(d)}
                >
                  Test
                </Button>
                <Button
                  variant="secondary"
                  disabled={pending}
                  aria-label={`Edit ${name}`}
                  onClick={() => setEditing(d.id)}
                >
                  Edit
                </Button>
                <Button
                  variant="secondary"
                  disabled={pending}
                  aria-label={`${d.enabled ? "Disable" : "Enable"} deployment ${i + 1} of ${model.name}`}
                  onClick={() =>
                    run(
                      () => updateDeploymentAction(model.id, d.id, { enabled: !d.enabled }),
                      `${d.enabled ? "Disabled" : "Enabled"} deployment ${i + 1}.`,
                    )
                  }
                >
                  {d.enabled ? "Disable" : "Enable"}
                </Button>
                {model.deployments.length > 1 ? (
                  <Button
                    variant="secondary"
                    disabled={pending}
                    aria-label={`Remove ${name}`}
                    onClick={() => setRemoving({ d, n: i + 1 })}
                  >
                    Remove
                  </Button>
                ) : null}
              </div>
            </li>
          );
        })}
      </ul>
      <FormAlert message={error} />
      {adding ? (
        <DeploymentForm
          model={model}
          label={`Add a deployment to ${model.name}`}
          onSaved={() => {
            setAdding(false);
            toast.success(`Added a deployment to ${model.name}.`);
          }}
          onCancel={() => setAdding(false)}
        />
      ) : (
        <Button variant="secondary" onClick={() => setAdding(true)}>
          Add deployment
        </Button>
      )}
      {removing ? (
        <Dialog
          open
          onOpenChange={(open) => !open && setRemoving(null)}
          title={`Remove deployment ${removing.n} of ${model.name}?`}
          description="Requests for this model stop going to it at once; its health history stays in Usage."
        >
          <p className="break-all font-mono text-xs text-zinc-600">{removing.d.base_url}</p>
          <div className="mt-4 flex justify-end gap-2">
            <Button variant="secondary" onClick={() => setRemoving(null)}>
              Cancel
            </Button>
            <Button
              variant="danger"
              disabled={pending}
              onClick={() => {
                const { d, n } = removing;
                setRemoving(null);
                run(() => removeDeploymentAction(model.id, d.id), `Removed deployment ${n}.`);
              }}
            >
              Remove deployment
            </Button>
          </div>
        </Dialog>
      ) : null}
    </div>
  );
}
