import type { Metadata } from "next";
import { ComingSoon } from "@/components/shell/coming-soon";

export const metadata: Metadata = { title: "Teams · Admin" };

export default function AdminTeamsPage() {
  return <ComingSoon>Teams management will be here.</ComingSoon>;
}
