import type { Metadata } from "next";
import { headers } from "next/headers";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ArrowLeft } from "lucide-react";
import { TimeText } from "@/components/ui/time-text";
import { getDatabase } from "@/db/client";
import { requireSessionActor } from "@/lib/auth/session";
import { loadAuditNames } from "@/lib/audit/audit-names";
import { auditSentence } from "@/lib/audit/audit-sentence";
import { listAuditLog } from "@/lib/audit/list-audit";
import { env } from "@/lib/env";
import { captureFormValues } from "@/lib/requests/capture-form";
import { captureInForce } from "@/lib/requests/capture-settings";
import { NotFoundError } from "@/lib/errors/domain-errors";
import { columnDecimals, formatFixed } from "@/lib/format/column-money";
import { publicBaseUrl } from "@/lib/http/public-base-url";
import { loadVisibleKey } from "@/lib/keys/key-access";
import { keyRefusalsByDay } from "@/lib/keys/key-refusals";
import { smallestRequestCost } from "@/lib/keys/smallest-request";
import { listModels } from "@/lib/models/service";
import { listTeams } from "@/lib/teams/teams";
import { presetRange } from "@/lib/usage/range";
import { usageReport } from "@/lib/usage/usage-report";
import { PayloadCaptureForm } from "../../../admin/_capture/payload-capture-form";
import { UsageCharts } from "../../../usage/_components/usage-charts";
import { RecentRequestsTable } from "../../../usage/_components/usage-tables";
import { KeyControlsSummary } from "../_components/key-controls-summary";
import { SpendBar } from "../_components/spend-bar";
import { StatusBadge } from "../_components/status-badge";
import { keyMoneyFormats, toKeyRow } from "../key-row";
import { CopyId } from "./_components/copy-id";
import { KeyDetailActions } from "./_components/key-detail-actions";
import { KeyRefusals } from "./_components/key-refusals";

export const metadata: Metadata = { title: "API key" };
export const dynamic = "force-dynamic";

const integer = new Intl.NumberFormat("en-US");

function Card({ title, children }: { title: string; children: React.ReactNode }) {
  const id = `key-${title.toLowerCase().replace(/\W+/g, "-")}`;
  return (
    <section
      aria-labelledby={id}
      className="min-w-0 space-y-3 rounded-xl border border-zinc-200 bg-white p-4 sm:p-5"
    >
      <h2 id={id} className="text-base font-semibold">
        {title}
      </h2>
      {children}
    </section>
  );
}

/**
 * One key on one URL, as Unkey and OpenRouter have it: its ids to copy, settings and
 * controls, its usage over the last 30 days, its latest requests and its audit trail.
 * Anyone who may see the key in the list may open it; anyone else gets the 404 page.
 */
export default async function KeyDetailPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requireSessionActor();
  const { db } = await getDatabase();
  const { id } = await params;
  const key = await loadVisibleKey(db, actor, id).catch((error) => {
    if (error instanceof NotFoundError) notFound();
    throw error;
  });
  const now = new Date();
  const currency = env().CURRENCY;
  const [smallest, teams, report, refusals, audit, models] = await Promise.all([
    smallestRequestCost(db),
    listTeams(db, actor),
    usageReport(
      db,
      actor,
      { owner: key.teamId ?? "personal", keyId: key.id, range: presetRange("30", now) },
      { recent: 20, now },
    ),
    keyRefusalsByDay(db, actor, key.id, {}, now),
    listAuditLog(db, actor, {
      scope: actor.user.role === "admin" ? "all" : "mine",
      targetType: "api_key",
      targetId: key.id,
      limit: 20,
    }),
    listModels(await getDatabase()),
  ]);
  const row = {
    // The list's formats for a list of one: exact to the micro-unit, as the key's row shows it
    // (the default rounds to cents, so a key that spent 0.000138 of 5.00 read "5.00 left").
    ...toKeyRow(key, smallest, now, keyMoneyFormats([key], now)),
    payloadCapture: (await captureInForce(db, [key])).get(key.id) ?? null,
  };
  const names = await loadAuditNames(db, audit.entries);
  const ownerName = key.teamId
    ? (teams.find((t) => t.id === key.teamId)?.name ?? "A team")
    : "Personal";
  const totals = report.totals;
  const listHref = key.teamId ? `/settings/api-keys?owner=${key.teamId}` : "/settings/api-keys";
  const usageHref = `/usage?${new URLSearchParams({ owner: key.teamId ?? "personal", key: key.id })}`;

  return (
    <div className="space-y-6">
      <div className="space-y-3">
        <Link
          href={listHref}
          className="inline-flex items-center gap-1 text-sm font-medium text-brand-700 hover:underline"
        >
          <ArrowLeft aria-hidden className="h-4 w-4" />
          API Keys
        </Link>
        <div className="flex flex-col gap-3 sm:flex-row sm:items-start sm:justify-between">
          <div className="min-w-0">
            <h1
              tabIndex={-1}
              className="break-words text-2xl font-semibold tracking-tight"
              dir="auto"
            >
              {key.name}
            </h1>
            <p className="mt-1 flex flex-wrap items-center gap-2 text-sm text-zinc-600">
              <StatusBadge status={row.status} />
              <code className="font-mono text-xs">{row.display}</code>
              <span>
                {row.type === "management" ? "Management" : "Model Serving"} · {ownerName}
              </span>
            </p>
          </div>
          <KeyDetailActions
            row={row}
            currency={currency}
            baseUrl={publicBaseUrl(env().PUBLIC_URL, await headers())}
            enabledModels={models.filter((m) => m.enabled).map((m) => m.name)}
          />
        </div>
      </div>

      <div className="grid gap-6 lg:grid-cols-2">
        <Card title="Identifiers">
          <dl className="space-y-2">
            <CopyId label="Key id" value={key.id} />
            <CopyId label="Shown as" value={row.display} />
            {key.teamId ? <CopyId label="Team id" value={key.teamId} /> : null}
            <CopyId label="Created by" value={key.createdByEmail} />
          </dl>
        </Card>
        <Card title="Settings">
          <dl className="grid grid-cols-[8rem_minmax(0,1fr)] gap-x-3 gap-y-2 text-sm">
            <dt className="text-zinc-600">Spend / Limit</dt>
            <dd>
              <SpendBar
                spend={row.spend}
                limit={row.spendingLimit}
                remaining={row.remaining}
                percent={row.percentUsed}
                currency={currency}
                management={row.type === "management"}
              />
            </dd>
            <dt className="text-zinc-600">Expires</dt>
            <dd>
              <TimeText value={row.expiresAt} />
            </dd>
            <dt className="text-zinc-600">Created</dt>
            <dd>
              <TimeText value={row.createdAt} /> by {row.createdByName}
            </dd>
            <dt className="text-zinc-600">Last used</dt>
            <dd>
              <TimeText value={row.lastUsedAt} />
            </dd>
            <dt className="text-zinc-600">Controls</dt>
            <dd>
              <KeyControlsSummary row={row} />
              {row.allowedModels || row.requestsPerMinute || row.ipAllowlist ? null : (
                <span className="text-zinc-600">Every model, no rate limits, any address</span>
              )}
            </dd>
            <dt className="text-zinc-600">Alerts at</dt>
            <dd>
              {row.alertThresholds.length
                ? row.alertThresholds.map((t) => `${t}%`).join(", ")
                : "none"}{" "}
              of the limit
            </dd>
          </dl>
        </Card>
      </div>

      {actor.user.role === "admin" ? (
        // Platform admins only (PRODUCT.md): the key's own setting; "Inherit" follows its team, then the instance.
        <Card title="Request logging">
          <PayloadCaptureForm
            level="key"
            id={key.id}
            saved={captureFormValues(key.payloadCapture)}
          />
        </Card>
      ) : null}

      <Card title="Usage, last 30 days">
        {totals.requests === 0 ? (
          <p className="text-sm text-zinc-600">No requests with this key in the last 30 days.</p>
        ) : (
          <>
            <p className="text-sm text-zinc-700" data-testid="key-usage-totals">
              {integer.format(totals.requests)} {totals.requests === 1 ? "request" : "requests"} ·{" "}
              {integer.format(totals.promptTokens + totals.completionTokens)} tokens ·{" "}
              {formatFixed(totals.spend, columnDecimals([totals.spend]))} {currency}
              {totals.errors > 0
                ? ` · ${integer.format(totals.errors)} failed or refused`
                : " · none failed or refused"}
            </p>
            <UsageCharts
              currency={currency}
              days={report.days.map((d) => ({
                date: d.date,
                spend: Number(d.spend) / 1_000_000,
                requests: d.requests,
                promptTokens: d.promptTokens,
                completionTokens: d.completionTokens,
              }))}
            />
          </>
        )}
      </Card>

      <Card title="Refused requests, last 30 days">
        <KeyRefusals total={refusals.total} days={refusals.days} />
      </Card>

      <Card title="Recent requests">
        {report.recent.length === 0 ? (
          <p className="text-sm text-zinc-600">None yet.</p>
        ) : (
          <RecentRequestsTable rows={report.recent} currency={currency} />
        )}
        <Link href={usageHref} className="text-sm font-medium text-brand-700 hover:underline">
          All of this key&apos;s usage, with CSV export
        </Link>
      </Card>

      <Card title="Audit trail">
        {audit.entries.length === 0 ? (
          <p className="text-sm text-zinc-600">Nothing recorded.</p>
        ) : (
          <ol className="divide-y divide-zinc-100 text-sm" aria-label="Audit trail">
            {audit.entries.map((e) => (
              <li
                key={e.id}
                data-testid="key-audit-entry"
                className="grid gap-0.5 py-2 sm:grid-cols-[11rem_minmax(0,1fr)] sm:gap-4"
              >
                <span className="text-xs text-zinc-600">
                  <TimeText value={e.createdAt} />
                </span>
                <span className="min-w-0 break-words" dir="auto">
                  {auditSentence(e, names)}.
                </span>
              </li>
            ))}
          </ol>
        )}
      </Card>
    </div>
  );
}
