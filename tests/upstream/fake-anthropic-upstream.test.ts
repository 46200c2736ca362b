import Anthropic from "@anthropic-ai/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeUpstream, type FakeUpstream } from "./start-fake-upstream";

/** The fake Anthropic upstream is only useful if the real SDK takes it for the real API. */
let upstream: FakeUpstream;
beforeAll(async () => {
  upstream = await startFakeUpstream({ script: "anthropic" });
});
afterAll(() => upstream?.stop());

const client = (apiKey = "sk-ant-fake") =>
  new Anthropic({ apiKey, baseURL: upstream.url, maxRetries: 0 });

describe("the fake Anthropic upstream, seen by @anthropic-ai/sdk", () => {
  it("answers messages.create with a Message and usage", async () => {
    const message = await client().messages.create({
      model: "claude-text",
      max_tokens: 100,
      messages: [{ role: "user", content: "hi" }],
    });
    expect(message.content).toEqual([
      { type: "text", text: "Hello from fake Claude", citations: null },
    ]);
    expect(message.stop_reason).toBe("end_turn");
    expect(message.usage).toMatchObject({ input_tokens: 11, output_tokens: 4 });
  });

  it("streams events the SDK assembles into the same message, thinking and tools included", async () => {
    const stream = client().messages.stream({
      model: "claude-tool",
      max_tokens: 2000,
      thinking: { type: "enabled", budget_tokens: 1024 },
      tools: [
        {
          name: "get_weather",
          input_schema: { type: "object", properties: { city: { type: "string" } } },
        },
      ],
      messages: [
        {
          role: "user",
          content: [{ type: "text", text: "weather?", cache_control: { type: "ephemeral" } }],
        },
      ],
    });
    const types: string[] = [];
    stream.on("streamEvent", (event) => types.push(event.type));
    const message = await stream.finalMessage();
    expect(message.content).toEqual([
      expect.objectContaining({ type: "tool_use", name: "get_weather", input: { city: "Paris" } }),
    ]);
    expect(message.stop_reason).toBe("tool_use");
    expect(message.usage).toMatchObject({
      input_tokens: 11,
      output_tokens: 9,
      cache_read_input_tokens: 7,
      cache_creation_input_tokens: 5,
    });
    expect(types[0]).toBe("message_start");
    expect(types.at(-1)).toBe("message_stop");
  });

  it("refuses a wrong key in Anthropic's envelope", async () => {
    const error = await client("wrong")
      .messages.create({
        model: "claude-text",
        max_tokens: 10,
        messages: [{ role: "user", content: "hi" }],
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.AuthenticationError);
    expect((error as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({
      type: "error",
      error: { type: "authentication_error" },
    });
  });

  it("records what it received", async () => {
    await client().messages.create(
      { model: "claude-text", max_tokens: 5, messages: [{ role: "user", content: "x" }] },
      { headers: { "anthropic-beta": "b1" } },
    );
    const recorded = (await (await fetch(`${upstream.url}/v1/_fake/requests`)).json()) as {
      headers: Record<string, string>;
      body: { max_tokens: number };
    }[];
    expect(recorded.at(-1)).toMatchObject({
      headers: { "anthropic-beta": "b1", authorization: "Bearer sk-ant-fake" },
      body: { max_tokens: 5 },
    });
  });
});
