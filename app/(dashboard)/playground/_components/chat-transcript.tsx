"use client";

import { clsx } from "clsx";
import { CircleAlert, MessageSquareText } from "lucide-react";
import Link from "next/link";
import { useEffect, useRef } from "react";
import type { ChatTurn } from "./use-chat-stream";

/** Plain words for the errors a person can act on; the server's message says the rest. */
const ERROR_TITLES: Record<string, string> = {
  limit_reached: "Your Playground key has reached its spending limit",
  insufficient_balance: "Your balance is used up",
  model_not_found: "This model is not available",
  key_revoked: "Your Playground key was revoked",
  key_expired: "Your Playground key has expired",
  key_limit_reached: "You have too many active keys",
  upstream_error: "The model server failed",
  upstream_timeout: "The model server took too long",
  unauthenticated: "Your session has ended",
};

/** Errors about the Playground key itself, which the user can fix in their key list. */
const KEY_ERRORS = new Set(["limit_reached", "key_revoked", "key_expired"]);

function AssistantReply({ turn, onRetry }: { turn: ChatTurn; onRetry?: () => void }) {
  if (turn.state === "error" && turn.error) {
    return (
      <div
        role="alert"
        className="flex gap-2 rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800"
      >
        <CircleAlert aria-hidden className="mt-0.5 h-4 w-4 shrink-0" />
        <div className="min-w-0">
          <p className="font-medium">
            {ERROR_TITLES[turn.error.code ?? ""] ?? "The request failed"}
          </p>
          <p className="mt-0.5 break-words">{turn.error.message}</p>
          {KEY_ERRORS.has(turn.error.code ?? "") ? (
            <p className="mt-1">
              Its limit and status are on the{" "}
              <Link href="/settings/api-keys" className="font-medium underline">
                API Keys
              </Link>{" "}
              page, under the name Playground.
            </p>
          ) : null}
          {turn.error.status || turn.error.requestId ? (
            <p className="mt-1 text-xs" data-testid="failure-detail">
              {[
                turn.error.status ? `Status ${turn.error.status}` : null,
                turn.error.code ? `code ${turn.error.code}` : null,
                turn.error.requestId ? `request id ${turn.error.requestId}` : null,
              ]
                .filter(Boolean)
                .join(" · ")}
            </p>
          ) : null}
          {turn.content ? (
            <p className="mt-2 whitespace-pre-wrap text-red-900">{turn.content}</p>
          ) : null}
          {onRetry ? (
            <button
              type="button"
              onClick={onRetry}
              className="mt-2 rounded-md border border-red-300 bg-white px-2.5 py-1 text-xs font-medium text-red-800 hover:bg-red-100"
            >
              Retry
            </button>
          ) : null}
        </div>
      </div>
    );
  }
  if (turn.state === "waiting") {
    return (
      <p className="flex items-center gap-2 text-sm text-zinc-500">
        <span aria-hidden className="inline-flex gap-1">
          <span className="h-1.5 w-1.5 animate-bounce rounded-full bg-zinc-400 [animation-delay:-0.3s]" />
          <span className="h-1.5 w-1.5 animate-bounce rounded-full bg-zinc-400 [animation-delay:-0.15s]" />
          <span className="h-1.5 w-1.5 animate-bounce rounded-full bg-zinc-400" />
        </span>
        Waiting for the model…
      </p>
    );
  }
  return (
    <div>
      <p
        data-testid="assistant-text"
        className="whitespace-pre-wrap break-words text-sm leading-relaxed text-zinc-900"
      >
        {turn.content}
        {turn.state === "streaming" ? (
          <span
            aria-hidden
            className="ml-0.5 inline-block h-4 w-1.5 translate-y-0.5 animate-pulse bg-zinc-400"
          />
        ) : null}
      </p>
      <TurnFooter turn={turn} />
    </div>
  );
}

function TurnFooter({ turn }: { turn: ChatTurn }) {
  const notes: string[] = [];
  if (turn.state === "stopped") notes.push("Stopped");
  if (turn.finishReason === "length") notes.push("Cut off at max tokens");
  if (turn.usage)
    notes.push(
      `${turn.usage.promptTokens} prompt + ${turn.usage.completionTokens} completion tokens`,
    );
  if (notes.length === 0) return null;
  return <p className="mt-1.5 text-xs text-zinc-500">{notes.join(" · ")}</p>;
}

/**
 * The conversation in its own scroll area, kept at the newest text while it streams in,
 * unless the reader has scrolled up to read something earlier.
 */
export function ChatTranscript({
  turns,
  model,
  className,
  onRetry,
}: {
  turns: ChatTurn[];
  model: string;
  className?: string;
  /** Sends the failed message again; offered on the last reply when it failed. */
  onRetry?: (text: string) => void;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const pinned = useRef(true);
  const last = turns.at(-1);
  useEffect(() => {
    const area = scrollRef.current;
    if (area && pinned.current) area.scrollTop = area.scrollHeight;
  }, [turns.length, last?.content.length, last?.state]);

  return (
    <div
      ref={scrollRef}
      onScroll={(e) => {
        const area = e.currentTarget;
        pinned.current = area.scrollHeight - area.scrollTop - area.clientHeight < 48;
      }}
      className={clsx("overflow-y-auto", className)}
    >
      {turns.length === 0 ? (
        <EmptyState model={model} />
      ) : (
        <ol aria-label="Conversation" className="space-y-4 p-4">
          {turns.map((turn) => (
            <li
              key={turn.id}
              data-role={turn.role}
              className={clsx("flex", turn.role === "user" ? "justify-end" : "justify-start")}
            >
              <span className="sr-only">{turn.role === "user" ? "You:" : "Model:"}</span>
              {turn.role === "user" ? (
                <p
                  className={clsx(
                    "max-w-[85%] whitespace-pre-wrap break-words rounded-2xl rounded-br-sm bg-brand-600 px-3.5 py-2 text-sm text-white",
                    turn.failed && "bg-zinc-600 line-through decoration-white/60",
                  )}
                >
                  {turn.content}
                </p>
              ) : (
                <div
                  className={clsx(
                    "max-w-[92%] min-w-0",
                    turn.state !== "error" && "rounded-2xl rounded-bl-sm bg-zinc-100 px-3.5 py-2",
                  )}
                >
                  <AssistantReply
                    turn={turn}
                    onRetry={
                      onRetry && turn.state === "error" && turn === last
                        ? () => {
                            const asked = turns.findLast((t) => t.role === "user");
                            if (asked) onRetry(asked.content);
                          }
                        : undefined
                    }
                  />
                </div>
              )}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

function EmptyState({ model }: { model: string }) {
  return (
    <div className="flex h-full flex-col items-center justify-center px-6 py-12 text-center">
      <MessageSquareText aria-hidden className="h-8 w-8 text-zinc-300" />
      <p className="mt-3 text-sm font-medium text-zinc-900">Start a conversation</p>
      <p className="mt-1 max-w-sm text-sm text-zinc-600">
        {model ? (
          <>
            Messages go to <span className="font-mono text-zinc-800">{model}</span> through your
            personal Playground key, so they are metered and charged to your balance like any
            key&apos;s.
          </>
        ) : (
          "No model is available yet: a platform admin can enable one under Admin → Models."
        )}
      </p>
    </div>
  );
}
