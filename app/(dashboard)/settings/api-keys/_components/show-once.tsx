"use client";

import { Check, Copy, TriangleAlert } from "lucide-react";
import { useState } from "react";
import { Button } from "@/components/ui/button";

/** Writes to the clipboard; falls back to selecting the text where the Clipboard API is unavailable (http, old browsers). */
async function copyText(text: string, fallback: HTMLInputElement | null): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    fallback?.select();
    return document.execCommand?.("copy") ?? false;
  }
}

export function curlCommand(baseUrl: string, key: string, type: "model_serving" | "management"): string {
  if (type === "management") {
    return `curl ${baseUrl}/api/v1/me \\\n  -H "Authorization: Bearer ${key}"`;
  }
  return [
    `curl ${baseUrl}/v1/chat/completions \\`,
    `  -H "Authorization: Bearer ${key}" \\`,
    `  -H "Content-Type: application/json" \\`,
    `  -d '{"model": "modelbridge/echo", "messages": [{"role": "user", "content": "Hello!"}]}'`,
  ].join("\n");
}

/** The full key, shown this once, with a copy button and a command that works as pasted. */
export function ShowOnce({ keyValue, type, baseUrl, onDone }: { keyValue: string; type: "model_serving" | "management"; baseUrl: string; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  const [input, setInput] = useState<HTMLInputElement | null>(null);
  return (
    <div className="space-y-4">
      <div role="note" className="flex gap-2 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
        <TriangleAlert aria-hidden className="mt-0.5 h-4 w-4 shrink-0" />
        <p>
          <strong>Copy this key now. It will not be shown again.</strong> ModelBridge keeps only a hash of it; if you lose it, revoke it and create a new one.
        </p>
      </div>
      <div className="space-y-1.5">
        <label htmlFor="new-api-key" className="block text-sm font-medium text-zinc-800">
          Your new API key
        </label>
        <div className="flex gap-2">
          <input
            id="new-api-key"
            ref={setInput}
            readOnly
            value={keyValue}
            onFocus={(e) => e.currentTarget.select()}
            className="block w-full min-w-0 rounded-md border border-zinc-300 bg-zinc-50 px-3 py-2 font-mono text-sm"
          />
          <Button
            variant="secondary"
            onClick={async () => setCopied(await copyText(keyValue, input))}
            aria-describedby={copied ? "copy-status" : undefined}
          >
            {copied ? <Check aria-hidden className="h-4 w-4 text-emerald-600" /> : <Copy aria-hidden className="h-4 w-4" />}
            Copy
          </Button>
        </div>
        <p id="copy-status" role="status" className="h-4 text-xs text-emerald-700">
          {copied ? "Copied to the clipboard." : ""}
        </p>
      </div>
      <div className="space-y-1.5">
        <p className="text-sm font-medium text-zinc-800">{type === "management" ? "Try it against the management API" : "Try it"}</p>
        <pre className="overflow-x-auto rounded-md bg-zinc-900 p-3 text-xs leading-relaxed text-zinc-100" aria-label="curl command">
          {curlCommand(baseUrl, keyValue, type)}
        </pre>
      </div>
      <div className="flex justify-end">
        <Button onClick={onDone}>Done</Button>
      </div>
    </div>
  );
}
