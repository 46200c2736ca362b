import { describe, expect, it } from "vitest";
import { createKey, createUser, harnessForFile } from "../helpers/harness";

/** The App Router path (`app/v1/**` route handlers) runs the same core through the Web adapter. */
const t = harnessForFile(async (h) => {
  const key = (await createKey(h.database, { userId: (await createUser(h.database)).id })).key;
  return { key };
});

const post = (body: unknown, headers: Record<string, string> = {}) =>
  t.h.runtime.handleWeb(
    new Request("http://localhost/v1/chat/completions", {
      method: "POST",
      headers: {
        authorization: `Bearer ${t.value.key}`,
        "content-type": "application/json",
        ...headers,
      },
      body: JSON.stringify(body),
    }),
  );

describe("web adapter", () => {
  it("serves a non-streaming completion", async () => {
    const response = await post({
      model: "modelbridge/echo",
      messages: [{ role: "user", content: "hi" }],
    });
    expect(response.status).toBe(200);
    expect((await response.json()).choices[0].message.content).toBe("Echo: hi");
  });

  it("streams SSE ending in [DONE]", async () => {
    const response = await post({
      model: "modelbridge/echo",
      messages: [{ role: "user", content: "a b c" }],
      stream: true,
    });
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const text = await response.text();
    expect(text).toContain('"content":" b"');
    expect(text.trimEnd().endsWith("data: [DONE]")).toBe(true);
  });

  it("answers errors in the envelope with x-request-id", async () => {
    const response = await post({ model: "modelbridge/echo", messages: [] });
    expect(response.status).toBe(400);
    expect(response.headers.get("x-request-id")).toMatch(/^req_/);
    expect((await response.json()).error.code).toBe("invalid_request");
  });
});
