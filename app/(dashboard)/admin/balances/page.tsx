import type { Metadata } from "next";
import { ComingSoon } from "@/components/shell/coming-soon";

export const metadata: Metadata = { title: "Balances · Admin" };

export default function AdminBalancesPage() {
  return <ComingSoon>Balances management will be here.</ComingSoon>;
}
