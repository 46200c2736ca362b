import { z } from "zod";
import { uuidParam } from "../core/common-schemas";
import { ERROR_SCHEMA_NAME, errorEnvelope, errorResponses } from "./openapi-errors";
import {
  HTTP_METHODS,
  type HttpMethod,
  type RouteDescription,
  type RouteModule,
} from "./route-contract";
import { routeErrors } from "./route-errors";

/**
 * The route modules of the management API by their OpenAPI path (`/keys/{id}`). The list
 * lives in the app room (app/api/v1/openapi.json/route-modules.ts): only the file system
 * knows a route's URL, and lib/ must not import app/.
 */
export type RouteModulesByPath = Readonly<Record<string, RouteModule>>;

/** Request schemas describe what a client may send (input side: numbers and strings for money). */
function jsonSchema(schema: z.ZodType, io: "input" | "output") {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, {
    io,
    unrepresentable: "any",
  }) as Record<string, unknown>;
  void _drop;
  return rest;
}

/** The query's fields: a route may parse its query with a transform (usage resolves its range). */
function queryShape(query: z.ZodType): Record<string, z.ZodType> {
  const object = query instanceof z.ZodPipe ? query.in : query;
  if (!(object instanceof z.ZodObject))
    throw new Error("A route's query must be a z.object (or one piped into a transform).");
  return object.shape;
}

/** One method of one path: its parameters, body, success answer and error answers. */
function operation(path: string, method: HttpMethod, route: RouteDescription) {
  const pathParams = [...path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
    name,
    in: "path",
    required: true,
    schema: jsonSchema(uuidParam, "input"),
  }));
  const queryParams = route.query
    ? Object.entries(queryShape(route.query)).map(([name, schema]) => ({
        name,
        in: "query",
        required: !schema.safeParse(undefined).success,
        schema: jsonSchema(schema, "input"),
      }))
    : [];
  const status = String(route.status ?? 200);
  return {
    summary: route.summary,
    parameters: [...pathParams, ...queryParams],
    ...(route.body
      ? {
          requestBody: {
            required: true,
            content: { "application/json": { schema: jsonSchema(route.body, "input") } },
          },
        }
      : {}),
    responses: {
      [status]: route.response
        ? {
            description: "OK",
            content: { "application/json": { schema: jsonSchema(route.response, "output") } },
          }
        : { description: status === "204" ? "No content" : "OK" },
      ...errorResponses(routeErrors(method, route)),
    },
  };
}

/**
 * The OpenAPI 3.1 document for /api/v1, read from the contracts the route modules give
 * apiRoute (lib/api/route-contract.ts) and the zod schemas they parse with.
 */
export function buildOpenApiDocument(serverUrl: string, routes: RouteModulesByPath) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [path, routeModule] of Object.entries(routes)) {
    paths[path] = {};
    for (const method of HTTP_METHODS) {
      const handler = routeModule[method];
      if (handler) paths[path][method.toLowerCase()] = operation(path, method, handler.contract);
    }
  }
  return {
    openapi: "3.1.0",
    info: { title: "ModelBridge management API", version: "1" },
    servers: [{ url: `${serverUrl}/api/v1` }],
    security: [{ managementKey: [] }, { session: [] }],
    paths,
    components: {
      securitySchemes: {
        managementKey: {
          type: "http",
          scheme: "bearer",
          description: "A Management key, mb_mgmt_…",
        },
        session: { type: "apiKey", in: "cookie", name: "authjs.session-token" },
      },
      schemas: { [ERROR_SCHEMA_NAME]: jsonSchema(errorEnvelope, "output") },
    },
  };
}
