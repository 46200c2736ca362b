import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { freePort, stopProcess, waitForHttp } from "../helpers/processes";

/**
 * nginx (Debian's package) in front of the ModelBridge processes, configured as an operator
 * would (docs/production.md): round robin, no sticky sessions, keep-alive to the upstreams,
 * no buffering (streams pass as they come), X-Forwarded-For for TRUST_PROXY=1. A request in
 * flight on a process that dies is not retried on another (POST is not idempotent): its
 * client gets nginx's 502; new requests go to the processes that answer.
 */
export interface Nginx {
  url: string;
  accessLog: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

export function nginxConfig(dir: string, port: number, upstreams: string[]): string {
  const temp = (name: string) => `${name}_temp_path ${path.join(dir, name)};`;
  return `worker_processes 1;
daemon off;
pid ${path.join(dir, "nginx.pid")};
error_log ${path.join(dir, "error.log")} warn;
events { worker_connections 4096; }
http {
  log_format lb '$status $upstream_addr $request_method $uri $request_time $upstream_http_x_request_id';
  access_log ${path.join(dir, "access.log")} lb;
  ${temp("client_body")} ${temp("proxy")} ${temp("fastcgi")} ${temp("uwsgi")} ${temp("scgi")}
  upstream modelbridge {
${upstreams.map((u) => `    server ${u} max_fails=1 fail_timeout=10s;`).join("\n")}
    keepalive 64;
  }
  server {
    listen 127.0.0.1:${port};
    client_max_body_size 64m;
    location / {
      proxy_pass http://modelbridge;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_buffering off;
      proxy_request_buffering off;
      proxy_read_timeout 300s;
      proxy_next_upstream error timeout;
    }
  }
}
`;
}

export async function startNginx(dir: string, upstreams: string[]): Promise<Nginx> {
  const binary = ["/usr/sbin/nginx", "/usr/bin/nginx"].find((file) => fs.existsSync(file));
  if (!binary)
    throw new Error(
      "nginx is not installed: the load-balanced suite needs it (Debian: apt-get install nginx; .ci/run installs it).",
    );
  fs.mkdirSync(dir, { recursive: true });
  // nginx's workers run as an unprivileged user when started as root: let them write here.
  fs.chmodSync(dir, 0o777);
  const port = await freePort();
  const conf = path.join(dir, "nginx.conf");
  fs.writeFileSync(conf, nginxConfig(dir, port, upstreams));
  const log = fs.openSync(path.join(dir, "nginx.out"), "a");
  const child = spawn(binary, ["-c", conf, "-p", dir], { stdio: ["ignore", log, log] });
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/healthz`, 15_000, child);
  return {
    url,
    accessLog: path.join(dir, "access.log"),
    child,
    stop: () => stopProcess(child),
  };
}
