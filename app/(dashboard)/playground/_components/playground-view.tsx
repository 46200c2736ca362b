"use client";

import { RotateCcw } from "lucide-react";
import { useMemo, useState } from "react";
import { Button } from "@/components/ui/button";
import { inputClass } from "@/components/ui/field";
import type { PlaygroundParams } from "@/lib/playground/schemas";
import { ChatComposer } from "./chat-composer";
import { ChatTranscript } from "./chat-transcript";
import { CodePanel } from "./code-panel";
import { ParameterControls, validateParams, type ParamDraft } from "./parameter-controls";
import { lastRequestOf, useChatStream } from "./use-chat-stream";

export interface PlaygroundModel {
  name: string;
  maxOutputTokens: number;
}

const DEFAULT_MAX_TOKENS = 1000;

function toParams(draft: ParamDraft): PlaygroundParams {
  const topK = draft.top_k.trim();
  return {
    temperature: draft.temperature,
    top_p: draft.top_p,
    ...(topK !== "" ? { top_k: Number(topK) } : {}),
    max_tokens: Number(draft.max_tokens.trim()),
  };
}

/** Model picker and chat on one side; parameters and the code that reproduces the chat on the other. */
export function PlaygroundView({
  models,
  baseUrl,
  defaultModel,
}: {
  models: PlaygroundModel[];
  baseUrl: string;
  /** A model that answered lately (lib/playground/default-model.ts), else the first. */
  defaultModel?: string;
}) {
  const [modelName, setModelName] = useState(
    models.find((m) => m.name === defaultModel)?.name ?? models[0]?.name ?? "",
  );
  const model = models.find((m) => m.name === modelName);
  const maxOutputTokens = model?.maxOutputTokens ?? DEFAULT_MAX_TOKENS;
  const [draft, setDraft] = useState<ParamDraft>({
    temperature: 0.7,
    top_p: 1,
    top_k: "",
    max_tokens: String(Math.min(DEFAULT_MAX_TOKENS, maxOutputTokens)),
  });
  const errors = validateParams(draft, maxOutputTokens);
  const valid = Object.keys(errors).length === 0;
  const { turns, status, send, stop, reset } = useChatStream();
  const lastRequest = useMemo(() => lastRequestOf(turns), [turns]);

  const disabledReason = !model
    ? "No model is available"
    : !valid
      ? "Fix the parameters first"
      : null;
  const snippetParams = valid ? toParams(draft) : {};

  return (
    // grid-cols-1 is minmax(0, 1fr): without it the code panel's long lines widen the page on a phone.
    <div className="grid grid-cols-1 gap-6 lg:grid-cols-[minmax(0,1fr)_22rem]">
      <section
        aria-label="Chat"
        className="flex min-h-[28rem] flex-col rounded-xl border border-zinc-200 bg-white lg:h-[calc(100dvh-10.5rem)] lg:min-h-[32rem]"
      >
        <div className="flex flex-wrap items-end gap-3 border-b border-zinc-200 p-3">
          <div className="min-w-0 flex-1 space-y-1">
            <label htmlFor="playground-model" className="block text-xs font-medium text-zinc-700">
              Model
            </label>
            <select
              id="playground-model"
              value={modelName}
              disabled={models.length === 0}
              onChange={(e) => {
                const next = models.find((m) => m.name === e.currentTarget.value);
                setModelName(e.currentTarget.value);
                // Keep max tokens within what the newly chosen model allows.
                if (next && Number(draft.max_tokens) > next.maxOutputTokens)
                  setDraft({ ...draft, max_tokens: String(next.maxOutputTokens) });
              }}
              className={`${inputClass} font-mono`}
            >
              {models.length === 0 ? <option value="">No models available</option> : null}
              {models.map((m) => (
                <option key={m.name} value={m.name}>
                  {m.name}
                </option>
              ))}
            </select>
          </div>
          <Button variant="ghost" onClick={reset} disabled={turns.length === 0}>
            <RotateCcw aria-hidden className="h-4 w-4" />
            New chat
          </Button>
        </div>
        <ChatTranscript
          turns={turns}
          model={modelName}
          className="max-h-[65dvh] min-h-64 flex-1 lg:max-h-none"
          onRetry={
            status === "idle" && !disabledReason
              ? (text) => void send(text, modelName, toParams(draft))
              : undefined
          }
        />
        <p role="status" className="sr-only">
          {status === "waiting"
            ? "Waiting for the model"
            : status === "streaming"
              ? "The model is answering"
              : turns.length > 0
                ? "Answer complete"
                : ""}
        </p>
        <ChatComposer
          status={status}
          disabledReason={disabledReason}
          onSend={(text) => void send(text, modelName, toParams(draft))}
          onStop={stop}
        />
      </section>

      <div className="min-w-0 space-y-6">
        <ParameterControls
          draft={draft}
          errors={errors}
          maxOutputTokens={maxOutputTokens}
          onChange={setDraft}
        />
        <CodePanel
          input={{
            baseUrl,
            model: modelName || "<model>",
            messages: lastRequest,
            params: snippetParams,
          }}
        />
      </div>
    </div>
  );
}
