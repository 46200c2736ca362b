import { loggableError } from "@/lib/errors/loggable-error";
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { getDb, type Db } from "@/db/client";
import { ApiError } from "@/lib/http/errors";
import { authenticateApiRequest } from "./authenticate";
import type { Actor } from "./actor";
import { fromZodError, toApiError } from "./error-response";
import { readJsonBody } from "./read-json-body";
import { MANAGEMENT_MAX_BODY_BYTES } from "@/lib/server/body-caps";

/** A handler's answer with a status other than 200 (201 for creates). */
export class JsonResult {
  constructor(readonly body: unknown, readonly status = 200) {}
}

interface RouteSpec<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> {
  params?: P;
  query?: Q;
  body?: B;
}

export interface HandlerInput<P, Q, B> {
  actor: Actor;
  db: Db;
  params: P;
  query: Q;
  body: B;
  request: Request;
  requestId: string;
}

type RouteContext = { params: Promise<Record<string, string | string[] | undefined>> };


/**
 * Every `/api/v1` handler goes through here: authentication (Management key or session),
 * zod-parsed params/query/body, the OpenAI-style error envelope and an `x-request-id`.
 * Handlers stay thin: they call lib/ and return plain JSON-able data.
 */
export function apiRoute<P extends z.ZodType = z.ZodUnknown, Q extends z.ZodType = z.ZodUnknown, B extends z.ZodType = z.ZodUnknown>(
  spec: RouteSpec<P, Q, B>,
  handler: (input: HandlerInput<z.output<P>, z.output<Q>, z.output<B>>) => Promise<unknown>,
) {
  return async (request: Request, context: RouteContext): Promise<Response> => {
    const requestId = newRequestId();
    try {
      const actor = await authenticateApiRequest(request);
      const params = spec.params ? parseWith(spec.params, await context.params) : undefined;
      const query = spec.query ? parseWith(spec.query, queryObject(request)) : undefined;
      const body = spec.body ? parseWith(spec.body, await readJsonBody(request, MANAGEMENT_MAX_BODY_BYTES)) : undefined;
      const result = await handler({
        actor,
        db: await getDb(),
        params: params as z.output<P>,
        query: query as z.output<Q>,
        body: body as z.output<B>,
        request,
        requestId,
      });
      const { body: payload, status } = result instanceof JsonResult ? result : new JsonResult(result);
      return json(payload, status, requestId);
    } catch (error) {
      return errorResponse(error, requestId);
    }
  };
}

export function errorResponse(error: unknown, requestId: string): Response {
  const apiError = toApiError(error);
  if (apiError) return json(apiError.toBody(), apiError.status, requestId);
  // Log the failure, never the request: bodies and headers may hold keys.
  console.error(JSON.stringify({ msg: "api_v1_error", request_id: requestId, error: loggableError(error) }));
  const internal = new ApiError(500, "internal_error", "The server had an error while processing your request.");
  return json(internal.toBody(), 500, requestId);
}

export function newRequestId(): string {
  return `req_${randomBytes(12).toString("hex")}`;
}

function json(body: unknown, status: number, requestId: string): Response {
  return new Response(status === 204 ? null : JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", "x-request-id": requestId, "cache-control": "no-store" },
  });
}

function parseWith<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw fromZodError(result.error);
  return result.data;
}

function queryObject(request: Request): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of new URL(request.url).searchParams) out[name] ??= value;
  return out;
}
