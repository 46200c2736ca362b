"use client";

import { ArrowUp, Square } from "lucide-react";
import { useRef, useState, type FormEvent, type KeyboardEvent } from "react";
import { Button } from "@/components/ui/button";
import type { ChatStatus } from "./use-chat-stream";

/** The message box: Enter sends, Shift+Enter starts a new line; Stop replaces Send while the model answers. */
export function ChatComposer({
  status,
  disabledReason,
  onSend,
  onStop,
}: {
  status: ChatStatus;
  disabledReason: string | null;
  onSend: (text: string) => void;
  onStop: () => void;
}) {
  const [text, setText] = useState("");
  const areaRef = useRef<HTMLTextAreaElement>(null);
  const busy = status !== "idle";
  const canSend = !busy && !disabledReason && text.trim() !== "";

  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    if (!canSend) return;
    onSend(text.trim());
    setText("");
    areaRef.current?.focus();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    // isComposing: Enter that confirms an IME candidate (Japanese, Chinese…) must not send.
    if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      submit();
    }
  };

  return (
    <form onSubmit={submit} className="border-t border-zinc-200 p-3">
      <label htmlFor="playground-message" className="sr-only">
        Message
      </label>
      <div className="flex items-end gap-2">
        <textarea
          id="playground-message"
          ref={areaRef}
          rows={2}
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
          onKeyDown={onKeyDown}
          placeholder={disabledReason ?? "Send a message…"}
          aria-describedby="playground-message-hint"
          className="block max-h-48 min-h-[2.75rem] w-full min-w-0 resize-y rounded-lg border border-zinc-300 bg-white px-3 py-2 text-sm placeholder:text-zinc-400 focus:border-brand-500 focus:outline-none focus:ring-2 focus:ring-brand-500/30"
        />
        {busy ? (
          <Button variant="secondary" onClick={onStop} className="shrink-0">
            <Square aria-hidden className="h-3.5 w-3.5 fill-current" />
            Stop
          </Button>
        ) : (
          <Button type="submit" disabled={!canSend} className="shrink-0">
            <ArrowUp aria-hidden className="h-4 w-4" />
            Send
          </Button>
        )}
      </div>
      <p id="playground-message-hint" className="mt-1.5 hidden text-xs text-zinc-500 sm:block">
        Enter to send, Shift+Enter for a new line.
      </p>
    </form>
  );
}
