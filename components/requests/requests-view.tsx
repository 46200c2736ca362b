import Link from "next/link";
import { buttonClass } from "@/components/ui/button";
import { inputClass } from "@/components/ui/field";
import { TimeText } from "@/components/ui/time-text";
import { columnFormat } from "@/lib/format/column-money";
import type { RequestPage } from "@/lib/requests/list-requests";
import type { FilterErrors } from "@/lib/requests/requests-page-query";
import type { RequestRow } from "@/lib/requests/request-row";
import {
  ENDPOINTS,
  PAGE_SIZES,
  type RequestsPageFilters,
} from "@/lib/requests/requests-page-query";

const integer = new Intl.NumberFormat("en-US");
const th = "px-3 py-2.5 font-medium sm:px-4";
const num = "px-3 py-2.5 text-right tabular-nums whitespace-nowrap sm:px-4";
const label = "block text-xs font-medium text-zinc-600";

export const endpointPath = (endpoint: string) =>
  endpoint === "unknown" ? "—" : `/v1/${endpoint.replace(".", "/")}`;

export interface Option {
  id: string;
  name: string;
}

/**
 * The Requests list, server-rendered: a GET form of filters (works before any script loads,
 * and the URL keeps them), a table on a desktop and cards on a phone, newest first, each row
 * opening its detail; "Older requests" follows the keyset cursor.
 */
export function RequestsView({
  page,
  filters,
  basePath,
  currency,
  keys,
  teams,
  models,
  deployments,
  userFilter = false,
}: {
  page: RequestPage & { fieldErrors?: FilterErrors };
  filters: RequestsPageFilters;
  basePath: string;
  currency: string;
  keys: Option[] | null;
  teams: Option[];
  models: string[];
  deployments: Option[];
  /** Admin → Requests: filter by the user who created the key, by email. */
  userFilter?: boolean;
}) {
  const errors = page.fieldErrors ?? {};
  const invalid = Object.keys(errors).length > 0;
  const { cursor, ...kept } = filters;
  const href = (params: Record<string, string | undefined>) => {
    const search = new URLSearchParams(
      Object.entries(params).filter((e): e is [string, string] => !!e[1]),
    );
    return search.size ? `${basePath}?${search}` : basePath;
  };
  const filtered = Object.values(kept).some(Boolean);
  const money = columnFormat(page.rows.map((r) => r.cost));
  return (
    <div className="space-y-4">
      {/* Keyed by the filters: a client-side navigation (Clear, Newest) must show the new
          filters, and uncontrolled fields keep their old values unless the form remounts. */}
      <form
        key={JSON.stringify(kept)}
        method="get"
        action={basePath}
        role="search"
        aria-label="Filter requests"
        className="grid grid-cols-2 gap-2 md:grid-cols-4 lg:flex lg:flex-wrap lg:items-end"
      >
        <label className="col-span-2 space-y-1 lg:w-56">
          <span className={label}>Request ID</span>
          <input
            type="search"
            name="q"
            defaultValue={filters.q}
            placeholder="req_… or its beginning"
            className={inputClass}
          />
        </label>
        <label className="space-y-1 lg:w-36">
          <span className={label}>Status</span>
          <select name="status" defaultValue={filters.status} className={inputClass}>
            <option value="">Any</option>
            <option value="success">Success</option>
            <option value="error">Errors</option>
            <option value="4xx">4xx</option>
            <option value="5xx">5xx</option>
            <option value="429">429</option>
          </select>
        </label>
        <label className="space-y-1 lg:w-48">
          <span className={label}>Model</span>
          <select name="model" defaultValue={filters.model} className={inputClass}>
            <option value="">Any</option>
            {models.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </label>
        {keys ? (
          <label className="space-y-1 lg:w-44">
            <span className={label}>Key</span>
            <select name="key" defaultValue={filters.key} className={inputClass}>
              <option value="">Any</option>
              {keys.map((k) => (
                <option key={k.id} value={k.id}>
                  {k.name}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        {teams.length > 0 ? (
          <label className="space-y-1 lg:w-44">
            <span className={label}>Team</span>
            <select name="team" defaultValue={filters.team} className={inputClass}>
              <option value="">Any</option>
              {teams.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        {userFilter ? (
          <FilterInput
            name="user"
            label="User (email)"
            type="email"
            value={filters.user}
            error={errors.user}
            placeholder="who created the key"
            className="col-span-2 lg:w-56"
          />
        ) : null}
        <div className="space-y-1 lg:w-56">
          <label className="block space-y-1">
            <span className={label}>Deployment</span>
            <select
              name="deployment"
              defaultValue={filters.deployment}
              aria-invalid={errors.deployment ? true : undefined}
              aria-describedby={errors.deployment ? "filter-deployment-error" : undefined}
              className={inputClass}
            >
              <option value="">Any</option>
              {deployments.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name}
                </option>
              ))}
            </select>
          </label>
          {errors.deployment ? (
            <p id="filter-deployment-error" className="text-xs text-red-600">
              {errors.deployment}
            </p>
          ) : null}
        </div>
        <FilterInput
          name="error_code"
          label="Error code"
          value={filters.error_code}
          error={errors.error_code}
          placeholder="rate_limit_exceeded"
          className="lg:w-48"
        />
        <label className="space-y-1 lg:w-44">
          <span className={label}>Endpoint</span>
          <select name="endpoint" defaultValue={filters.endpoint} className={inputClass}>
            <option value="">Any</option>
            {ENDPOINTS.map((e) => (
              <option key={e} value={e}>
                {endpointPath(e)}
              </option>
            ))}
          </select>
        </label>
        <label className="space-y-1 lg:w-32">
          <span className={label}>Streamed</span>
          <select name="streamed" defaultValue={filters.streamed} className={inputClass}>
            <option value="">Either</option>
            <option value="true">Streamed</option>
            <option value="false">Not streamed</option>
          </select>
        </label>
        <label className="space-y-1 lg:w-36">
          <span className={label}>Slower than (ms)</span>
          <input
            type="number"
            name="min_ms"
            min={0}
            inputMode="numeric"
            defaultValue={filters.min_ms}
            className={inputClass}
          />
        </label>
        <FilterInput
          name="min_cost"
          label={`Costlier than (${currency})`}
          value={filters.min_cost}
          error={errors.min_cost}
          inputMode="decimal"
          placeholder="0.01"
          className="lg:w-36"
        />
        <label className="space-y-1 lg:w-40">
          <span className={label}>From</span>
          <input type="date" name="from" defaultValue={filters.from} className={inputClass} />
        </label>
        <label className="space-y-1 lg:w-40">
          <span className={label}>To</span>
          <input type="date" name="to" defaultValue={filters.to} className={inputClass} />
        </label>
        <label className="space-y-1 lg:w-24">
          <span className={label}>Per page</span>
          <select name="per" defaultValue={filters.per || "50"} className={inputClass}>
            {PAGE_SIZES.map((size) => (
              <option key={size} value={size}>
                {size}
              </option>
            ))}
          </select>
        </label>
        <div className="flex gap-2">
          <button type="submit" className={buttonClass("secondary")}>
            Filter
          </button>
          {filtered ? (
            <Link href={basePath} className={buttonClass("ghost")}>
              Clear
            </Link>
          ) : null}
        </div>
      </form>
      {page.rows.length === 0 ? (
        <div className="rounded-xl border border-dashed border-zinc-300 bg-white px-6 py-10 text-center text-sm text-zinc-600">
          {invalid
            ? "Nothing is listed until the filters marked above are fixed."
            : filtered
              ? "No requests match these filters."
              : "No requests yet. Requests made through /v1 show up here within a few seconds."}
        </div>
      ) : (
        <>
          <RequestsTable rows={page.rows} basePath={basePath} currency={currency} money={money} />
          <ul aria-label="Requests" className="space-y-2 md:hidden">
            {page.rows.map((row) => (
              <li key={row.id} data-testid="request-row">
                <Link
                  href={`${basePath}/${row.id}`}
                  className="block rounded-xl border border-zinc-200 bg-white p-3 text-sm hover:border-brand-300"
                >
                  <div className="flex items-start justify-between gap-3">
                    <p className="min-w-0 truncate font-mono text-xs">{row.model}</p>
                    <p className="shrink-0 whitespace-nowrap">
                      <StatusText row={row} />
                    </p>
                  </div>
                  <p className="truncate text-xs text-zinc-600">
                    {row.keyName ?? "—"} · {endpointPath(row.endpoint)}
                  </p>
                  <p className="mt-1 flex flex-wrap gap-x-3 text-xs text-zinc-600">
                    <TimeText value={row.at.toISOString()} />
                    <span className="tabular-nums">
                      {integer.format(row.promptTokens)} in · {integer.format(row.completionTokens)}{" "}
                      out
                    </span>
                    <span className="tabular-nums">
                      {money(row.cost)} {currency}
                    </span>
                    <span className="tabular-nums">{integer.format(row.latencyMs)} ms</span>
                  </p>
                </Link>
              </li>
            ))}
          </ul>
        </>
      )}
      <div className="flex gap-2">
        {cursor ? (
          <Link href={href(kept)} className={buttonClass("ghost")}>
            Newest
          </Link>
        ) : null}
        {page.nextCursor ? (
          <Link
            href={href({ ...kept, cursor: page.nextCursor })}
            className={buttonClass("secondary")}
          >
            Older requests
          </Link>
        ) : null}
      </div>
    </div>
  );
}

/** A typed filter with its error right under it, linked for screen readers. */
function FilterInput({
  name,
  label: text,
  value,
  error,
  className,
  type = "text",
  inputMode,
  placeholder,
}: {
  name: keyof FilterErrors;
  label: string;
  value: string;
  error?: string;
  className?: string;
  type?: "text" | "email";
  inputMode?: "decimal";
  placeholder?: string;
}) {
  const errorId = `filter-${name}-error`;
  // The error sits outside the label: it describes the field, it is not part of its name.
  return (
    <div className={`space-y-1 ${className ?? ""}`}>
      <label className="block space-y-1">
        <span className={label}>{text}</span>
        <input
          type={type}
          name={name}
          defaultValue={value}
          inputMode={inputMode}
          placeholder={placeholder}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? errorId : undefined}
          className={inputClass}
        />
      </label>
      {error ? (
        <p id={errorId} className="text-xs text-red-600">
          {error}
        </p>
      ) : null}
    </div>
  );
}

export function StatusText({
  row,
}: {
  row: Pick<RequestRow, "status" | "errorCode" | "streamed">;
}) {
  return (
    <>
      <span className={row.status < 400 ? "text-emerald-700" : "text-red-700"}>{row.status}</span>
      {row.errorCode ? <span className="ml-1.5 text-xs text-zinc-500">{row.errorCode}</span> : null}
      {row.streamed ? <span className="ml-1.5 text-xs text-zinc-500">stream</span> : null}
    </>
  );
}

function RequestsTable({
  rows,
  basePath,
  currency,
  money,
}: {
  rows: RequestRow[];
  basePath: string;
  currency: string;
  money: (value: bigint) => string;
}) {
  return (
    <div className="hidden overflow-x-auto rounded-xl border border-zinc-200 bg-white md:block">
      <table aria-label="Requests" className="min-w-full text-sm">
        <thead className="bg-zinc-50 text-left text-xs font-semibold text-zinc-600">
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
              Tokens
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
        </thead>
        <tbody className="divide-y divide-zinc-100">
          {rows.map((row) => (
            <tr key={row.id} data-testid="request-row" className="hover:bg-zinc-50">
              <td className="whitespace-nowrap px-4 py-2.5 text-zinc-600">
                <Link
                  href={`${basePath}/${row.id}`}
                  className="font-medium text-brand-700 hover:underline"
                  aria-label={`Request ${row.requestId}`}
                >
                  <TimeText value={row.at.toISOString()} />
                </Link>
              </td>
              <td className="max-w-44 truncate px-4 py-2.5">{row.keyName ?? "—"}</td>
              <td className="max-w-48 truncate px-4 py-2.5 font-mono text-xs">
                {row.model}
                {row.attempts.length > 1 ? (
                  <span className="ml-1.5 font-sans text-zinc-500">
                    {row.attempts.length} attempts
                  </span>
                ) : null}
              </td>
              <td className="whitespace-nowrap px-4 py-2.5">
                <StatusText row={row} />
              </td>
              <td className={num}>
                {integer.format(row.promptTokens)} / {integer.format(row.completionTokens)}
              </td>
              <td className={num}>{money(row.cost)}</td>
              <td className={num}>{integer.format(row.latencyMs)} ms</td>
              <td className="whitespace-nowrap px-4 py-2.5 font-mono text-xs text-zinc-600">
                {endpointPath(row.endpoint)}
                {row.payloadCaptured ? (
                  <span className="ml-1.5 font-sans text-zinc-500">payload</span>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
