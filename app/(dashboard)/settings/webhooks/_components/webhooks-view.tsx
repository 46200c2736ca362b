"use client";

import { usePathname, useRouter } from "next/navigation";
import { useTransition } from "react";
import { inputClass } from "@/components/ui/field";
import { AddWebhookForm } from "./add-webhook-form";
import { WebhookCard, type WebhookRow } from "./webhook-card";

export function WebhooksView({
  owner,
  owners,
  webhooks,
}: {
  owner: string;
  owners: { id: string; name: string }[];
  webhooks: WebhookRow[];
}) {
  const router = useRouter();
  const pathname = usePathname();
  const [loading, startLoading] = useTransition();
  return (
    <div className="space-y-5">
      {owners.length > 1 ? (
        <label className="block max-w-xs space-y-1">
          <span className="block text-xs font-medium text-zinc-600">Owner</span>
          <select
            value={owner}
            disabled={loading}
            onChange={(e) =>
              startLoading(() =>
                router.push(
                  e.target.value === "personal"
                    ? pathname
                    : `${pathname}?owner=${encodeURIComponent(e.target.value)}`,
                ),
              )
            }
            className={inputClass}
          >
            {owners.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      <AddWebhookForm owner={owner} />
      <section aria-labelledby="webhooks-heading" className="space-y-3">
        <h2 id="webhooks-heading" className="text-base font-semibold">
          {owner === "personal"
            ? "Your webhooks"
            : `${owners.find((o) => o.id === owner)?.name ?? "Team"} webhooks`}
        </h2>
        {webhooks.length === 0 ? (
          <div className="rounded-xl border border-dashed border-zinc-300 bg-white px-6 py-10 text-center text-sm text-zinc-600">
            No webhooks yet. Add one above to be told when a key nears its spending limit.
          </div>
        ) : (
          <ul className="space-y-3">
            {webhooks.map((w) => (
              <WebhookCard key={w.id} webhook={w} />
            ))}
          </ul>
        )}
      </section>
      <section
        aria-labelledby="verify-heading"
        className="rounded-xl border border-zinc-200 bg-white p-4 text-sm text-zinc-700 sm:p-5"
      >
        <h2 id="verify-heading" className="text-base font-semibold text-zinc-900">
          Verifying a delivery
        </h2>
        <p className="mt-2">
          Each POST carries{" "}
          <code className="font-mono text-xs">
            modelbridge-signature: t=&lt;unix time&gt;,v1=&lt;hex&gt;
          </code>
          , where v1 is the HMAC-SHA256 of{" "}
          <code className="font-mono text-xs">t + &quot;.&quot; + body</code> under the
          webhook&apos;s secret. Recompute it, compare in constant time, and refuse a t older than
          five minutes. Failed deliveries are retried after 30 s, 2 min, 10 min, 1 h and 6 h; the
          same <code className="font-mono text-xs">modelbridge-delivery</code> id comes with every
          attempt.
        </p>
      </section>
    </div>
  );
}
