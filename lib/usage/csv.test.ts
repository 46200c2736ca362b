import { describe, expect, it } from "vitest";
import { csvField, csvLine, requestCsvLine } from "./csv";

describe("CSV", () => {
  it("quotes what needs quoting and keeps formulas as text", () => {
    expect(csvField('say "hi", then go')).toBe('"say ""hi"", then go"');
    expect(csvField("two\nlines")).toBe('"two\nlines"');
    expect(csvField('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvField("-1")).toBe("'-1");
    expect(csvField(-1)).toBe("-1");
    expect(csvField(null)).toBe("");
    expect(csvLine(["a", 1, true])).toBe("a,1,true\r\n");
  });

  it("a request row: ISO time, the endpoint, money as a decimal string, total and cached tokens", () => {
    const line = requestCsvLine({
      id: "x",
      requestId: "req_1",
      at: new Date("2026-05-01T10:00:00Z"),
      keyId: "k",
      keyName: "ci, nightly",
      keyDisplay: "mb_live_…abcd",
      model: "modelbridge/echo",
      endpoint: "responses",
      streamed: true,
      status: 200,
      errorCode: null,
      promptTokens: 10,
      completionTokens: 5,
      cachedInputTokens: 4,
      cost: 1_250_000n,
      costSource: "upstream",
      latencyMs: 42,
    });
    expect(line).toBe(
      '2026-05-01T10:00:00.000Z,req_1,k,"ci, nightly",mb_live_…abcd,modelbridge/echo,responses,true,200,,10,5,15,4,1.25,upstream,42\r\n',
    );
  });
});
