import { describe, expect, it } from "vitest";
import { readResponseShape } from "./response-usage";

const completion = (fields: Record<string, unknown>) =>
  JSON.stringify({
    id: "c1",
    object: "chat.completion",
    created: 1,
    model: "m",
    choices: [
      { index: 0, message: { role: "assistant", content: "Hi there" }, finish_reason: "stop" },
    ],
    ...fields,
  });

describe("readResponseShape", () => {
  it("reads usage when it is the last member (the usual shape)", () => {
    expect(
      readResponseShape(
        completion({ usage: { prompt_tokens: 12, completion_tokens: 7, total_tokens: 19 } }),
      ),
    ).toEqual({
      usage: { promptTokens: 12, completionTokens: 7 },
      hitLength: false,
      text: "",
    });
  });

  it("reads usage anywhere at the top level, pretty-printed or not", () => {
    const first = JSON.stringify(
      {
        usage: { prompt_tokens: 3, completion_tokens: 4 },
        choices: [{ index: 0, message: { content: "x" }, finish_reason: "length" }],
      },
      null,
      2,
    );
    expect(readResponseShape(first)).toEqual({
      usage: { promptTokens: 3, completionTokens: 4 },
      hitLength: true,
      text: "",
    });
    expect(
      readResponseShape(
        JSON.stringify(
          JSON.parse(completion({ usage: { prompt_tokens: 1, completion_tokens: 2 } })),
          null,
          4,
        ),
      ).usage,
    ).toEqual({ promptTokens: 1, completionTokens: 2 });
  });

  it("is not fooled by the word usage in the answer's text or in a nested object", () => {
    const inText = completion({
      usage: { prompt_tokens: 5, completion_tokens: 6 },
      choices: [
        {
          index: 0,
          message: { content: 'say "usage": {"prompt_tokens": 999}' },
          finish_reason: "stop",
        },
      ],
    });
    expect(readResponseShape(inText).usage).toEqual({ promptTokens: 5, completionTokens: 6 });
    const contentIsUsage = JSON.stringify({
      usage: { prompt_tokens: 8, completion_tokens: 9 },
      choices: [{ message: { content: "usage" } }],
    });
    expect(readResponseShape(contentIsUsage).usage).toEqual({
      promptTokens: 8,
      completionTokens: 9,
    });
    const nestedOnly = JSON.stringify({
      choices: [{ message: { content: "hello" } }],
      meta: { usage: { prompt_tokens: 999, completion_tokens: 999 } },
    });
    expect(readResponseShape(nestedOnly)).toEqual({ usage: null, hitLength: false, text: "hello" });
  });

  it("gives the text for an estimate when there is no usage", () => {
    const noUsage = JSON.stringify({
      choices: [
        { message: { content: "one " }, finish_reason: "length" },
        { message: { content: "two" } },
      ],
      usage: null,
    });
    expect(readResponseShape(noUsage)).toEqual({ usage: null, hitLength: true, text: "one two" });
  });

  it("throws on an answer that is not JSON", () => {
    expect(() => readResponseShape("<html>bad gateway</html>")).toThrow(SyntaxError);
    expect(() => readResponseShape('{"choices": [')).toThrow(SyntaxError);
    expect(() => readResponseShape("null")).toThrow(SyntaxError);
  });
});
