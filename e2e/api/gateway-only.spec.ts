import fs from "node:fs";
import { randomBytes } from "node:crypto";
import OpenAI from "openai";
import { expect, test } from "@playwright/test";
import { startFakeUpstream } from "../../tests/upstream/start-fake-upstream";
import { newSignedInContext, signIn } from "../helpers/accounts";
import { startAppServer } from "../helpers/app-server";
import { platformAdminAccount } from "../helpers/platform-admin";
import { freePort, spawnServer } from "../helpers/processes";

/**
 * SERVE=gateway: an extra /v1 process beside the one serving the dashboard, on the same
 * Postgres server, without Next.js. Keys made on the dashboard's process work on it, and a
 * revocation there refuses the very next request here (LISTEN/NOTIFY across processes).
 */
const onPostgres = Boolean(process.env.MB_DATABASE_URL);
const origin = () => ({ origin: new URL(process.env.MB_BASE_URL!).origin });

if (onPostgres)
  test("a gateway-only process serves /v1 for keys made on the dashboard, and a revocation there refuses its next request", async ({
    browser,
  }) => {
    const upstream = await startFakeUpstream();
    const gateway = await startAppServer(
      { SERVE: "gateway" },
      {
        dataDir: process.env.MB_DATA_DIR,
        databaseUrl: process.env.MB_DATABASE_URL,
        keepData: true,
        logName: "gateway-only.log",
      },
    );
    const admin = await browser.newContext({ baseURL: process.env.MB_BASE_URL });
    const user = await newSignedInContext(browser);
    try {
      await signIn(await admin.newPage(), platformAdminAccount());
      // Named like gateway.spec's models: after "modelbridge/echo", which the Playground specs
      // (sharing this server) expect to be the first model listed.
      const name = `vllm-gateway-only-${randomBytes(4).toString("hex")}`;
      for (const mode of ["json", "sse"]) {
        const model = await admin.request.post("/api/v1/models", {
          headers: origin(),
          data: {
            name: `${name}-${mode}`,
            base_url: upstream.url,
            upstream_model: mode,
            api_key: "sk-gateway-only",
            input_price_per_million: "1",
            output_price_per_million: "2",
          },
        });
        expect(model.status(), await model.text()).toBe(201);
      }
      const created = await user.request.post("/api/v1/keys", {
        headers: origin(),
        data: { name: "gateway only", spending_limit: "5.00" },
      });
      expect(created.status(), await created.text()).toBe(201);
      const { id, key } = (await created.json()) as { id: string; key: string };

      const client = new OpenAI({ apiKey: key, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
      const reply = await client.chat.completions.create({
        model: `${name}-json`,
        messages: [{ role: "user", content: "Hello" }],
      });
      expect(reply.choices[0].message.content).toBeTruthy();
      let streamed = "";
      for await (const chunk of await client.chat.completions.create({
        model: `${name}-sse`,
        messages: [{ role: "user", content: "Hello" }],
        stream: true,
      })) {
        streamed += chunk.choices[0]?.delta?.content ?? "";
      }
      expect(streamed.length).toBeGreaterThan(0);

      // Next is not loaded here: the dashboard and the management API answer a clear 404.
      const page = await fetch(`${gateway.url}/settings/api-keys`);
      expect(page.status).toBe(404);
      expect(((await page.json()) as { error: { message: string } }).error.message).toContain(
        "SERVE=gateway",
      );
      expect((await fetch(`${gateway.url}/readyz`)).status).toBe(200);

      const revoked = await user.request.post(`/api/v1/keys/${id}/revoke`, { headers: origin() });
      expect(revoked.status()).toBe(200);
      await expect
        .poll(
          async () => {
            try {
              await client.chat.completions.create({
                model: `${name}-json`,
                messages: [{ role: "user", content: "again" }],
              });
              return "served";
            } catch (error) {
              return (error as { code?: string }).code;
            }
          },
          { timeout: 2_000, intervals: [50] },
        )
        .toBe("key_revoked");

      // The dashboard's process sees what the gateway-only one served (the usage flushes there).
      await expect
        .poll(
          async () =>
            Number(
              ((await (await user.request.get(`/api/v1/keys/${id}`)).json()) as { spend: string })
                .spend,
            ),
          { timeout: 10_000 },
        )
        .toBeGreaterThan(0);
      const log = fs.readFileSync(gateway.logFile, "utf8");
      expect(log).toContain('"serve":"gateway"');
      expect(log).not.toContain(key);
    } finally {
      await gateway.stop();
      await upstream.stop();
      await admin.close();
      await user.context.close();
    }
  });

test("SERVE=gateway on the embedded database stops at start with a message naming the variable", async () => {
  const logFile = `${fs.mkdtempSync("/tmp/mb-serve-")}/server.log`;
  const child = spawnServer(
    {
      NODE_ENV: "production",
      PORT: String(await freePort()),
      HOST: "127.0.0.1",
      SERVE: "gateway",
      DATABASE_URL: "",
      DATA_DIR: fs.mkdtempSync("/tmp/mb-serve-data-"),
    },
    logFile,
  );
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  expect(code).toBe(1);
  expect(fs.readFileSync(logFile, "utf8")).toContain("SERVE: 'gateway' needs DATABASE_URL");
});
