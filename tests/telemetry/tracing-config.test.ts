import { describe, expect, it } from "vitest";
import { telemetrySettings } from "@/lib/env";
import { createTracing } from "@/lib/telemetry/process-tracing";
import { tracingConfig } from "@/lib/telemetry/tracing-config";
import { prettyLine } from "@/lib/core/pretty-line";
import { startOtlpReceiver } from "./otlp-receiver";

const config = (vars: Record<string, string>) => tracingConfig(telemetrySettings(vars));

describe("OTEL_* variables", () => {
  it("off without an endpoint, with OTEL_SDK_DISABLED or OTEL_TRACES_EXPORTER=none", async () => {
    expect(config({})).toBeNull();
    expect(config({ OTEL_EXPORTER_OTLP_ENDPOINT: "" })).toBeNull();
    expect(
      config({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318", OTEL_SDK_DISABLED: "true" }),
    ).toBeNull();
    expect(
      config({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318", OTEL_TRACES_EXPORTER: "none" }),
    ).toBeNull();
    // Off: no tracing object at all, so the gateway makes no span.
    expect(await createTracing(null, () => undefined)).toBeNull();
  });

  it("the base endpoint gets /v1/traces; the traces endpoint is used as given and wins", () => {
    expect(config({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318/" })?.url).toBe(
      "http://c:4318/v1/traces",
    );
    expect(
      config({
        OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318",
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "https://lf.example/api/public/otel/v1/traces",
      })?.url,
    ).toBe("https://lf.example/api/public/otel/v1/traces");
  });

  it("refuses gRPC and a sampler ratio outside 0..1", () => {
    expect(() => telemetrySettings({ OTEL_EXPORTER_OTLP_PROTOCOL: "grpc" })).toThrow(
      /http\/protobuf or http\/json/,
    );
    expect(() => telemetrySettings({ OTEL_TRACES_SAMPLER_ARG: "2" })).toThrow();
    expect(
      config({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c", OTEL_TRACES_SAMPLER_ARG: "0.25" }),
    ).toMatchObject({ sampler: "parentbased_always_on", samplerRatio: 0.25 });
  });

  it("http/json exports OTLP/JSON; OTEL_TRACES_SAMPLER=always_off exports nothing", async () => {
    const receiver = await startOtlpReceiver();
    const json = (await createTracing(
      config({
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
      }),
      () => undefined,
    ))!;
    json.tracer.startSpan("json span").end();
    await json.shutdown();
    expect(receiver.contentTypes).toEqual(["application/json"]);
    expect(receiver.spans.map((s) => [s.name, s.resource["service.name"]])).toEqual([
      ["json span", "modelbridge"],
    ]);

    const off = (await createTracing(
      config({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_TRACES_SAMPLER: "always_off" }),
      () => undefined,
    ))!;
    off.tracer.startSpan("unsampled").end();
    await off.shutdown();
    expect(receiver.spans.map((s) => s.name)).toEqual(["json span"]);
    await receiver.close();
  });
});

describe("LOG_FORMAT=pretty", () => {
  it("one readable line: time, level, message, then key=value (quoted when needed)", () => {
    const line = prettyLine(
      "2026-12-07T14:02:07.113Z",
      {
        level: "warn",
        msg: "v1 request",
        request_id: "req_1",
        status: 429,
        error_code: null,
        model: "my model",
        trace_id: "4bf92f3577b34da6a3ce929d0e0e4736",
        dropped: ["a"],
      },
      false,
    );
    expect(line).toBe(
      '14:02:07.113 WARN  v1 request request_id=req_1 status=429 model="my model" trace_id=4bf92f3577b34da6a3ce929d0e0e4736 dropped=["a"]\n',
    );
  });
});
