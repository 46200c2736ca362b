import type { Metadata } from "next";
import { ComingSoon } from "@/components/shell/coming-soon";

export const metadata: Metadata = { title: "Models · Admin" };

export default function AdminModelsPage() {
  return <ComingSoon>Models management will be here.</ComingSoon>;
}
