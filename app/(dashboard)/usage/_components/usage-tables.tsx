import Link from "next/link";
import type { ReactNode } from "react";
import { columnFormat } from "@/lib/format/column-money";
import type { KeyUsage, ModelUsage, UsageTotals } from "@/lib/usage/aggregate";
import type { RequestRow } from "@/lib/usage/requests";
import { TimeText } from "@/components/ui/time-text";

const integer = new Intl.NumberFormat("en-US");

export function Section({
  title,
  description,
  children,
}: {
  title: string;
  description?: string;
  children: ReactNode;
}) {
  const id = `section-${title.toLowerCase().replace(/\W+/g, "-")}`;
  return (
    <section aria-labelledby={id} className="min-w-0 space-y-3">
      <div>
        <h2 id={id} className="text-base font-semibold">
          {title}
        </h2>
        {description ? <p className="text-xs text-zinc-500">{description}</p> : null}
      </div>
      {children}
    </section>
  );
}

function Table({
  head,
  children,
  label,
  className,
  foot,
}: {
  head: ReactNode;
  children: ReactNode;
  label: string;
  className?: string;
  foot?: ReactNode;
}) {
  return (
    // Focusable and named: a table wider than the screen scrolls, and a keyboard user must
    // be able to reach and scroll it (axe: scrollable-region-focusable). A group, not a
    // region: the key page already has a "Recent requests" region around this table.
    <div
      role="group"
      aria-label={label}
      tabIndex={0}
      className={`overflow-x-auto rounded-xl border border-zinc-200 bg-white ${className ?? ""}`}
    >
      <table aria-label={label} className="min-w-full text-sm">
        <thead className="bg-zinc-50 text-left text-xs font-semibold text-zinc-600">{head}</thead>
        <tbody className="divide-y divide-zinc-100">{children}</tbody>
        {foot ? (
          <tfoot className="border-t border-zinc-200 bg-zinc-50 font-semibold">{foot}</tfoot>
        ) : null}
      </table>
    </div>
  );
}

// Narrower padding on a phone, so that the per-key and per-model tables fit without scrolling.
const th = "px-3 py-2.5 font-medium sm:px-4";
const num = "px-3 py-2.5 text-right tabular-nums whitespace-nowrap sm:px-4";

type Totals = Pick<UsageTotals, "requests" | "promptTokens" | "completionTokens" | "spend">;

function totalsCells(t: Totals, money: (value: bigint) => string) {
  return (
    <>
      <td className={num}>{integer.format(t.requests)}</td>
      <td className={`${num} hidden sm:table-cell`}>
        {integer.format(t.promptTokens + t.completionTokens)}
      </td>
      <td className={num}>{money(t.spend)}</td>
    </>
  );
}

/** The rows' sum, as the table's last line: shown in the same format as the rows, so it adds up. */
function sumOf(rows: Totals[]): Totals {
  return rows.reduce(
    (a, r) => ({
      requests: a.requests + r.requests,
      promptTokens: a.promptTokens + r.promptTokens,
      completionTokens: a.completionTokens + r.completionTokens,
      spend: a.spend + r.spend,
    }),
    { requests: 0, promptTokens: 0, completionTokens: 0, spend: 0n },
  );
}

function TotalRow({ rows, money }: { rows: Totals[]; money: (value: bigint) => string }) {
  return (
    <tr>
      <th scope="row" className={`${th} text-left`}>
        Total
      </th>
      {totalsCells(sumOf(rows), money)}
    </tr>
  );
}

/** The spend column's one format, over its rows and their total. */
const spendFormat = (rows: Totals[]) =>
  columnFormat([...rows.map((r) => r.spend), sumOf(rows).spend]);

const totalsHead = (currency: string) => (
  <>
    <th scope="col" className={`${th} text-right`}>
      Requests
    </th>
    <th scope="col" className={`${th} hidden text-right sm:table-cell`}>
      Tokens
    </th>
    <th scope="col" className={`${th} text-right`}>
      Spend ({currency})
    </th>
  </>
);

/** Per key; a key's name links to its own usage. */
export function ByKeyTable({
  rows,
  currency,
  keyHref,
}: {
  rows: KeyUsage[];
  currency: string;
  keyHref: (id: string) => string;
}) {
  const money = spendFormat(rows);
  return (
    <Table
      label="Usage by key"
      foot={rows.length > 1 ? <TotalRow rows={rows} money={money} /> : undefined}
      head={
        <tr>
          <th scope="col" className={th}>
            Key
          </th>
          {totalsHead(currency)}
        </tr>
      }
    >
      {rows.map((row) => (
        <tr key={row.keyId}>
          <td className="max-w-36 px-3 py-2.5 sm:max-w-56 sm:px-4">
            <Link
              href={keyHref(row.keyId)}
              className="block truncate font-medium text-brand-700 hover:underline"
            >
              {row.name}
            </Link>
            <span className="block truncate font-mono text-xs text-zinc-500">
              {row.display}
              {row.revoked ? " · revoked" : ""}
            </span>
          </td>
          {totalsCells(row, money)}
        </tr>
      ))}
    </Table>
  );
}

export function ByModelTable({ rows, currency }: { rows: ModelUsage[]; currency: string }) {
  const money = spendFormat(rows);
  return (
    <Table
      label="Usage by model"
      foot={rows.length > 1 ? <TotalRow rows={rows} money={money} /> : undefined}
      head={
        <tr>
          <th scope="col" className={th}>
            Model
          </th>
          {totalsHead(currency)}
        </tr>
      }
    >
      {rows.map((row) => (
        <tr key={row.model}>
          <td
            className="max-w-36 truncate px-3 py-2.5 font-mono text-xs sm:max-w-56 sm:px-4"
            title={row.model}
          >
            {row.model}
          </td>
          {totalsCells(row, money)}
        </tr>
      ))}
    </Table>
  );
}

/** The endpoint as its users know it: `chat.completions` is /v1/chat/completions. */
const endpointPath = (endpoint: string) =>
  endpoint === "unknown" ? "—" : `/v1/${endpoint.replace(".", "/")}`;

function StatusText({ row }: { row: RequestRow }) {
  return (
    <>
      <span className={row.status < 400 ? "text-emerald-700" : "text-red-700"}>{row.status}</span>
      {row.errorCode ? <span className="ml-1.5 text-xs text-zinc-500">{row.errorCode}</span> : null}
      {row.streamed ? <span className="ml-1.5 text-xs text-zinc-500">stream</span> : null}
    </>
  );
}

const costText = (row: RequestRow, money: (value: bigint) => string) =>
  `${money(row.cost)}${row.costSource === "estimate" ? "*" : ""}`;
const ESTIMATED = "Estimated: the upstream did not report usage";

export function RecentRequestsTable({ rows, currency }: { rows: RequestRow[]; currency: string }) {
  const money = columnFormat(rows.map((r) => r.cost));
  return (
    <>
      <RecentRequestsWide rows={rows} currency={currency} money={money} />
      {/* On a phone each request is a card: eight columns do not fit. */}
      <ul aria-label="Recent requests" className="space-y-2 md:hidden">
        {rows.map((row) => (
          <li key={row.id} className="rounded-xl border border-zinc-200 bg-white p-3 text-sm">
            <div className="flex items-start justify-between gap-3">
              <p className="min-w-0 truncate font-medium">{row.keyName ?? "—"}</p>
              <p className="shrink-0 whitespace-nowrap">
                <StatusText row={row} />
              </p>
            </div>
            <p className="truncate font-mono text-xs text-zinc-600">
              {row.model} · {endpointPath(row.endpoint)}
            </p>
            <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-4 gap-y-0.5 text-xs">
              <dt className="text-zinc-500">Time</dt>
              <dd>
                <TimeText value={row.at.toISOString()} />
              </dd>
              <dt className="text-zinc-500">Tokens</dt>
              <dd className="tabular-nums">
                {integer.format(row.promptTokens)} in · {integer.format(row.completionTokens)} out
              </dd>
              <dt className="text-zinc-500">Cost</dt>
              <dd
                className="tabular-nums"
                title={row.costSource === "estimate" ? ESTIMATED : undefined}
              >
                {costText(row, money)} {currency}
              </dd>
              <dt className="text-zinc-500">Latency</dt>
              <dd className="tabular-nums">{integer.format(row.latencyMs)} ms</dd>
            </dl>
          </li>
        ))}
      </ul>
    </>
  );
}

function RecentRequestsWide({
  rows,
  currency,
  money,
}: {
  rows: RequestRow[];
  currency: string;
  money: (value: bigint) => string;
}) {
  return (
    <Table
      className="hidden md:block"
      label="Recent requests"
      head={
        <tr>
          <th scope="col" className={th}>
            Time
          </th>
          <th scope="col" className={th}>
            Key
          </th>
          <th scope="col" className={th}>
            Model
          </th>
          <th scope="col" className={th}>
            Status
          </th>
          <th scope="col" className={`${th} text-right`}>
            Input
          </th>
          <th scope="col" className={`${th} text-right`}>
            Output
          </th>
          <th scope="col" className={`${th} text-right`}>
            Cost ({currency})
          </th>
          <th scope="col" className={`${th} text-right`}>
            Latency
          </th>
          <th scope="col" className={th}>
            Endpoint
          </th>
        </tr>
      }
    >
      {rows.map((row) => (
        <tr key={row.id}>
          <td className="whitespace-nowrap px-4 py-2.5 text-zinc-600">
            <TimeText value={row.at.toISOString()} />
          </td>
          <td className="max-w-44 truncate px-4 py-2.5">{row.keyName ?? "—"}</td>
          <td className="max-w-48 truncate px-4 py-2.5 font-mono text-xs">{row.model}</td>
          <td className="whitespace-nowrap px-4 py-2.5">
            <StatusText row={row} />
          </td>
          <td
            className={num}
            title={
              row.cachedInputTokens > 0
                ? `${integer.format(row.cachedInputTokens)} of them cached`
                : undefined
            }
          >
            {integer.format(row.promptTokens)}
          </td>
          <td className={num}>{integer.format(row.completionTokens)}</td>
          <td className={num} title={row.costSource === "estimate" ? ESTIMATED : undefined}>
            {costText(row, money)}
          </td>
          <td className={num}>{integer.format(row.latencyMs)} ms</td>
          <td className="whitespace-nowrap px-4 py-2.5 font-mono text-xs text-zinc-600">
            {endpointPath(row.endpoint)}
          </td>
        </tr>
      ))}
    </Table>
  );
}
