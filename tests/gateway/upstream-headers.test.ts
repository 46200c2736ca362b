import { describe, expect, it } from "vitest";
import { createKey, createUser, registerFakeModels, harnessForFile } from "../helpers/harness";

/**
 * What the model server receives from a caller's headers, recorded by the fake upstream's
 * `echo-request` behaviour: the operator's credential must not arrive next to headers the
 * caller chose (billing org/project, a second credential, metadata-service headers).
 */
const t = harnessForFile(async (h) => {
  await registerFakeModels(h.database, h.upstream.url, ["echo-request"]);
  const user = await createUser(h.database);
  const key = (await createKey(h.database, { userId: user.id })).key;
  return { key };
});

async function headersSeenUpstream(extra: Record<string, string>): Promise<Record<string, string>> {
  const response = await fetch(`${t.h.baseURL}/chat/completions`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${t.value.key}`,
      "content-type": "application/json",
      ...extra,
    },
    body: JSON.stringify({
      model: "fake/echo-request",
      messages: [{ role: "user", content: "hi" }],
    }),
  });
  expect(response.status).toBe(200);
  const completion = (await response.json()) as { choices: { message: { content: string } }[] };
  return JSON.parse(completion.choices[0].message.content).headers;
}

describe("headers forwarded to the upstream", () => {
  it("drops the caller's org/project, credentials, cookies and metadata headers", async () => {
    const seen = await headersSeenUpstream({
      "openai-organization": "org-attacker",
      "openai-project": "proj-attacker",
      "api-key": "caller-azure-key",
      "x-api-key": "caller-anthropic-key",
      "x-real-ip": "169.254.169.254",
      "metadata-flavor": "Google",
      "x-aws-ec2-metadata-token": "token",
      cookie: "authjs.session-token=stolen",
      "x-forwarded-for": "10.9.9.9",
      "x-custom-header": "anything",
    });
    for (const name of [
      "openai-organization",
      "openai-project",
      "api-key",
      "x-api-key",
      "x-real-ip",
      "metadata-flavor",
      "x-aws-ec2-metadata-token",
      "cookie",
      "x-forwarded-for",
      "x-custom-header",
    ]) {
      expect(seen[name], name).toBeUndefined();
    }
    expect(seen.authorization).toBe("Bearer upstream-secret-credential");
  });

  it("keeps the user agent and the protocol's version and beta headers", async () => {
    const seen = await headersSeenUpstream({
      "user-agent": "my-app/1.2",
      "openai-beta": "assistants=v2",
      "anthropic-version": "2023-06-01",
      "anthropic-beta": "prompt-caching-2024-07-31",
    });
    expect(seen).toMatchObject({
      "user-agent": "my-app/1.2",
      "openai-beta": "assistants=v2",
      "anthropic-version": "2023-06-01",
      "anthropic-beta": "prompt-caching-2024-07-31",
      "content-type": "application/json",
      accept: "application/json",
    });
  });

  it("tracing off: the client's W3C traceparent and tracestate reach the upstream as they came", async () => {
    const traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    const seen = await headersSeenUpstream({ traceparent, tracestate: "vendor=x" });
    expect(seen).toMatchObject({ traceparent, tracestate: "vendor=x" });
  });
});
