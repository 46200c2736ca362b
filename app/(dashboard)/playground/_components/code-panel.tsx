"use client";

import { clsx } from "clsx";
import { useId, useState } from "react";
import {
  curlSnippet,
  embeddingsSnippet,
  endpointUrl,
  nodeSnippet,
  pythonSnippet,
  responsesSnippet,
  type SnippetInput,
} from "@/lib/playground/snippets";
import { CopyButton } from "@/components/ui/copy-button";

const TABS = [
  { id: "curl", label: "curl", build: curlSnippet, what: "curl command" },
  { id: "python", label: "Python", build: pythonSnippet, what: "Python snippet" },
  { id: "node", label: "Node.js", build: nodeSnippet, what: "Node.js snippet" },
  { id: "responses", label: "Responses", build: responsesSnippet, what: "Responses API snippet" },
  { id: "embeddings", label: "Embeddings", build: embeddingsSnippet, what: "embeddings snippet" },
] as const;

/** The endpoint and the code that reproduces the current request, each with Copy. */
export function CodePanel({ input }: { input: SnippetInput }) {
  const [tab, setTab] = useState<(typeof TABS)[number]["id"]>("curl");
  const baseId = useId();
  const current = TABS.find((t) => t.id === tab)!;
  const code = current.build(input);
  const endpoint = endpointUrl(input.baseUrl);

  return (
    <section
      aria-labelledby={`${baseId}-title`}
      className="rounded-xl border border-zinc-200 bg-white p-4"
    >
      <h2 id={`${baseId}-title`} className="text-sm font-semibold">
        Use it from your code
      </h2>
      <p className="mt-1 text-xs text-zinc-600">
        Replace <code className="rounded bg-zinc-100 px-1">$API_KEY</code> with one of your API
        keys, or export it as <code className="rounded bg-zinc-100 px-1">API_KEY</code>.
      </p>

      <div className="mt-3 space-y-1.5">
        <p id={`${baseId}-endpoint-label`} className="text-xs font-medium text-zinc-700">
          Endpoint URL
        </p>
        <div className="flex items-start gap-2">
          {/* Wrapped rather than an input that cuts the URL off in this narrow column. */}
          <code
            aria-labelledby={`${baseId}-endpoint-label`}
            className="block min-w-0 flex-1 rounded-md border border-zinc-300 bg-zinc-50 px-2.5 py-1.5 font-mono text-xs [overflow-wrap:anywhere]"
          >
            {endpoint}
          </code>
          <CopyButton text={endpoint} what="endpoint URL" />
        </div>
      </div>

      <div className="mt-4 flex items-center justify-between gap-2">
        <div
          role="tablist"
          aria-label="Code language"
          className="flex flex-wrap gap-1 rounded-lg bg-zinc-100 p-0.5"
        >
          {TABS.map((t) => (
            <button
              key={t.id}
              type="button"
              role="tab"
              id={`${baseId}-tab-${t.id}`}
              aria-selected={t.id === tab}
              aria-controls={`${baseId}-panel`}
              onClick={() => setTab(t.id)}
              className={clsx(
                "rounded-md px-2.5 py-1 text-xs font-medium",
                t.id === tab
                  ? "bg-white text-zinc-900 shadow-xs"
                  : "text-zinc-600 hover:text-zinc-900",
              )}
            >
              {t.label}
            </button>
          ))}
        </div>
        <CopyButton text={code} what={current.what} />
      </div>
      <div
        id={`${baseId}-panel`}
        role="tabpanel"
        aria-labelledby={`${baseId}-tab-${tab}`}
        className="mt-2"
      >
        <pre
          aria-label={current.what}
          className="max-h-96 overflow-auto whitespace-pre-wrap rounded-md bg-zinc-900 p-3 text-xs leading-relaxed text-zinc-100 [overflow-wrap:anywhere]"
        >
          {code}
        </pre>
      </div>
    </section>
  );
}
