/**
 * Production entry (`npm start`). `/v1/*` is served straight from node:http through
 * lib/gateway — no Next.js on the hot path — and everything else is handed to Next.
 * With SERVE=gateway, Next is never loaded (its global patches and AsyncLocalStorage hooks
 * cost every /v1 request in the process, and its memory): /v1, health and metrics only.
 * The database is opened before listening, so a second process on the same PGlite data
 * directory exits with a clear message instead of corrupting it. With Postgres, one process
 * per core (WEB_CONCURRENCY) shares the port through Node's cluster (lib/server/processes.ts).
 */
import cluster from "node:cluster";
import http from "node:http";
import { getDatabase } from "@/db/client";
import { DataDirLockedError } from "@/db/data-dir-lock";
import { env } from "@/lib/env";
import { checkReadiness } from "@/lib/health";
import { PAGE_URL_HEADER } from "@/lib/auth/return-to";
import { CLIENT_IP_HEADER } from "@/lib/http/client-ip";
import { ApiError } from "@/lib/errors/api-error";
import { writeError } from "@/lib/errors/write-error";
import { HSTS_VALUE, servedOverHttps } from "@/lib/http/strict-transport-security";
import { serveMetrics } from "@/lib/metrics/serve-metrics";
import { declaredTooLarge, enforceBodyCap } from "@/lib/server/body-cap";
import { bodyCapFor } from "@/lib/server/body-caps";
import {
  capConnectionsPerAddress,
  DEFAULT_CONNECTION_LIMITS,
  serverOptions,
} from "@/lib/server/connection-guard";
import { mountGateway } from "@/lib/server/gateway-mount";
import {
  isCrossOriginServerAction,
  refuseCrossOriginAction,
} from "@/lib/server/server-action-origin";
import { refuseUpgrade } from "@/lib/gateway/entry/refuse-upgrade";
import { processPlan, superviseWorkers } from "@/lib/server/processes";
import { ensureWebhookWorker } from "@/lib/webhooks/runtime";
import { subscribeKeyAlerts } from "@/lib/alerts/subscribe";

async function main() {
  const config = env();
  if (cluster.isPrimary) {
    const plan = processPlan(config);
    console.log(JSON.stringify({ msg: "processes", workers: plan.workers, reason: plan.reason }));
    if (plan.workers > 1) {
      superviseWorkers(plan.workers, (line) => console.log(JSON.stringify(line)));
      return;
    }
  }
  const database = await getDatabase();

  const handleRest =
    config.SERVE === "gateway" ? gatewayOnlyRest : lazyNext(config.HOST, config.PORT);
  const gateway = await mountGateway();
  // Due webhook deliveries (alerts, retries) are sent from every process; claims keep them apart.
  const webhookWorker = ensureWebhookWorker(database.db);
  // Spend thresholds reached by this process's requests become alerts (once per period, across processes).
  subscribeKeyAlerts(database.db);

  let stopping = false;
  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (stopping) res.shouldKeepAlive = false;
    // Set from the socket, overwriting anything a client sent: see lib/http/client-ip.ts.
    req.headers[CLIENT_IP_HEADER] = req.socket.remoteAddress ?? "unknown";
    if (servedOverHttps(req, config.TRUST_PROXY))
      res.setHeader("strict-transport-security", HSTS_VALUE);
    const url = req.url ?? "/";
    if (url === "/healthz") {
      res.writeHead(200, { "content-type": "application/json" }).end('{"status":"ok"}');
      return;
    }
    // Answered here, not by Next (app/readyz is the same check for `next start`): a load
    // balancer's probe must not be what loads the dashboard into a process serving /v1.
    if (url === "/readyz" || url.startsWith("/readyz?")) {
      void serveReadiness(res);
      return;
    }
    if (url === "/metrics" || url.startsWith("/metrics?")) {
      void serveMetrics(req, res);
      return;
    }
    // Google's Gemini API lives beside /v1: /v1beta/models/… and /v1alpha/models/….
    if (
      url === "/v1" ||
      url.startsWith("/v1/") ||
      url.startsWith("/v1?") ||
      url.startsWith("/v1beta/") ||
      url.startsWith("/v1alpha/")
    ) {
      gateway.handle(req, res);
      return;
    }
    // Next throws on a cross-origin server action (a 500): answer it 403 here.
    if (isCrossOriginServerAction(req)) {
      refuseCrossOriginAction(res);
      return;
    }
    // The page asked for, so that a sign-in redirect can come back to it (lib/auth/return-to.ts).
    req.headers[PAGE_URL_HEADER] = url;
    // Next reads bodies whole: cap them here, per route class, before it sees them.
    const cap = bodyCapFor(url);
    const admitted = cap === null ? true : enforceBodyCap(req, res, cap);
    if (admitted === true) void handleRest(req, res);
    else if (admitted !== false) {
      void admitted.then((ok) => {
        if (ok) void handleRest(req, res);
      });
    }
  };
  // Slow headers cut off, and one address holds a bounded number of connections, so one
  // client cannot use up the sockets /healthz and /v1 need (lib/server/connection-guard.ts).
  const limits = {
    ...DEFAULT_CONNECTION_LIMITS,
    headersTimeoutMs: config.HEADERS_TIMEOUT_MS,
    perAddress: config.TRUST_PROXY > 0 ? 0 : config.MAX_CONNECTIONS_PER_ADDRESS,
  };
  const server = http.createServer(serverOptions(limits), onRequest);
  capConnectionsPerAddress(server, limits.perAddress);
  // A WebSocket upgrade (Copilot's Responses WebSocket mode) gets an HTTP answer, not a reset.
  server.on("upgrade", refuseUpgrade);
  // `Expect: 100-continue` (curl's habit for large uploads): a body over the cap is refused
  // before the client sends it. /v1 checks its own declared length before reading.
  server.on("checkContinue", (req: http.IncomingMessage, res: http.ServerResponse) => {
    const cap = bodyCapFor(req.url ?? "/");
    if (cap === null || !declaredTooLarge(req, cap)) res.writeContinue();
    onRequest(req, res);
  });
  server.keepAliveTimeout = 65_000;

  server.listen(config.PORT, config.HOST, () => {
    const shown = config.HOST === "0.0.0.0" ? "localhost" : config.HOST;
    console.log(
      JSON.stringify({
        msg: "listening",
        url: `http://${shown}:${config.PORT}`,
        database: database.kind,
        serve: config.SERVE,
      }),
    );
  });

  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(JSON.stringify({ msg: "shutting down", signal }));
    // Stop accepting, let in-flight requests finish, then flush what is buffered.
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // server.close() only closes connections idle at that moment: a keep-alive client under
    // load keeps its connection busy and would hold shutdown until the 30 s cap. Answers
    // after close() say `Connection: close`, and whatever goes idle is closed promptly.
    const closeIdle = setInterval(() => server.closeIdleConnections(), 50);
    server.closeIdleConnections();
    await Promise.race([closed, new Promise((r) => setTimeout(r, 30_000))]);
    clearInterval(closeIdle);
    await gateway.shutdown();
    await webhookWorker.stop();
    await database.close();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>;

async function nextHandler(hostname: string, port: number): Promise<Handler> {
  const { default: next } = await import("next");
  const app = next({ dev: false, dir: process.cwd(), hostname, port });
  const handle = app.getRequestHandler();
  await app.prepare();
  return (req, res) => handle(req, res);
}

/**
 * Next.js, loaded by the first request for the dashboard or /api/v1, not at start: until
 * then a process that serves /v1 carries neither its memory (~70–100 MB resident after
 * load) nor its global patches, which every request in the process pays for. The first
 * dashboard request waits for Next to prepare (about a second).
 */
function lazyNext(hostname: string, port: number): Handler {
  let loading: Promise<Handler> | null = null;
  return async (req, res) => {
    loading ??= nextHandler(hostname, port);
    let handle: Handler;
    try {
      handle = await loading;
    } catch (error) {
      loading = null;
      console.error(
        JSON.stringify({
          level: "error",
          msg: "loading the dashboard failed",
          error: String(error),
        }),
      );
      if (!res.headersSent)
        res
          .writeHead(503, { "content-type": "text/plain" })
          .end("The dashboard could not be loaded; try again.");
      return;
    }
    await handle(req, res);
  };
}

async function serveReadiness(res: http.ServerResponse): Promise<void> {
  const readiness = await checkReadiness();
  res
    .writeHead(readiness.ready ? 200 : 503, { "content-type": "application/json" })
    .end(JSON.stringify(readiness));
}

/** SERVE=gateway: a clear 404 for everything that is not /v1, health or metrics. */
async function gatewayOnlyRest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const message =
    "This process serves /v1 only (SERVE=gateway); the dashboard and /api/v1 are on the processes started with SERVE=all.";
  writeError(res, new ApiError(404, "not_found", message), { envelope: "openai" });
}

main().catch((error) => {
  if (error instanceof DataDirLockedError) {
    console.error(`ModelBridge cannot start: ${error.message}`);
  } else {
    console.error(error);
  }
  process.exit(1);
});
