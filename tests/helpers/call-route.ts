/**
 * One request to an App Router handler (`app/api/v1/**\/route.ts`) as Next would make it:
 * the tests call the handlers themselves, since next-auth and the rest of Next do not run
 * under vitest.
 */
export type RouteHandler = (
  request: Request,
  context: { params: Promise<Record<string, string | string[]>> },
) => Promise<Response>;

export interface CallRouteOptions {
  /** The route's exported handler, e.g. `(await import("@/app/api/v1/keys/route")).POST`. */
  handler: RouteHandler;
  method?: string;
  /** Path and query on http://localhost, e.g. `/api/v1/keys/${id}?limit=2`. */
  path: string;
  /** The dynamic segments Next would hand the handler, e.g. `{ id }` for keys/[id]. */
  params?: Record<string, string | string[]>;
  /** A Management key (or any string), sent as `Authorization: Bearer <key>`. */
  key?: string;
  /** A body to send as JSON, with `content-type: application/json`. */
  json?: unknown;
  /** A body to send as it is (bad JSON, a stream, a huge string). */
  body?: BodyInit;
  /** Further headers (a client address, a cookie, an Origin); they win over the above. */
  headers?: Record<string, string>;
}

export interface RouteAnswer {
  status: number;
  headers: Headers;
  /** The body parsed when it is JSON, the text otherwise; null when empty (a 204). */
  // Tests read into answers freely: each asserts the shape it expects.
  body: any;
}

export async function callRoute(options: CallRouteOptions): Promise<RouteAnswer> {
  const { handler, method = "GET", path, params = {}, key, json, headers } = options;
  const body = json === undefined ? options.body : JSON.stringify(json);
  const request = new Request(`http://localhost${path}`, {
    method,
    headers: {
      ...(key === undefined ? {} : { authorization: `Bearer ${key}` }),
      ...(json === undefined ? {} : { "content-type": "application/json" }),
      ...headers,
    },
    body,
    // A stream body needs it (Node's fetch), and it is harmless for any other body.
    ...(body === undefined ? {} : { duplex: "half" }),
  } as RequestInit);
  const response = await handler(request, { params: Promise.resolve(params) });
  const text = await response.text();
  const isJson = /\bjson\b/i.test(response.headers.get("content-type") ?? "");
  return {
    status: response.status,
    headers: response.headers,
    body: text === "" ? null : isJson ? JSON.parse(text) : text,
  };
}
