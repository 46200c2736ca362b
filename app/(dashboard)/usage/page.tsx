import type { Metadata } from "next";
import Link from "next/link";
import { Download } from "lucide-react";
import { PageHeader } from "@/components/shell/page-header";
import { UsageTabs } from "@/components/requests/usage-tabs";
import { buttonClass } from "@/components/ui/button";
import { FormAlert } from "@/components/ui/form-alert";
import { getDatabase } from "@/db/client";
import { requireSessionActor } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { NotFoundError } from "@/lib/errors/domain-errors";
import { listTeams } from "@/lib/teams/teams";
import { DEFAULT_PRESET, lastDayOf, presetRange, utcDay } from "@/lib/usage/range";
import { usageFilterQuery } from "@/lib/usage/schemas";
import { usageReport, type UsageReport } from "@/lib/usage/usage-report";
import { BalanceCards } from "./_components/balance-cards";
import { UsageCharts } from "./_components/usage-charts";
import { UsageFiltersBar } from "./_components/usage-filters";
import { columnDecimals } from "@/lib/format/column-money";
import { UsageSummary } from "./_components/usage-summary";
import { ByKeyTable, ByModelTable, RecentRequestsTable, Section } from "./_components/usage-tables";
import { filterNotice } from "./filter-notice";
import { exportHref, usageHref, type UsageFilters } from "./usage-url";

export const metadata: Metadata = { title: "Usage" };
export const dynamic = "force-dynamic";

type Search = Record<string, string | string[] | undefined>;
const one = (value: string | string[] | undefined) =>
  typeof value === "string" && value !== "" ? value : undefined;

export default async function UsagePage({ searchParams }: { searchParams: Promise<Search> }) {
  const actor = await requireSessionActor();
  const { db } = await getDatabase();
  const currency = env().CURRENCY;
  const search = await searchParams;
  const teams = await listTeams(db, actor);

  // Bad filters (a typo'd date, a key or team that is not yours) fall back to the defaults
  // with a message, rather than an error page.
  let problem: string | undefined;
  const query = {
    owner: one(search.owner),
    key_id: one(search.key),
    range: one(search.range),
    from: one(search.from),
    to: one(search.to),
  };
  const parsed = usageFilterQuery().safeParse(query);
  const fallback = {
    owner: "personal",
    keyId: undefined,
    range: presetRange(DEFAULT_PRESET, new Date()),
  };
  let filter = parsed.success ? parsed.data : fallback;
  if (!parsed.success) {
    problem = filterNotice(parsed.error.issues[0], query);
    // Only the dates were wrong: the key or team asked for is still shown.
    const dateless = usageFilterQuery().safeParse({ owner: query.owner, key_id: query.key_id });
    if (dateless.success) filter = dateless.data;
  }
  let report: UsageReport;
  try {
    report = await usageReport(db, actor, filter);
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
    problem = filter.keyId
      ? "That key does not exist or is not yours to see. Showing your personal usage."
      : "You are not in that team. Showing your personal usage.";
    filter = { ...fallback, range: filter.range };
    report = await usageReport(db, actor, filter);
  }

  const { scope, range } = report;
  const filters: UsageFilters = {
    owner: scope.owner,
    key: scope.key?.id ?? null,
    range: range.preset,
    from: utcDay(range.from),
    to: lastDayOf(range),
  };
  const rangeLabel = range.preset
    ? `last ${range.preset} days`
    : `${filters.from} to ${filters.to}`;
  const isTeamMember = scope.owner !== "personal" && !scope.canSeeBalance;
  const empty = report.totals.requests === 0;

  return (
    <>
      <PageHeader
        title="Usage"
        description={
          isTeamMember
            ? `Spend, requests and tokens of the ${scope.ownerName} keys you created. Team admins see the whole team.`
            : "Spend, requests and tokens over time, per key and per model. Days are UTC."
        }
        actions={
          <a href={exportHref(filters)} download className={buttonClass("secondary")}>
            <Download aria-hidden className="h-4 w-4" />
            Export CSV
          </a>
        }
      />
      <UsageTabs />
      <div className="space-y-8">
        <UsageFiltersBar
          filters={filters}
          owners={[
            { id: "personal", name: "Personal" },
            ...teams.map((t) => ({ id: t.id, name: t.name })),
          ]}
          keyLabel={scope.key ? `${scope.key.name} (${scope.key.display})` : null}
        />
        <FormAlert message={problem} />
        {report.balance ? (
          <BalanceCards balance={report.balance} currency={currency} ownerName={scope.ownerName} />
        ) : null}
        {empty ? null : (
          <UsageSummary
            totals={report.totals}
            currency={currency}
            rangeLabel={rangeLabel}
            spendDecimals={columnDecimals([
              report.totals.spend,
              ...report.byKey.map((row) => row.spend),
            ])}
          />
        )}
        {empty ? (
          <div className="rounded-xl border border-dashed border-zinc-300 bg-white px-6 py-12 text-center">
            <p className="text-sm font-medium text-zinc-900">No requests in the {rangeLabel}</p>
            <p className="mx-auto mt-2 max-w-md text-sm text-zinc-600">
              Requests made with{" "}
              {scope.key
                ? "this key"
                : scope.owner === "personal"
                  ? "your personal keys"
                  : `${scope.ownerName} keys`}{" "}
              through <code className="font-mono">/v1</code> show up here within a few seconds.{" "}
              <Link
                href="/settings/api-keys"
                className="font-medium text-brand-700 hover:underline"
              >
                Create an API key
              </Link>{" "}
              or try a model in the{" "}
              <Link href="/playground" className="font-medium text-brand-700 hover:underline">
                Playground
              </Link>
              .
            </p>
          </div>
        ) : (
          <>
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
            <div className={scope.key ? "grid gap-8" : "grid gap-8 xl:grid-cols-2"}>
              {scope.key ? null : (
                <Section title="By key" description="Select a key to see only its usage.">
                  <ByKeyTable
                    rows={report.byKey}
                    currency={currency}
                    keyHref={(id) => usageHref({ ...filters, key: id })}
                  />
                </Section>
              )}
              <Section title="By model">
                <ByModelTable rows={report.byModel} currency={currency} />
              </Section>
            </div>
            <Section
              title="Recent requests"
              description={`The latest ${report.recent.length} in the ${rangeLabel}. Export CSV for all of them, or open Requests to filter and see each one's detail.`}
            >
              <RecentRequestsTable rows={report.recent} currency={currency} />
            </Section>
          </>
        )}
      </div>
    </>
  );
}
