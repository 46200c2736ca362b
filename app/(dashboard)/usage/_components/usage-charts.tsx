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
const compact = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });
const shortDay = (date: string) => {
  const [, month, day] = date.split("-");
  return `${Number(day)} ${["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][Number(month) - 1]}`;
};

/** Small spend (a demo model costs micro-units) needs its significant digits, not "0.00". */
function spendTick(value: number): string {
  if (value === 0) return "0";
  if (Math.abs(value) < 1) return String(Number(value.toPrecision(2)));
  return compact.format(value);
}

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
    <figure className="min-w-0 rounded-xl border border-zinc-200 bg-white p-4">
      <figcaption className="mb-3">
        <span className="block text-sm font-medium text-zinc-900">{title}</span>
        <span className="sr-only">{summary}</span>
      </figcaption>
      <div className="h-52">{children}</div>
    </figure>
  );
}

const axis = { fontSize: 11, fill: "#71717a" };

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
      minTickGap={16}
    />
  );
  const grid = <CartesianGrid vertical={false} stroke="#e4e4e7" />;
  const tooltipLabel = (label: unknown) => shortDay(String(label));

  return (
    <div className="grid gap-4 lg:grid-cols-3">
      <ChartCard title={`Spend (${currency})`} summary={spendSummary}>
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={days} margin={{ top: 4, right: 4, bottom: 0, left: 0 }}>
            {grid}
            {xAxis}
            <YAxis
              tick={axis}
              tickLine={false}
              axisLine={false}
              width={64}
              tickFormatter={spendTick}
            />
            <Tooltip
              labelFormatter={tooltipLabel}
              formatter={(v) => [money(Number(v), currency), "Spend"]}
              cursor={{ fill: "#f4f4f5" }}
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
          <BarChart data={days} margin={{ top: 4, right: 4, bottom: 0, left: 0 }}>
            {grid}
            {xAxis}
            <YAxis
              tick={axis}
              tickLine={false}
              axisLine={false}
              width={40}
              allowDecimals={false}
              tickFormatter={(v: number) => compact.format(v)}
            />
            <Tooltip
              labelFormatter={tooltipLabel}
              formatter={(v) => [integer.format(Number(v)), "Requests"]}
              cursor={{ fill: "#f4f4f5" }}
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
          <BarChart data={days} margin={{ top: 4, right: 4, bottom: 0, left: 0 }}>
            {grid}
            {xAxis}
            <YAxis
              tick={axis}
              tickLine={false}
              axisLine={false}
              width={40}
              allowDecimals={false}
              tickFormatter={(v: number) => compact.format(v)}
            />
            <Tooltip
              labelFormatter={tooltipLabel}
              formatter={(v, name) => [integer.format(Number(v)), name]}
              cursor={{ fill: "#f4f4f5" }}
            />
            <Legend iconType="circle" iconSize={8} wrapperStyle={{ fontSize: 12 }} />
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
