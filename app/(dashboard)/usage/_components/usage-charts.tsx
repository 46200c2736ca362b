"use client";

import type { ReactNode } from "react";
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { formatAmount } from "@/lib/format/money";
import { axisWidth, integerTicks, niceTicks, tickFormat } from "./chart-axes";

export interface ChartDay {
  date: string;
  /** Currency units, for plotting only: tables and totals show the exact decimal strings. */
  spend: number;
  requests: number;
  promptTokens: number;
  completionTokens: number;
}

// A fixed locale: the server and the browser must print the same digits.
const integer = new Intl.NumberFormat("en-US");
const shortDay = (date: string) => {
  const [, month, day] = date.split("-");
  return `${Number(day)} ${["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][Number(month) - 1]}`;
};

function money(value: number, currency: string): string {
  return `${formatAmount(BigInt(Math.round(value * 1_000_000)))} ${currency}`;
}

function ChartCard({
  title,
  summary,
  children,
}: {
  title: string;
  summary: string;
  children: ReactNode;
}) {
  return (
    <figure data-chart className="min-w-0 rounded-xl border border-zinc-200 bg-white p-4">
      <figcaption className="mb-3">
        <span className="block text-sm font-medium text-zinc-900">{title}</span>
        <span className="sr-only">{summary}</span>
      </figcaption>
      <div className="h-52">{children}</div>
    </figure>
  );
}

/*
 * Colours come from the theme's variables (globals.css swaps them in dark mode), so the
 * grid, ticks, cursor and tooltip follow the light or dark theme; fixed hex values did not.
 */
const axis = { fontSize: 11, fill: "var(--color-zinc-600)" };
const cursor = { fill: "var(--color-zinc-100)" };
const tooltipStyle = {
  backgroundColor: "var(--color-white)",
  border: "1px solid var(--color-zinc-200)",
  borderRadius: 8,
  color: "var(--color-zinc-900)",
};
/*
 * Room right of the last bar for half of its date label ("7 Dec" is centred on the bar; with
 * 4 px it was cut to "7 De").
 */
const MARGIN = { top: 4, right: 18, bottom: 0, left: 0 };
/** At most this many dates on the x axis, the same ones on every chart, ending at the last day. */
const MAX_X_TICKS = 5;

/** Evenly spaced dates counted back from the last day, so the three charts tick the same days. */
export function xTicks(dates: string[], max = MAX_X_TICKS): string[] {
  if (dates.length <= max) return dates;
  const step = Math.ceil((dates.length - 1) / (max - 1));
  const ticks: string[] = [];
  for (let i = dates.length - 1; i >= 0; i -= step) ticks.unshift(dates[i]);
  return ticks;
}

/** Spend, requests and tokens per UTC day of the range. */
export function UsageCharts({ days, currency }: { days: ChartDay[]; currency: string }) {
  const busiest = days.reduce((best, d) => (d.spend > best.spend ? d : best), days[0]);
  const spendSummary = busiest
    ? `Highest spend ${money(busiest.spend, currency)} on ${busiest.date}.`
    : "No data.";
  const requestSummary = `${integer.format(days.reduce((s, d) => s + d.requests, 0))} requests over ${days.length} days.`;
  const tokenSummary = `${integer.format(days.reduce((s, d) => s + d.promptTokens + d.completionTokens, 0))} tokens over ${days.length} days.`;
  const xAxis = (
    <XAxis
      dataKey="date"
      tickFormatter={shortDay}
      tick={axis}
      tickLine={false}
      axisLine={false}
      ticks={xTicks(days.map((d) => d.date))}
      interval={0}
    />
  );
  const grid = <CartesianGrid vertical={false} stroke="var(--color-zinc-200)" />;
  const spendTicks = niceTicks(Math.max(0, ...days.map((d) => d.spend)));
  const requestTicks = integerTicks(Math.max(0, ...days.map((d) => d.requests)));
  const tokenTicks = integerTicks(
    Math.max(0, ...days.map((d) => d.promptTokens + d.completionTokens)),
  );
  const spendLabel = tickFormat(spendTicks);
  const requestLabel = tickFormat(requestTicks);
  const tokenLabel = tickFormat(tokenTicks);
  // One width for the three y axes, that of the longest label, so that every label is whole
  // and the three plots (and the days under them) line up.
  const yWidth = axisWidth([
    ...spendTicks.map(spendLabel),
    ...requestTicks.map(requestLabel),
    ...tokenTicks.map(tokenLabel),
  ]);
  const yAxis = (ticks: number[], label: (value: number) => string) => (
    <YAxis
      tick={axis}
      tickLine={false}
      axisLine={false}
      width={yWidth}
      ticks={ticks}
      domain={[0, ticks[ticks.length - 1]]}
      interval={0}
      tickFormatter={label}
    />
  );
  const tooltipLabel = (label: unknown) => shortDay(String(label));

  return (
    <div className="grid gap-4 lg:grid-cols-3">
      <ChartCard title={`Spend (${currency})`} summary={spendSummary}>
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={days} margin={MARGIN}>
            {grid}
            {xAxis}
            {yAxis(spendTicks, spendLabel)}
            <Tooltip
              labelFormatter={tooltipLabel}
              formatter={(v) => [money(Number(v), currency), "Spend"]}
              cursor={cursor}
              contentStyle={tooltipStyle}
            />
            <Bar
              dataKey="spend"
              name="Spend"
              fill="#4f46e5"
              radius={[3, 3, 0, 0]}
              isAnimationActive={false}
            />
          </BarChart>
        </ResponsiveContainer>
      </ChartCard>
      <ChartCard title="Requests" summary={requestSummary}>
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={days} margin={MARGIN}>
            {grid}
            {xAxis}
            {yAxis(requestTicks, requestLabel)}
            <Tooltip
              labelFormatter={tooltipLabel}
              formatter={(v) => [integer.format(Number(v)), "Requests"]}
              cursor={cursor}
              contentStyle={tooltipStyle}
            />
            <Bar
              dataKey="requests"
              name="Requests"
              fill="#0ea5e9"
              radius={[3, 3, 0, 0]}
              isAnimationActive={false}
            />
          </BarChart>
        </ResponsiveContainer>
      </ChartCard>
      <ChartCard title="Tokens" summary={tokenSummary}>
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={days} margin={MARGIN}>
            {grid}
            {xAxis}
            {yAxis(tokenTicks, tokenLabel)}
            <Tooltip
              labelFormatter={tooltipLabel}
              formatter={(v, name) => [integer.format(Number(v)), name]}
              cursor={cursor}
              contentStyle={tooltipStyle}
            />
            <Legend
              iconType="circle"
              iconSize={8}
              wrapperStyle={{ fontSize: 12, color: "var(--color-zinc-700)" }}
            />
            <Bar
              dataKey="promptTokens"
              name="Input"
              stackId="tokens"
              fill="#a5b4fc"
              isAnimationActive={false}
            />
            <Bar
              dataKey="completionTokens"
              name="Output"
              stackId="tokens"
              fill="#4f46e5"
              radius={[3, 3, 0, 0]}
              isAnimationActive={false}
            />
          </BarChart>
        </ResponsiveContainer>
      </ChartCard>
    </div>
  );
}
