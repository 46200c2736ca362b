import { describe, expect, it } from "vitest";
import { curlCommand, curlModel } from "./curl-example";

describe("the show-once curl example", () => {
  it("names an enabled model: the demo model if on, else the first enabled one, else lists models", () => {
    expect(curlModel(["a/model", "modelbridge/echo"])).toBe("modelbridge/echo");
    expect(curlModel(["qwen2.5-7b", "llama-3"])).toBe("qwen2.5-7b");
    expect(curlModel([])).toBeNull();
    expect(curlCommand("http://gw", "mb_live_x", "model_serving", "qwen2.5-7b")).toContain(
      `"model":"qwen2.5-7b"`,
    );
    expect(curlCommand("http://gw", "mb_live_x", "model_serving", null)).toBe(
      'curl http://gw/v1/models \\\n  -H "Authorization: Bearer mb_live_x"',
    );
    expect(curlCommand("http://gw", "mb_mgmt_x", "management", "qwen2.5-7b")).toContain(
      "/api/v1/me",
    );
  });
});
