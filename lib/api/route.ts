import { z } from "zod";
import { getDatabase, type Db } from "@/db/client";
import { requirePlatformAdmin, type Requirement } from "@/lib/auth/require-platform-admin";
import { fromZodError } from "@/lib/errors/to-api-error";
import { errorResponse, jsonResponse } from "@/lib/http/error-response";
import { newRequestId } from "@/lib/http/request-id";
import { MANAGEMENT_MAX_BODY_BYTES } from "@/lib/server/body-caps";
import { authenticateApiRequest } from "./authenticate";
import type { Actor } from "../core/actor";
import { releaseManagementKey } from "./management-key-controls";
import { readJsonBody } from "./read-json-body";
import type { ContractedHandler, RouteContract, RouteDescription } from "./route-contract";

export { errorResponse } from "@/lib/http/error-response";
export { newRequestId } from "@/lib/http/request-id";

/** A handler's answer with a status other than its contract's `status`. */
export class JsonResult {
  constructor(
    readonly body: unknown,
    readonly status = 200,
  ) {}
}

interface RouteInputs<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> {
  params?: P;
  query?: Q;
  body?: B;
  /** Refused with 403 before the handler runs when the caller lacks it. */
  requires?: Requirement;
  /** What the refusal says the caller tried ("Only platform admins can <doing>."). */
  doing?: string;
  /** The body's cap in bytes (default: the management API's). */
  maxBodyBytes?: number;
}

/** The default: a Management key or a session. Part of the OpenAPI document, so it says what it does. */
interface ManagementRoute extends RouteContract {
  credentials?: "key_or_session";
}

/** A signed-in browser only (the Playground): not part of the management API or its document. */
interface SessionOnlyRoute extends Partial<RouteContract> {
  credentials: "session";
}

type RouteSpec<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> = RouteInputs<
  P,
  Q,
  B
> &
  (ManagementRoute | SessionOnlyRoute);

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
 * Every `/api/v1` handler and session route goes through here: authentication (Management
 * key or session), the caller's required role, zod-parsed params/query/body, the
 * OpenAI-style error envelope and an `x-request-id`. Handlers stay thin: they call lib/
 * and return plain JSON-able data (sent with the contract's `status`, 200 by default), a
 * JsonResult, or a Response of their own (a stream, a CSV) that is sent as it is.
 *
 * The spec is also the route's contract (lib/api/route-contract.ts): the returned function
 * carries it as `contract`, and /api/v1/openapi.json is built from it.
 *
 * @example
 * export const GET = apiRoute(
 *   { summary: "Models", requires: "platform_admin", doing: "see the models" },
 *   async ({ db }) => listModels(db),
 * );
 */
export function apiRoute<
  P extends z.ZodType = z.ZodUnknown,
  Q extends z.ZodType = z.ZodUnknown,
  B extends z.ZodType = z.ZodUnknown,
>(
  spec: RouteSpec<P, Q, B>,
  handler: (input: HandlerInput<z.output<P>, z.output<Q>, z.output<B>>) => Promise<unknown>,
): ContractedHandler {
  const handle = async (request: Request, context?: RouteContext): Promise<Response> => {
    const requestId = newRequestId();
    let actor: Actor | null = null;
    try {
      actor = await authenticateApiRequest(request, spec.credentials);
      if (spec.requires === "platform_admin") requirePlatformAdmin(actor, spec.doing);
      const params = spec.params ? parseWith(spec.params, await context?.params) : undefined;
      const query = spec.query ? parseWith(spec.query, queryObject(request)) : undefined;
      const body = spec.body
        ? parseWith(
            spec.body,
            await readJsonBody(request, spec.maxBodyBytes ?? MANAGEMENT_MAX_BODY_BYTES),
          )
        : undefined;
      const result = await handler({
        actor,
        db: (await getDatabase()).db,
        params: params as z.output<P>,
        query: query as z.output<Q>,
        body: body as z.output<B>,
        request,
        requestId,
      });
      if (result instanceof Response) {
        // A gateway answer carries the id its usage record and log line have: keep that one.
        if (!result.headers.has("x-request-id")) result.headers.set("x-request-id", requestId);
        return result;
      }
      const { body: payload, status } =
        result instanceof JsonResult ? result : new JsonResult(result, spec.status);
      return jsonResponse(payload, status, requestId);
    } catch (error) {
      return errorResponse(error, requestId);
    } finally {
      // A Management key's concurrency slot (management-key-controls.ts) goes back.
      releaseManagementKey(actor);
    }
  };
  const contract: RouteDescription = spec;
  return Object.assign(handle, { contract });
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
