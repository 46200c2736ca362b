import type { models } from "@/db/schema";
import type { CreateModelInput, UpdateModelInput } from "./schemas";

/** The routing settings of a create or change, as columns; absent fields stay as they are. */
export function routingChanges(
  input: Pick<
    CreateModelInput | UpdateModelInput,
    "fallbacks" | "context_window" | "routing" | "stream_resume" | "accepts_prefill"
  >,
): Partial<typeof models.$inferInsert> {
  const changes: Partial<typeof models.$inferInsert> = {};
  if (input.fallbacks !== undefined) changes.fallbacks = [...new Set(input.fallbacks)];
  if (input.context_window !== undefined) changes.contextWindow = input.context_window;
  if (input.routing?.strategy !== undefined) changes.routingStrategy = input.routing.strategy;
  if (input.routing?.max_attempts !== undefined) changes.maxAttempts = input.routing.max_attempts;
  if (input.routing?.timeout_ms !== undefined) changes.routingTimeoutMs = input.routing.timeout_ms;
  if (input.stream_resume !== undefined) changes.streamResume = input.stream_resume;
  if (input.accepts_prefill !== undefined) changes.acceptsPrefill = input.accepts_prefill;
  return changes;
}
