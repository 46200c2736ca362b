import type { z } from "zod";
import type { Requirement } from "@/lib/auth/require-platform-admin";
import type { ErrorCode } from "@/lib/errors/error-codes";
import type { Credentials } from "./authenticate";

/**
 * What a route promises its callers, written in the route module's own `apiRoute({...})`
 * call so that the OpenAPI document (lib/api/openapi.ts) is read from the code that answers,
 * not from a table beside it that drifts.
 */
export interface RouteContract {
  /** One line on what the operation does, as the OpenAPI document shows it. */
  summary: string;
  /** The answer's shape (documentation only: handlers already return this shape). */
  response?: z.ZodType;
  /** The success status (201 for creates, 204 for no content); default 200. apiRoute sends it. */
  status?: number;
  /**
   * The codes this route's handler and the services it calls may refuse with, beyond those
   * apiRoute itself answers for every route (lib/api/route-errors.ts).
   */
  errors?: readonly ErrorCode[];
}

/** What a handler function built by apiRoute carries for the OpenAPI document to read. */
export interface RouteDescription extends Partial<RouteContract> {
  query?: z.ZodType;
  body?: z.ZodType;
  requires?: Requirement;
  credentials?: Credentials;
}

export type RouteHandler = (
  request: Request,
  context?: { params: Promise<Record<string, string | string[] | undefined>> },
) => Promise<Response>;

export type ContractedHandler = RouteHandler & { readonly contract: RouteDescription };

export const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** A route module (`app/api/v1/…/route.ts`) as imported: its method handlers. */
export type RouteModule = Partial<Record<HttpMethod, ContractedHandler>>;
