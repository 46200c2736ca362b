import { describe, expect, it } from "vitest";
import OpenAI from "openai";
import {
  client,
  createKey,
  createUser,
  registerFakeModels,
  harnessForFile,
} from "../helpers/harness";

/**
 * The built-in model judges requests as OpenAI would (400 with `param` naming the field);
 * for real upstreams, known OpenAI fields of the wrong JSON type are refused at the door,
 * and everything else (ranges, unknown fields) is the upstream's to judge.
 */
const t = harnessForFile(async (h) => {
  await registerFakeModels(h.database, h.upstream.url, ["echo-request"]);
  const key = (await createKey(h.database, { userId: (await createUser(h.database)).id })).key;
  return { key };
});

const send = (body: Record<string, unknown>) =>
  client(t.h.baseURL, t.value.key)
    .chat.completions.create(body as never)
    .then(
      () => ({ status: 200, param: null as string | null }),
      (error: InstanceType<typeof OpenAI.APIError>) => ({
        status: error.status,
        param: error.param ?? null,
        code: error.code,
      }),
    );

const echo = (extra: Record<string, unknown>) =>
  send({ model: "modelbridge/echo", messages: [{ role: "user", content: "hi" }], ...extra });

describe("modelbridge/echo judges requests as OpenAI does", () => {
  it("a user message with no content is a 400 naming messages.0.content", async () => {
    expect(await send({ model: "modelbridge/echo", messages: [{ role: "user" }] })).toMatchObject({
      status: 400,
      param: "messages.0.content",
      code: "invalid_request",
    });
  });

  it('temperature "hot" is a 400 naming temperature, for the echo model and for real upstreams alike', async () => {
    expect(await echo({ temperature: "hot" })).toMatchObject({ status: 400, param: "temperature" });
    expect(
      await send({
        model: "fake/echo-request",
        messages: [{ role: "user", content: "hi" }],
        temperature: "hot",
      }),
    ).toMatchObject({ status: 400, param: "temperature" });
  });

  it("sampling fields out of OpenAI's ranges are refused by the echo model, but passed to a real upstream", async () => {
    expect(await echo({ temperature: 2.5 })).toMatchObject({ status: 400, param: "temperature" });
    expect(await echo({ top_p: 1.5 })).toMatchObject({ status: 400, param: "top_p" });
    expect(await echo({ presence_penalty: -3 })).toMatchObject({
      status: 400,
      param: "presence_penalty",
    });
    expect(await echo({ stop: ["a", "b", "c", "d", "e"] })).toMatchObject({
      status: 400,
      param: "stop",
    });
    expect(
      await send({
        model: "fake/echo-request",
        messages: [{ role: "user", content: "hi" }],
        temperature: 2.5,
      }),
    ).toMatchObject({ status: 200 });
  });

  it("each role's shape: a tool message needs tool_call_id, an assistant message content or tool_calls, system content", async () => {
    expect(
      await send({
        model: "modelbridge/echo",
        messages: [
          { role: "user", content: "hi" },
          { role: "tool", content: "42" },
        ],
      }),
    ).toMatchObject({ status: 400, param: "messages.1.tool_call_id" });
    expect(
      await send({
        model: "modelbridge/echo",
        messages: [{ role: "assistant" }, { role: "user", content: "hi" }],
      }),
    ).toMatchObject({ status: 400, param: "messages.0.content" });
    expect(
      await send({
        model: "modelbridge/echo",
        messages: [
          { role: "system", content: null },
          { role: "user", content: "hi" },
        ],
      }),
    ).toMatchObject({ status: 400, param: "messages.0.content" });
  });

  it("a well-formed conversation with tools, and fields OpenAI does not know, are answered", async () => {
    const result = await send({
      model: "modelbridge/echo",
      messages: [
        { role: "developer", content: "be brief" },
        { role: "user", content: [{ type: "text", text: "what is 6*7?" }] },
        {
          role: "assistant",
          content: null,
          tool_calls: [
            {
              id: "call_1",
              type: "function",
              function: { name: "calc", arguments: '{"x":"6*7"}' },
            },
          ],
        },
        { role: "tool", tool_call_id: "call_1", content: "42" },
      ],
      tools: [{ type: "function", function: { name: "calc", parameters: { type: "object" } } }],
      temperature: 0,
      top_p: 1,
      stop: ["\n\n"],
      top_k: 5,
    });
    expect(result).toMatchObject({ status: 200 });
  });
});
