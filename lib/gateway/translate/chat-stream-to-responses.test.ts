import { describe, expect, it } from "vitest";
import { openAiSchemas, sseEvents } from "@/tests/helpers/openai-schemas";
import { ResponsesStreamTranslator } from "./chat-stream-to-responses";
import { responseBase } from "./response-object";
import { responsesToChat } from "./responses-to-chat";

const validate = openAiSchemas();

const request = {
  model: "acme/model",
  input: "hi",
  stream: true,
  tools: [
    {
      type: "function",
      name: "exec_command",
      parameters: { type: "object", properties: { cmd: { type: "string" } } },
      strict: false,
    },
    {
      type: "namespace",
      name: "crm",
      description: "CRM",
      tools: [{ type: "function", name: "lookup", parameters: {}, strict: false }],
    },
    { type: "custom", name: "apply_patch" },
  ],
};
const { toolNames } = responsesToChat(request);

const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({
  id: "c",
  object: "chat.completion.chunk",
  created: 1,
  model: "u",
  choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }],
});
const usageChunk = {
  id: "c",
  object: "chat.completion.chunk",
  created: 1,
  model: "u",
  choices: [],
  usage: { prompt_tokens: 9, completion_tokens: 4, total_tokens: 13 },
};

/** Runs chunks through a translator; returns every event, each checked against OpenAI's schema. */
function run(chunks: object[], end: "finish" | { fail: string } = "finish") {
  const translator = new ResponsesStreamTranslator(responseBase(request, "acme/model"), toolNames);
  let text = translator.start();
  for (const c of chunks) text += translator.chunk(c);
  text +=
    end === "finish"
      ? translator.finish()
      : translator.fail({ code: "upstream_error", message: end.fail });
  const events = sseEvents(text);
  for (const { event, data } of events) {
    expect(event).toBe(data.type);
    expect(
      validate("ResponseStreamEvent", data),
      `${data.type}: ${JSON.stringify(data)}`,
    ).toBeNull();
  }
  expect(events.map((e) => e.data.sequence_number)).toEqual(events.map((_, i) => i));
  return events.map((e) => e.data);
}

const types = (events: Record<string, any>[]) => events.map((e) => e.type);

describe("chat chunks as Responses stream events", () => {
  it("text: created, in_progress, the message item's events, completed with usage", () => {
    const events = run([
      chunk({ role: "assistant", content: "" }),
      chunk({ content: "Hel" }),
      chunk({ content: "lo" }),
      chunk({}, "stop"),
      usageChunk,
    ]);
    expect(types(events)).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.content_part.added",
      "response.output_text.delta",
      "response.output_text.delta",
      "response.output_text.done",
      "response.content_part.done",
      "response.output_item.done",
      "response.completed",
    ]);
    expect(
      events.filter((e) => e.type === "response.output_text.delta").map((e) => e.delta),
    ).toEqual(["Hel", "lo"]);
    const completed = events.at(-1)!.response;
    expect(completed).toMatchObject({
      status: "completed",
      usage: { input_tokens: 9, output_tokens: 4, total_tokens: 13 },
    });
    expect(completed.output).toMatchObject([
      { type: "message", status: "completed", content: [{ type: "output_text", text: "Hello" }] },
    ]);
    expect(events[0].response).toMatchObject({ status: "in_progress", output: [] });
  });

  it("a tool call streamed in pieces: added, argument deltas, done with the whole arguments", () => {
    const events = run([
      chunk({
        role: "assistant",
        content: null,
        tool_calls: [
          {
            index: 0,
            id: "call_1",
            type: "function",
            function: { name: "exec_command", arguments: "" },
          },
        ],
      }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '{"cmd":' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '"ls"}' } }] }),
      chunk({}, "tool_calls"),
      usageChunk,
    ]);
    expect(types(events)).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.function_call_arguments.delta",
      "response.function_call_arguments.delta",
      "response.function_call_arguments.done",
      "response.output_item.done",
      "response.completed",
    ]);
    expect(events[2].item).toMatchObject({
      type: "function_call",
      call_id: "call_1",
      name: "exec_command",
      arguments: "",
      status: "in_progress",
    });
    expect(events[5]).toMatchObject({ name: "exec_command", arguments: '{"cmd":"ls"}' });
    expect(events.at(-1)!.response.output).toMatchObject([
      { type: "function_call", call_id: "call_1", arguments: '{"cmd":"ls"}', status: "completed" },
    ]);
  });

  it("text then two parallel calls, one namespaced and one custom: each is its own item, in order", () => {
    const events = run([
      chunk({ content: "Looking." }),
      chunk({
        tool_calls: [
          {
            index: 0,
            id: "call_a",
            type: "function",
            function: { name: "crm__lookup", arguments: "{}" },
          },
        ],
      }),
      chunk({
        tool_calls: [
          {
            index: 1,
            id: "call_b",
            type: "function",
            function: { name: "apply_patch", arguments: '{"input":"*** Begin' },
          },
        ],
      }),
      chunk({ tool_calls: [{ index: 1, function: { arguments: ' Patch"}' } }] }),
      chunk({}, "tool_calls"),
    ]);
    const output = events.at(-1)!.response.output;
    expect(output).toMatchObject([
      { type: "message", content: [{ text: "Looking." }] },
      { type: "function_call", call_id: "call_a", namespace: "crm", name: "lookup" },
      {
        type: "custom_tool_call",
        call_id: "call_b",
        name: "apply_patch",
        input: "*** Begin Patch",
      },
    ]);
    expect(events.find((e) => e.type === "response.custom_tool_call_input.done")).toMatchObject({
      input: "*** Begin Patch",
      output_index: 2,
    });
    // The custom tool's JSON wrapper never reaches the client as argument deltas.
    expect(
      events
        .filter((e) => e.type === "response.function_call_arguments.delta")
        .map((e) => e.output_index),
    ).toEqual([1]);
    // No usage from the upstream: none, and the gateway meters by its own count.
    expect(events.at(-1)!.response.usage).toBeUndefined();
  });

  it("reasoning text first: a reasoning item, closed when the answer begins", () => {
    const events = run([
      chunk({ reasoning_content: "Thinking" }),
      chunk({ reasoning_content: " more" }),
      chunk({ content: "Done" }),
      chunk({}, "stop"),
    ]);
    expect(types(events).slice(2, 9)).toEqual([
      "response.output_item.added",
      "response.content_part.added",
      "response.reasoning_text.delta",
      "response.reasoning_text.delta",
      "response.reasoning_text.done",
      "response.content_part.done",
      "response.output_item.done",
    ]);
    expect(events.at(-1)!.response.output).toMatchObject([
      { type: "reasoning", content: [{ type: "reasoning_text", text: "Thinking more" }] },
      { type: "message", content: [{ text: "Done" }] },
    ]);
  });

  it("a refusal streams as refusal deltas", () => {
    const events = run([chunk({ refusal: "No" }), chunk({ refusal: "pe." }), chunk({}, "stop")]);
    expect(types(events)).toContain("response.refusal.delta");
    expect(events.find((e) => e.type === "response.refusal.done")).toMatchObject({
      refusal: "Nope.",
    });
  });

  it("stopped at the token cap: response.incomplete, reason max_output_tokens", () => {
    const events = run([chunk({ content: "Sun" }), chunk({}, "length")]);
    expect(events.at(-1)).toMatchObject({
      type: "response.incomplete",
      response: { status: "incomplete", incomplete_details: { reason: "max_output_tokens" } },
    });
  });

  it("a broken upstream: what was produced is closed, then error and response.failed", () => {
    const events = run([chunk({ content: "Par" })], {
      fail: "The model server ended the stream early.",
    });
    expect(types(events).slice(-5)).toEqual([
      "response.output_text.done",
      "response.content_part.done",
      "response.output_item.done",
      "error",
      "response.failed",
    ]);
    expect(events.at(-1)!.response).toMatchObject({
      status: "failed",
      error: { code: "server_error", message: "The model server ended the stream early." },
    });
  });

  it("only the first choice is the answer (Responses has no n)", () => {
    const events = run([
      {
        ...chunk({ content: "A" }),
        choices: [
          { index: 1, delta: { content: "B" }, finish_reason: null },
          { index: 0, delta: { content: "A" }, finish_reason: null },
        ],
      },
      chunk({}, "stop"),
    ]);
    expect(events.at(-1)!.response.output[0].content[0].text).toBe("A");
  });
});
