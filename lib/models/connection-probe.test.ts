import { describe, expect, it } from "vitest";
import { connectionProbe } from "./connection-probe";

describe("the connection probe, by provider", () => {
  it.each([
    {
      model: { provider: "openai" as const, baseUrl: "http://vllm:8000/v1", apiKey: "sk" },
      url: "http://vllm:8000/v1/models",
      headers: { authorization: "Bearer sk" },
    },
    {
      model: { provider: "openai" as const, baseUrl: "http://ollama:11434/v1", apiKey: null },
      url: "http://ollama:11434/v1/models",
      headers: {},
    },
    {
      model: {
        provider: "anthropic" as const,
        baseUrl: "https://api.anthropic.com",
        apiKey: "sk-ant",
      },
      url: "https://api.anthropic.com/v1/models",
      headers: { "x-api-key": "sk-ant", "anthropic-version": "2023-06-01" },
    },
    {
      model: {
        provider: "anthropic" as const,
        baseUrl: "https://proxy.example/v1/",
        apiKey: "sk-ant",
      },
      url: "https://proxy.example/v1/models",
      headers: { "x-api-key": "sk-ant" },
    },
  ])("$model.provider at $model.baseUrl", ({ model, url, headers }) => {
    const probe = connectionProbe(model);
    expect(probe.url).toBe(url);
    expect(probe.headers).toMatchObject(headers);
    if (model.provider === "anthropic") expect(probe.headers.authorization).toBeUndefined();
  });
});
