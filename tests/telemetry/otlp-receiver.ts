import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import protobuf from "protobufjs";

/**
 * A real OTLP/HTTP receiver for tests: it decodes each export with the official
 * opentelemetry-proto definitions (vendored beside this file) through protobufjs, or as
 * OTLP/JSON, and keeps the spans. `mode: "hang"` reads each export and never answers (a
 * collector that hangs); `closedPort()` is an address where nothing listens.
 */
export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: string;
  status: { code?: string; message?: string };
  attributes: Record<string, unknown>;
  resource: Record<string, unknown>;
}

export interface OtlpReceiver {
  url: string;
  spans: ReceivedSpan[];
  /** Exports received (bodies read), answered or not. */
  exports: number;
  contentTypes: string[];
  close(): Promise<void>;
}

const PROTO_DIR = path.join(import.meta.dirname, "opentelemetry-proto");

function exportRequestType(): protobuf.Type {
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => path.join(PROTO_DIR, target);
  root.loadSync("opentelemetry/proto/collector/trace/v1/trace_service.proto");
  return root.lookupType("opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest");
}

type AnyValue = {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: number | string;
  doubleValue?: number;
  arrayValue?: { values?: AnyValue[] };
};
type KeyValue = { key: string; value?: AnyValue };

function valueOf(value: AnyValue | undefined): unknown {
  if (!value) return undefined;
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.arrayValue) return (value.arrayValue.values ?? []).map(valueOf);
  return undefined;
}

const attributesOf = (list: KeyValue[] | undefined) =>
  Object.fromEntries((list ?? []).map((kv) => [kv.key, valueOf(kv.value)]));

/** OTLP/protobuf ids are bytes (base64 after toObject); OTLP/JSON ids are hex already. */
const hex = (id: string | undefined, json: boolean) =>
  !id ? "" : json ? id : Buffer.from(id, "base64").toString("hex");

const KINDS = ["UNSPECIFIED", "INTERNAL", "SERVER", "CLIENT", "PRODUCER", "CONSUMER"];

type ExportRequest = {
  resourceSpans?: {
    resource?: { attributes?: KeyValue[] };
    scopeSpans?: {
      spans?: {
        traceId?: string;
        spanId?: string;
        parentSpanId?: string;
        name: string;
        kind?: string | number;
        status?: { code?: string | number; message?: string };
        attributes?: KeyValue[];
      }[];
    }[];
  }[];
};

function spansOf(request: ExportRequest, json: boolean): ReceivedSpan[] {
  const out: ReceivedSpan[] = [];
  for (const rs of request.resourceSpans ?? []) {
    const resource = attributesOf(rs.resource?.attributes);
    for (const ss of rs.scopeSpans ?? [])
      for (const span of ss.spans ?? [])
        out.push({
          traceId: hex(span.traceId, json),
          spanId: hex(span.spanId, json),
          parentSpanId: hex(span.parentSpanId, json),
          name: span.name,
          kind:
            typeof span.kind === "number"
              ? `SPAN_KIND_${KINDS[span.kind]}`
              : (span.kind ?? "SPAN_KIND_UNSPECIFIED"),
          status: {
            code:
              typeof span.status?.code === "number"
                ? ["STATUS_CODE_UNSET", "STATUS_CODE_OK", "STATUS_CODE_ERROR"][span.status.code]
                : span.status?.code,
            message: span.status?.message,
          },
          attributes: attributesOf(span.attributes),
          resource,
        });
  }
  return out;
}

export async function startOtlpReceiver(mode: "ok" | "hang" = "ok"): Promise<OtlpReceiver> {
  const type = exportRequestType();
  const receiver: OtlpReceiver = {
    url: "",
    spans: [],
    exports: 0,
    contentTypes: [],
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      receiver.exports++;
      if (mode === "hang") return;
      const body = Buffer.concat(chunks);
      const contentType = req.headers["content-type"] ?? "";
      receiver.contentTypes.push(contentType);
      if (req.url !== "/v1/traces") {
        res.writeHead(404).end();
        return;
      }
      const json = contentType.includes("json");
      const decoded = json
        ? (JSON.parse(body.toString("utf8")) as ExportRequest)
        : (type.toObject(type.decode(body), {
            longs: String,
            enums: String,
            bytes: String,
          }) as ExportRequest);
      receiver.spans.push(...spansOf(decoded, json));
      res.writeHead(200, { "content-type": json ? "application/json" : "application/x-protobuf" });
      res.end(json ? "{}" : undefined);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return receiver;
}

/** An address where nothing listens (a port just given back by the kernel). */
export async function closedPort(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}
