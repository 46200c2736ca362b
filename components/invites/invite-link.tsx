"use client";

import { Check, Copy } from "lucide-react";
import { useEffect, useRef, useState } from "react";
import { Button } from "@/components/ui/button";

/** An invite link, shown this once (only its hash is kept), with a copy button. */
export function InviteLink({ url, children }: { url: string; children: React.ReactNode }) {
  const [copied, setCopied] = useState(false);
  const [input, setInput] = useState<HTMLInputElement | null>(null);
  const box = useRef<HTMLDivElement>(null);
  // Brought to the middle of the window when it appears, so that a toast in the corner (a
  // team just created) never covers its Copy button. In braces: Chromium's scrollIntoView
  // now returns a promise, and React calls whatever an effect returns as its cleanup when
  // the link unmounts (a TypeError that took down the Teams page on the next Add member).
  useEffect(() => {
    box.current?.scrollIntoView({ block: "center" });
  }, [url]);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url);
    } catch {
      input?.select();
      document.execCommand?.("copy");
    }
    setCopied(true);
  };
  return (
    <div
      ref={box}
      role="status"
      className="space-y-2 rounded-md border border-emerald-200 bg-emerald-50 p-3 text-sm text-emerald-900"
    >
      <p>{children}</p>
      <p className="font-medium">
        Copy the link now: it will not be shown again. It works once and expires in 7 days.
      </p>
      <div className="flex gap-2">
        <input
          aria-label="Invite link"
          ref={setInput}
          readOnly
          value={url}
          onFocus={(e) => e.currentTarget.select()}
          className="block w-full min-w-0 rounded-md border border-emerald-300 bg-white px-3 py-2 font-mono text-xs text-zinc-900"
        />
        <Button variant="secondary" onClick={copy}>
          {copied ? (
            <Check aria-hidden className="h-4 w-4 text-emerald-600" />
          ) : (
            <Copy aria-hidden className="h-4 w-4" />
          )}
          {copied ? "Copied" : "Copy"}
        </Button>
      </div>
    </div>
  );
}
