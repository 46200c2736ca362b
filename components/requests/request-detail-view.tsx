import Link from "next/link";
import type { ReactNode } from "react";
import { ArrowLeft } from "lucide-react";
import { PageHeader } from "@/components/shell/page-header";
import { Badge } from "@/components/ui/badge";
import { CopyButton } from "@/components/ui/copy-button";
import { TimeText } from "@/components/ui/time-text";
import { formatMoney } from "@/lib/core/money";
import type { RequestDetail } from "@/lib/requests/request-detail";
import { costLinesOf, timingsOf } from "@/lib/requests/request-view";
import { endpointPath, StatusText } from "./requests-view";

const integer = new Intl.NumberFormat("en-US");
const ms = (value: number | null) => (value === null ? "—" : `${integer.format(value)} ms`);
const th = "px-3 py-2 text-left text-xs font-medium text-zinc-600 sm:px-4";
const td = "px-3 py-2 sm:px-4";

const KIND_LABEL = {
  input: "Input",
  cached_input: "Cached input",
  cache_write: "Cache write",
  output: "Output",
} as const;

const SOURCE_TEXT = {
  upstream: "From the tokens the upstream reported, at the answering model's prices.",
  estimate:
    "Estimated: the upstream did not report usage, so the tokens were counted here with the model's tokenizer.",
  none: "Not charged: no upstream answered.",
} as const;

function Card({ title, children }: { title: string; children: ReactNode }) {
  const id = `detail-${title.toLowerCase().replace(/\W+/g, "-")}`;
  return (
    <section
      aria-labelledby={id}
      className="min-w-0 rounded-xl border border-zinc-200 bg-white p-4"
    >
      <h2 id={id} className="mb-3 text-sm font-semibold">
        {title}
      </h2>
      {children}
    </section>
  );
}

function Facts({ items }: { items: [string, ReactNode][] }) {
  return (
    <dl className="grid grid-cols-[minmax(7rem,auto)_minmax(0,1fr)] gap-x-4 gap-y-1.5 text-sm">
      {items.map(([term, value]) => (
        <div key={term} className="contents">
          <dt className="text-zinc-500">{term}</dt>
          <dd className="min-w-0 break-words">{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** One request's detail (PRODUCT.md, "Seeing every request"): what, who, how long, what it cost. */
export function RequestDetailView({
  detail,
  backHref,
  currency,
}: {
  detail: RequestDetail;
  backHref: string;
  currency: string;
}) {
  const timings = timingsOf(detail);
  const lines = costLinesOf(detail);
  const asked = detail.attempts[0]?.model ?? detail.model;
  const answered = detail.deploymentId ? detail.model : null;
  return (
    <div className="space-y-4">
      <Link href={backHref} className="inline-flex items-center gap-1 text-sm text-brand-700">
        <ArrowLeft aria-hidden className="h-4 w-4" /> All requests
      </Link>
      <PageHeader
        title="Request"
        description={
          <span className="flex flex-wrap items-center gap-2">
            <code className="break-all font-mono text-xs">{detail.requestId}</code>
            <CopyButton text={detail.requestId} what="request ID" />
          </span>
        }
        actions={
          <Badge tone={detail.status < 400 ? "green" : "red"}>
            {detail.status}
            {detail.errorCode ? ` ${detail.errorCode}` : ""}
          </Badge>
        }
      />
      <div className="grid gap-4 lg:grid-cols-2">
        <Card title="Overview">
          <Facts
            items={[
              ["Time", <TimeText key="t" value={detail.at.toISOString()} />],
              ["Status", <StatusText key="s" row={detail} />],
              ["Endpoint", <code key="e">{endpointPath(detail.endpoint)}</code>],
              ["Model asked", <code key="m">{asked}</code>],
              [
                "Answered by",
                answered ? (
                  <span key="a">
                    <code>{answered}</code>
                    {answered !== asked ? (
                      <Badge tone="amber" className="ml-2">
                        fallback
                      </Badge>
                    ) : null}
                  </span>
                ) : (
                  "No deployment answered"
                ),
              ],
              [
                "Deployment",
                detail.deploymentId ? (
                  <span key="d" className="font-mono text-xs">
                    {detail.deploymentProvider ? `${detail.deploymentProvider} · ` : ""}
                    {detail.deploymentId}
                  </span>
                ) : (
                  "—"
                ),
              ],
              ["Key", detail.keyName ? `${detail.keyName} (${detail.keyDisplay})` : "Deleted key"],
              ["Owner", detail.team ? `Team ${detail.team.name}` : "Personal"],
              ["User", detail.user ? `${detail.user.name} (${detail.user.email})` : "—"],
              ["Client address", detail.clientIp ?? "—"],
              [
                "User agent",
                <span key="ua" className="font-mono text-xs">
                  {detail.userAgent ?? "—"}
                </span>,
              ],
              [
                "Row ID",
                <span key="id" className="font-mono text-xs">
                  {detail.id}
                </span>,
              ],
            ]}
          />
        </Card>
        <div className="space-y-4">
          <Card title="Timings">
            <Facts
              items={[
                ["Queue", ms(timings.queue_ms)],
                ["Time to first byte", ms(timings.ttfb_ms)],
                ["Upstream", ms(timings.upstream_ms)],
                ["Total", ms(timings.total_ms)],
                [
                  "Tokens per second",
                  timings.tokens_per_second === null ? "—" : String(timings.tokens_per_second),
                ],
              ]}
            />
          </Card>
          <Card title="Tokens and cost">
            <Facts
              items={[
                ["Input", integer.format(detail.promptTokens)],
                ...(detail.cachedInputTokens > 0
                  ? [
                      ["of them cached", integer.format(detail.cachedInputTokens)] as [
                        string,
                        string,
                      ],
                    ]
                  : []),
                ...(detail.cacheWriteTokens > 0
                  ? [
                      ["of them cache writes", integer.format(detail.cacheWriteTokens)] as [
                        string,
                        string,
                      ],
                    ]
                  : []),
                ["Output", integer.format(detail.completionTokens)],
                ["Cost", `${formatMoney(detail.cost)} ${currency}`],
              ]}
            />
            <p className="mt-3 text-xs text-zinc-600">{SOURCE_TEXT[detail.costSource]}</p>
            {lines.length > 0 ? (
              <table aria-label="How the cost was derived" className="mt-2 w-full text-sm">
                <thead>
                  <tr>
                    <th scope="col" className={th}>
                      Tokens
                    </th>
                    <th scope="col" className={`${th} text-right`}>
                      Count
                    </th>
                    <th scope="col" className={`${th} text-right`}>
                      Price per 1M ({currency})
                    </th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-zinc-100">
                  {lines.map((line) => (
                    <tr key={line.kind}>
                      <td className={td}>{KIND_LABEL[line.kind]}</td>
                      <td className={`${td} text-right tabular-nums`}>
                        {integer.format(line.tokens)}
                      </td>
                      <td className={`${td} text-right tabular-nums`}>{line.price_per_million}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : null}
          </Card>
        </div>
      </div>
      <Card title="Attempts">
        {detail.attempts.length === 0 ? (
          <p className="text-sm text-zinc-600">No upstream was called.</p>
        ) : (
          <div className="overflow-x-auto">
            <table aria-label="Attempts" className="min-w-full text-sm">
              <thead className="bg-zinc-50">
                <tr>
                  <th scope="col" className={th}>
                    #
                  </th>
                  <th scope="col" className={th}>
                    Model
                  </th>
                  <th scope="col" className={th}>
                    Outcome
                  </th>
                  <th scope="col" className={`${th} text-right`}>
                    Status
                  </th>
                  <th scope="col" className={`${th} text-right`}>
                    First byte
                  </th>
                  <th scope="col" className={th}>
                    Deployment
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-zinc-100">
                {detail.attempts.map((a, i) => (
                  <tr key={i} data-testid="attempt">
                    <td className={td}>{i + 1}</td>
                    <td className={`${td} font-mono text-xs`}>{a.model}</td>
                    <td className={td}>
                      <Badge tone={a.outcome === "ok" ? "green" : "amber"}>{a.outcome}</Badge>
                    </td>
                    <td className={`${td} text-right tabular-nums`}>{a.status ?? "—"}</td>
                    <td className={`${td} text-right tabular-nums`}>{ms(a.ttfbMs)}</td>
                    <td className={`${td} font-mono text-xs text-zinc-600`}>{a.deployment}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
      <Card title="Payload">
        {detail.payload ? (
          <div className="space-y-3">
            <p className="text-xs text-zinc-600">
              Captured <TimeText value={detail.payload.createdAt.toISOString()} />. Credentials in
              headers are never captured.
            </p>
            <PayloadBlock
              title="Request headers"
              text={JSON.stringify(detail.payload.requestHeaders, null, 2)}
              truncated={false}
            />
            <PayloadBlock
              title="Request body"
              text={detail.payload.requestBody}
              truncated={detail.payload.requestTruncated}
            />
            <PayloadBlock
              title="Response body"
              text={detail.payload.responseBody}
              truncated={detail.payload.responseTruncated}
            />
          </div>
        ) : (
          <p className="text-sm text-zinc-600">
            Not captured. Payload capture is off unless an admin turns it on for this key, its team
            or the whole install.
          </p>
        )}
      </Card>
    </div>
  );
}

function PayloadBlock({
  title,
  text,
  truncated,
}: {
  title: string;
  text: string | null;
  truncated: boolean;
}) {
  return (
    <div>
      <h3 className="mb-1 text-xs font-semibold text-zinc-700">
        {title}
        {truncated ? (
          <Badge tone="amber" className="ml-2">
            truncated
          </Badge>
        ) : null}
      </h3>
      <pre className="max-h-96 overflow-auto whitespace-pre-wrap break-all rounded-md bg-zinc-50 p-3 font-mono text-xs text-zinc-800">
        {text ?? "(empty)"}
      </pre>
    </div>
  );
}
