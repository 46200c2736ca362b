import type { Metadata } from "next";
import { PageHeader } from "@/components/shell/page-header";
import { ComingSoon } from "@/components/shell/coming-soon";

export const metadata: Metadata = { title: "Playground" };

export default function PlaygroundPage() {
  return (
    <>
      <PageHeader title="Playground" description="Try a model before you wire it into an application." />
      <ComingSoon>Pick a model, chat with it as the answer streams in, and copy the exact curl command and OpenAI SDK snippets for your code.</ComingSoon>
    </>
  );
}
