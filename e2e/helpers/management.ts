import {
  expect,
  request as playwrightRequest,
  type APIRequestContext,
  type APIResponse,
} from "@playwright/test";

/** Session requests that change state must come from this origin (CSRF check), as a browser's would. */
export function sameOrigin(): Record<string, string> {
  return { origin: new URL(process.env.MB_BASE_URL!).origin };
}

/** Creates a Management key through a signed-in session and returns the full key. */
export async function createManagementKey(
  session: APIRequestContext,
  name = "automation",
): Promise<string> {
  const response = await session.post("/api/v1/keys", {
    data: { name, type: "management" },
    headers: sameOrigin(),
  });
  expect(response.status()).toBe(201);
  const body = await response.json();
  expect(body.key).toMatch(/^mb_mgmt_[0-9A-Za-z]{38}$/);
  return body.key;
}

/** A request context that authenticates every call with this key, and nothing else (no cookies). */
export async function keyClient(key: string): Promise<APIRequestContext> {
  return playwrightRequest.newContext({
    baseURL: process.env.MB_BASE_URL,
    extraHTTPHeaders: { authorization: `Bearer ${key}` },
  });
}

/** Asserts the OpenAI-style error envelope, its code and (optionally) the field it names. */
export async function expectError(
  response: APIResponse,
  status: number,
  code: string,
  param?: string | null,
) {
  expect(response.status(), await response.text()).toBe(status);
  expect(response.headers()["x-request-id"]).toBeTruthy();
  const body = await response.json();
  expect(Object.keys(body.error).sort()).toEqual(["code", "message", "param", "type"]);
  expect(body.error).toMatchObject({ code, message: expect.any(String), type: expect.any(String) });
  if (param !== undefined) expect(body.error.param).toBe(param);
  return body.error as { message: string; param: string | null };
}

export function inDays(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString();
}
