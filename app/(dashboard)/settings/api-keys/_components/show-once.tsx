"use client";

import { Check, Copy, TriangleAlert } from "lucide-react";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { curlCommand } from "@/lib/format/curl-example";

/** Writes to the clipboard; falls back to selecting the text where the Clipboard API is unavailable (http, old browsers). */
async function copyText(
  text: string,
  fallback: HTMLInputElement | HTMLElement | null,
): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    if (fallback instanceof HTMLInputElement) fallback.select();
    else if (fallback) window.getSelection()?.selectAllChildren(fallback);
    return document.execCommand?.("copy") ?? false;
  }
}

/** The full key, shown this once, with a copy button and a command that works as pasted (with its own copy button). */
export function ShowOnce({
  keyValue,
  type,
  baseUrl,
  model,
  onCopied,
  onDone,
}: {
  keyValue: string;
  type: "model_serving" | "management";
  baseUrl: string;
  model: string | null;
  onCopied: () => void;
  onDone: () => void;
}) {
  const [copied, setCopied] = useState<"key" | "curl" | null>(null);
  const [input, setInput] = useState<HTMLInputElement | null>(null);
  const [pre, setPre] = useState<HTMLPreElement | null>(null);
  const curl = curlCommand(baseUrl, keyValue, type, model);
  const copy = async (what: "key" | "curl") => {
    const ok = await copyText(what === "key" ? keyValue : curl, what === "key" ? input : pre);
    setCopied(ok ? what : null);
    // The command holds the key too: copying either one keeps it.
    if (ok) onCopied();
  };
  return (
    <div className="space-y-4">
      <div
        role="note"
        className="flex gap-2 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900"
      >
        <TriangleAlert aria-hidden className="mt-0.5 h-4 w-4 shrink-0" />
        <p>
          <strong>Copy this key now. It will not be shown again.</strong> ModelBridge keeps only a
          hash of it; if you lose it, revoke it and create a new one.
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
          <Button variant="secondary" onClick={() => copy("key")}>
            {copied === "key" ? (
              <Check aria-hidden className="h-4 w-4 text-emerald-600" />
            ) : (
              <Copy aria-hidden className="h-4 w-4" />
            )}
            Copy
          </Button>
        </div>
      </div>
      <div className="space-y-1.5">
        <div className="flex items-center justify-between gap-2">
          <p className="text-sm font-medium text-zinc-800">
            {type === "management" ? "Try it against the management API" : "Try it"}
          </p>
          <Button variant="ghost" className="px-2 py-1 text-xs" onClick={() => copy("curl")}>
            {copied === "curl" ? (
              <Check aria-hidden className="h-3.5 w-3.5 text-emerald-600" />
            ) : (
              <Copy aria-hidden className="h-3.5 w-3.5" />
            )}
            Copy command
          </Button>
        </div>
        {/* Wrapped, not scrolled: the -d line is the one people need to read whole. */}
        <pre
          ref={setPre}
          className="whitespace-pre-wrap break-all rounded-md bg-zinc-900 p-3 text-xs leading-relaxed text-zinc-100"
          aria-label="curl command"
        >
          {curl}
        </pre>
      </div>
      <p role="status" className="h-4 text-xs text-emerald-700">
        {copied === "key"
          ? "Copied to the clipboard."
          : copied === "curl"
            ? "Command copied to the clipboard."
            : ""}
      </p>
      <div className="flex justify-end">
        <Button onClick={onDone}>Done</Button>
      </div>
    </div>
  );
}
