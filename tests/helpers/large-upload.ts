import http from "node:http";

export interface UploadResult {
  /** The answer's status, or null if the connection ended without one. */
  status: number | null;
  body: string;
  /** Bytes of body written before the answer came (or the upload ended). */
  sentBeforeAnswer: number;
}

const CHUNK = Buffer.alloc(1024 * 1024, 0x61);

/**
 * POSTs `bytes` of body to `url` the way an attacker would, one reused 1 MiB buffer at a
 * time (so the sender's own memory stays flat), declared with Content-Length or chunked.
 * Stops sending as soon as an answer arrives: a server that refuses early is not made to
 * swallow the rest.
 */
export function largeUpload(
  url: string,
  bytes: number,
  options: { chunked?: boolean; headers?: Record<string, string> } = {},
): Promise<UploadResult> {
  const target = new URL(url);
  return new Promise((resolve) => {
    let sent = 0;
    let answered = false;
    let settled = false;
    const finish = (result: UploadResult) => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    const req = http.request({
      host: target.hostname,
      port: target.port,
      path: target.pathname + target.search,
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        ...(options.chunked
          ? { "transfer-encoding": "chunked" }
          : { "content-length": String(bytes) }),
        ...options.headers,
      },
    });
    req.on("response", (res) => {
      answered = true;
      const sentBeforeAnswer = sent;
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => (body += chunk));
      const done = () => {
        finish({ status: res.statusCode ?? null, body, sentBeforeAnswer });
        req.destroy();
      };
      res.on("end", done);
      res.on("error", done);
      res.on("close", done);
    });
    // The server closing on us mid-upload after its answer is expected; without an answer, it is the result.
    req.on("error", () =>
      setImmediate(() => !answered && finish({ status: null, body: "", sentBeforeAnswer: sent })),
    );
    const pump = () => {
      while (!answered && !req.destroyed && sent < bytes) {
        const size = Math.min(CHUNK.length, bytes - sent);
        sent += size;
        if (!req.write(size === CHUNK.length ? CHUNK : CHUNK.subarray(0, size))) {
          req.once("drain", pump);
          return;
        }
      }
      if (!answered && !req.destroyed && sent >= bytes) req.end();
    };
    pump();
  });
}
