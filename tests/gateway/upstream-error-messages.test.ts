import { describe, expect, it } from "vitest";
import OpenAI from "openai";
import {
  client,
  createKey,
  createUser,
  registerFakeModels,
  harnessForFile,
} from "../helpers/harness";
import { sanitizeUpstreamMessage } from "@/lib/gateway/relay/upstream-message";

/**
 * Issue 27 item 9: an upstream's 4xx message reaches the client with its status and gist,
 * never with the Authorization value it received, its own URL, internal hosts, file paths
 * or credentials it quoted.
 */
const statuses = [400, 404, 409, 413, 422, 429];

const t = harnessForFile(async (h) => {
  await registerFakeModels(
    h.database,
    h.upstream.url,
    statuses.map((s) => `leaky-${s}`),
  );
  const user = await createUser(h.database);
  const key = (await createKey(h.database, { userId: user.id })).key;
  return { key };
});

describe("upstream error messages", () => {
  it.each(statuses)(
    "a %i keeps its status but not the secrets, URLs and paths it quoted",
    async (status) => {
      const error = await client(t.h.baseURL, t.value.key)
        .chat.completions.create({
          model: `fake/leaky-${status}`,
          messages: [{ role: "user", content: "hi" }],
        })
        .then(
          () => null,
          (e: unknown) => e as InstanceType<typeof OpenAI.APIError>,
        );
      expect(error?.status).toBe(status === 404 ? 400 : status);
      const message = error?.message ?? "";
      expect(message).toMatch(/bad request with Authorization/);
      for (const leaked of [
        "upstream-secret-credential",
        "hunter2",
        "10.0.3.7",
        "/internal/debug",
        "abc123",
        "/srv/models",
        "handlers.py",
        "sk-live-abcdef1234567890",
        new URL(t.h.upstream.url).host,
      ]) {
        expect(message, leaked).not.toContain(leaked);
      }
    },
  );

  it("keeps an ordinary message whole", () => {
    expect(sanitizeUpstreamMessage("top_k must be positive")).toBe("top_k must be positive");
    expect(
      sanitizeUpstreamMessage("Invalid 'messages[0].content': string too long (max 1048576)."),
    ).toBe("Invalid 'messages[0].content': string too long (max 1048576).");
    expect(sanitizeUpstreamMessage("x-api-key: sk-ant-api03-aaaaaaaaaaaa")).not.toContain("sk-ant");
  });
});
