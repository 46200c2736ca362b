import type { Metadata } from "next";
import { PageHeader } from "@/components/shell/page-header";
import { ComingSoon } from "@/components/shell/coming-soon";

export const metadata: Metadata = { title: "API Keys" };

export default function ApiKeysPage() {
  return (
    <>
      <PageHeader title="API Keys" description="Keys let your applications call models through this gateway." />
      <ComingSoon>Create personal and team keys, see what each one spends, set limits and expiry, and revoke a key in one click.</ComingSoon>
    </>
  );
}
