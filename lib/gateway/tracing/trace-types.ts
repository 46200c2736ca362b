/**
 * The gateway's tracing contract, free of OpenTelemetry imports: the pipeline, the attempt
 * loop and the providers talk to these, and the implementation (request-trace.ts, which
 * loads the OpenTelemetry API) is imported only when tracing is on. Off, `deps.tracer` is
 * null and `ctx.trace` stays null: one null check per stage, nothing allocated.
 */
import type { GatewayRequest } from "../types";

export interface GatewayTracer {
  /** A SERVER span for one /v1 request, continuing the client's W3C traceparent. */
  startRequest(
    request: GatewayRequest,
    requestId: string,
    path: string,
    endpoint: string,
  ): RequestTrace;
}

/** One upstream attempt of the routing loop: a CLIENT span under the request's. */
export interface AttemptStart {
  /** 1-based, across the model asked for and its fallbacks. */
  index: number;
  deploymentId: string;
  /** gen_ai.provider.name: the provider's telemetryName. */
  provider: string;
  upstreamModel: string;
  baseUrl: string;
  /** The ModelBridge model the deployment belongs to (a fallback's name when it is one). */
  modelName: string;
  fallback: boolean;
}

export interface RequestEnd {
  status: number;
  errorCode: string | null;
  endpoint: string;
  /** The model the client asked for, and the one that answered (differs after a fallback). */
  requestedModel: string;
  responseModel: string;
  /** gen_ai.provider.name of the provider that answered (its telemetryName), if any did. */
  provider: string | null;
  streamed: boolean;
  keyId: string | null;
  promptTokens: number;
  completionTokens: number;
  cachedInputTokens: number;
  cacheWriteTokens: number;
  /** Micro-units of the instance's currency. */
  cost: bigint;
  costSource: string;
  attempts: number;
  deploymentId: string | null;
  ttfbMs: number | null;
}

export interface RequestTrace {
  readonly traceId: string;
  readonly spanId: string;
  /** Sets traceparent (and tracestate) on headers going upstream: the current attempt's context. */
  inject(headers: Record<string, string>): void;
  startAttempt(attempt: AttemptStart): void;
  /** The attempt failed: why (routing's outcome), the upstream's status, and what comes next. */
  failAttempt(outcome: string, status: number | null, errorType: string | null, next: string): void;
  /** Ends the open attempt (the one that answered); the request's span ends once answered() came too. */
  finish(end: RequestEnd): void;
  /**
   * The answer has been sent (its body ended, or the client left): why the model stopped
   * and, when payload capture covers the request, the messages. The span ends after both
   * this and finish(), in whichever order they come.
   */
  answered(answer: AnswerSeen): void;
}

export interface AnswerSeen {
  finishReasons: string[];
  /** GenAI conventions' JSON strings; present only when payload capture covers the request. */
  inputMessages?: string;
  outputMessages?: string;
  systemInstructions?: string;
}
