import type { Metadata } from "next";
import { PageHeader } from "@/components/shell/page-header";
import { ComingSoon } from "@/components/shell/coming-soon";

export const metadata: Metadata = { title: "Usage" };

export default function UsagePage() {
  return (
    <>
      <PageHeader title="Usage" description="Spend, requests and tokens over time." />
      <ComingSoon>Charts of spend, requests and tokens per key and per model, your balance, and a CSV export.</ComingSoon>
    </>
  );
}
