import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Span,
  type TextMapGetter,
  type TextMapSetter,
  type Tracer,
} from "@opentelemetry/api";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { clientIpFromHeaders } from "@/lib/http/client-ip";
import type { GatewayRequest } from "../types";
import { GEN_AI, operationOf } from "./gen-ai";
import type {
  AnswerSeen,
  AttemptStart,
  GatewayTracer,
  RequestEnd,
  RequestTrace,
} from "./trace-types";

/**
 * Spans for /v1 with OpenTelemetry's API (loaded only when tracing is on; see
 * trace-types.ts). A request is a SERVER span named like the GenAI conventions ask
 * ("chat gpt-4o"), continuing the client's traceparent; each upstream attempt of routing's
 * loop is a CLIENT span under it, and the traceparent sent upstream is the attempt's, so the
 * model server's own spans hang under the attempt that called it.
 *
 * Contexts are passed by hand (the request's span lives on its RequestContext), not through
 * an async context manager: AsyncLocalStorage would add its cost to every request's every
 * await, traced or not.
 */
const propagator = new W3CTraceContextPropagator();

const headerGetter: TextMapGetter<Record<string, string | undefined>> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => carrier[key],
};
const headerSetter: TextMapSetter<Record<string, string>> = {
  set: (carrier, key, value) => {
    carrier[key] = value;
  },
};

export function gatewayTracer(tracer: Tracer): GatewayTracer {
  return {
    startRequest(request, requestId, path, endpoint) {
      const parent = request.headers.traceparent
        ? propagator.extract(ROOT_CONTEXT, request.headers, headerGetter)
        : ROOT_CONTEXT;
      const route = httpRoute(path, endpoint);
      const attributes: Attributes = {
        "http.request.method": request.method,
        "url.path": path,
        "url.scheme": "http",
        "client.address": clientIpFromHeaders(request.headers),
        "modelbridge.endpoint": endpoint,
        "modelbridge.request.id": requestId,
      };
      if (route) attributes["http.route"] = route;
      const agent = request.headers["user-agent"];
      if (agent) attributes["user_agent.original"] = agent;
      const span = tracer.startSpan(
        `${request.method} ${route ?? "unknown route"}`,
        { kind: SpanKind.SERVER, attributes },
        parent,
      );
      return new OtelRequestTrace(tracer, span, endpoint);
    },
  };
}

/** http.route is a template: a model in the path is a placeholder, never the name itself. */
function httpRoute(path: string, endpoint: string): string | undefined {
  if (endpoint === "unknown") return undefined;
  if (endpoint === "models.retrieve") return "/v1/models/{model}";
  if (endpoint.startsWith("gemini.")) return path.replace(/\/models\/[^/:]+/, "/models/{model}");
  return path;
}

class OtelRequestTrace implements RequestTrace {
  private attempt: Span | null = null;
  private attemptModel = "";
  /** finish() and answered() each count one down; the span ends at zero. */
  private waiting = 2;

  constructor(
    private readonly tracer: Tracer,
    private readonly span: Span,
    private readonly endpoint: string,
  ) {}

  get traceId(): string {
    return this.span.spanContext().traceId;
  }

  get spanId(): string {
    return this.span.spanContext().spanId;
  }

  inject(headers: Record<string, string>): void {
    // A client's tracestate belongs to the client's traceparent, which is replaced here.
    delete headers.tracestate;
    propagator.inject(
      trace.setSpan(ROOT_CONTEXT, this.attempt ?? this.span),
      headers,
      headerSetter,
    );
  }

  startAttempt(attempt: AttemptStart): void {
    this.attempt?.end();
    const operation = operationOf(this.endpoint) ?? "chat";
    const provider = attempt.provider;
    const attributes: Attributes = {
      [GEN_AI.operation]: operation,
      [GEN_AI.provider]: provider,
      [GEN_AI.system]: provider,
      [GEN_AI.requestModel]: attempt.upstreamModel,
      "modelbridge.attempt": attempt.index,
      "modelbridge.deployment.id": attempt.deploymentId,
      "modelbridge.model": attempt.modelName,
      "modelbridge.fallback": attempt.fallback,
    };
    try {
      const url = new URL(attempt.baseUrl);
      attributes["server.address"] = url.hostname;
      attributes["server.port"] = Number(url.port) || (url.protocol === "https:" ? 443 : 80);
    } catch {
      // The echo model has no URL.
    }
    this.attemptModel = attempt.upstreamModel;
    this.attempt = this.tracer.startSpan(
      `${operation} ${attempt.upstreamModel}`,
      { kind: SpanKind.CLIENT, attributes },
      trace.setSpan(ROOT_CONTEXT, this.span),
    );
  }

  failAttempt(outcome: string, status: number | null, errorType: string | null, next: string) {
    const span = this.attempt;
    if (!span) return;
    this.attempt = null;
    span.setAttribute("modelbridge.attempt.outcome", outcome);
    span.setAttribute("modelbridge.attempt.next", next);
    if (status !== null) span.setAttribute("http.response.status_code", status);
    span.setAttribute("error.type", errorType ?? outcome);
    span.setStatus({ code: SpanStatusCode.ERROR, message: outcome });
    span.end();
  }

  finish(end: RequestEnd): void {
    const span = this.span;
    const failed = end.status >= 400;
    const operation = operationOf(end.endpoint);
    const attempt = this.attempt;
    if (attempt) {
      this.attempt = null;
      attempt.setAttribute("modelbridge.attempt.outcome", failed ? "failed" : "ok");
      if (!failed) attempt.setAttribute(GEN_AI.responseModel, this.attemptModel);
      this.usage(attempt, end);
      if (failed) {
        attempt.setAttribute("error.type", end.errorCode ?? String(end.status));
        if (end.status >= 500) attempt.setStatus({ code: SpanStatusCode.ERROR });
      }
      attempt.end();
    }

    span.setAttribute("http.response.status_code", end.status);
    span.setAttribute("modelbridge.attempts", end.attempts);
    if (end.keyId) span.setAttribute("modelbridge.key.id", end.keyId);
    if (end.deploymentId) span.setAttribute("modelbridge.deployment.id", end.deploymentId);
    if (failed) span.setAttribute("error.type", end.errorCode ?? String(end.status));
    if (end.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    if (operation && end.requestedModel) {
      span.updateName(`${operation} ${end.requestedModel}`);
      span.setAttribute(GEN_AI.operation, operation);
      span.setAttribute(GEN_AI.requestModel, end.requestedModel);
      span.setAttribute(GEN_AI.stream, end.streamed);
      if (end.provider) {
        const provider = end.provider;
        span.setAttribute(GEN_AI.provider, provider);
        span.setAttribute(GEN_AI.system, provider);
      }
      if (!failed) span.setAttribute(GEN_AI.responseModel, end.responseModel);
      if (end.requestedModel !== end.responseModel)
        span.setAttribute("modelbridge.fallback_from", end.requestedModel);
      this.usage(span, end);
      if (end.streamed && end.ttfbMs !== null)
        span.setAttribute(GEN_AI.timeToFirstChunk, end.ttfbMs / 1000);
      // Micro-units to the currency's unit: what a dashboard sums.
      span.setAttribute("modelbridge.cost", Number(end.cost) / 1_000_000);
      span.setAttribute("modelbridge.cost_source", end.costSource);
    }
    this.settled();
  }

  answered(answer: AnswerSeen): void {
    const span = this.span;
    if (answer.finishReasons.length > 0)
      span.setAttribute(GEN_AI.finishReasons, answer.finishReasons);
    if (answer.inputMessages) span.setAttribute(GEN_AI.inputMessages, answer.inputMessages);
    if (answer.outputMessages) span.setAttribute(GEN_AI.outputMessages, answer.outputMessages);
    if (answer.systemInstructions)
      span.setAttribute(GEN_AI.systemInstructions, answer.systemInstructions);
    this.settled();
  }

  private settled(): void {
    if (--this.waiting === 0) this.span.end();
  }

  private usage(span: Span, end: RequestEnd): void {
    span.setAttribute(GEN_AI.inputTokens, end.promptTokens);
    span.setAttribute(GEN_AI.outputTokens, end.completionTokens);
    if (end.cachedInputTokens > 0) span.setAttribute(GEN_AI.cacheReadTokens, end.cachedInputTokens);
    if (end.cacheWriteTokens > 0) span.setAttribute(GEN_AI.cacheWriteTokens, end.cacheWriteTokens);
  }
}
