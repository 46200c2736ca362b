"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import {
  errorFromResponse,
  PlaygroundError,
  readChatStream,
} from "@/lib/playground/read-chat-stream";
import type { PlaygroundMessage, PlaygroundParams } from "@/lib/playground/schemas";

export interface ChatTurn {
  id: string;
  role: "user" | "assistant";
  content: string;
  /** Assistant turns only. */
  state?: "waiting" | "streaming" | "done" | "stopped" | "error";
  error?: { message: string; code: string | null; status?: number; requestId?: string };
  usage?: { promptTokens: number; completionTokens: number };
  finishReason?: string;
  /** A user turn whose answer failed: kept on screen, left out of the next request. */
  failed?: boolean;
}

export type ChatStatus = "idle" | "waiting" | "streaming";

let nextId = 0;
const newId = () => `turn-${++nextId}`;

const usable = (turn: ChatTurn) =>
  !turn.failed && turn.state !== "error" && !(turn.role === "assistant" && turn.content === "");

/** What the model is sent: the conversation so far, without failed exchanges or empty replies. */
export function historyOf(turns: ChatTurn[]): PlaygroundMessage[] {
  return turns.filter(usable).map((turn) => ({ role: turn.role, content: turn.content }));
}

/**
 * The messages of the last request sent (up to its user message, failed or not), for the
 * code snippets: running them reproduces what the chat just did. Empty before the first.
 */
export function lastRequestOf(turns: ChatTurn[]): PlaygroundMessage[] {
  const last = turns.findLastIndex((turn) => turn.role === "user");
  if (last < 0) return [];
  const earlier = turns.slice(0, last).filter(usable);
  return [...earlier, turns[last]].map((turn) => ({ role: turn.role, content: turn.content }));
}

/**
 * The Playground's conversation: sends it to /api/playground/chat (the session's route; the
 * browser holds no key) and grows the answer as each chunk arrives. `stop()` aborts the
 * fetch; the server then closes the upstream and charges what was produced.
 */
export function useChatStream() {
  const [turns, setTurns] = useState<ChatTurn[]>([]);
  const [status, setStatus] = useState<ChatStatus>("idle");
  const controllerRef = useRef<AbortController | null>(null);

  useEffect(() => () => controllerRef.current?.abort(), []);

  const update = (id: string, change: (turn: ChatTurn) => Partial<ChatTurn>) =>
    setTurns((all) => all.map((turn) => (turn.id === id ? { ...turn, ...change(turn) } : turn)));

  const send = useCallback(
    async (text: string, model: string, params: PlaygroundParams) => {
      if (controllerRef.current) return;
      const userTurn: ChatTurn = { id: newId(), role: "user", content: text };
      const reply: ChatTurn = { id: newId(), role: "assistant", content: "", state: "waiting" };
      const messages = [...historyOf(turns), { role: "user" as const, content: text }];
      setTurns((all) => [...all, userTurn, reply]);
      setStatus("waiting");
      const controller = new AbortController();
      controllerRef.current = controller;
      let answered: Response | null = null;
      try {
        const response = await fetch("/api/playground/chat", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ model, messages, ...params }),
          signal: controller.signal,
        });
        answered = response;
        if (!response.ok || !response.body) throw await errorFromResponse(response);
        for await (const event of readChatStream(response.body)) {
          if (event.type === "delta") {
            setStatus("streaming");
            update(reply.id, (turn) => ({
              content: turn.content + event.content,
              state: "streaming",
            }));
          } else if (event.type === "usage") {
            update(reply.id, () => ({
              usage: { promptTokens: event.promptTokens, completionTokens: event.completionTokens },
            }));
          } else {
            update(reply.id, () => ({ finishReason: event.reason }));
          }
        }
        update(reply.id, () => ({ state: "done" }));
      } catch (error) {
        if (controller.signal.aborted) {
          update(reply.id, () => ({ state: "stopped" }));
        } else {
          const message =
            error instanceof PlaygroundError
              ? {
                  message: error.message,
                  code: error.code,
                  status: answered?.status,
                  requestId: answered?.headers.get("x-request-id") ?? undefined,
                }
              : {
                  message: "Could not reach the server. Check your connection and try again.",
                  code: null,
                };
          update(reply.id, () => ({ state: "error", error: message }));
          update(userTurn.id, () => ({ failed: true }));
        }
      } finally {
        controllerRef.current = null;
        setStatus("idle");
      }
    },
    [turns],
  );

  const stop = useCallback(() => controllerRef.current?.abort(), []);

  const reset = useCallback(() => {
    controllerRef.current?.abort();
    setTurns([]);
  }, []);

  return { turns, status, send, stop, reset };
}
