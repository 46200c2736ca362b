import { randomBytes } from "node:crypto";
import OpenAI from "openai";
import { expect, test, type BrowserContext } from "@playwright/test";
import { startFakeUpstream, type FakeUpstream } from "../../tests/upstream/start-fake-upstream";
import { newSignedInContext, signIn } from "../helpers/accounts";
import { startAppServer, type AppServer } from "../helpers/app-server";
import { platformAdminAccount } from "../helpers/platform-admin";

/**
 * Circuit breakers are shared by every process (PRODUCT.md "Routing"): two server processes
 * on one Postgres (the dashboard's and a SERVE=gateway one, no Redis). A deployment that
 * process A saw fail gets no traffic from process B; once its cooldown is over, requests
 * racing on both processes probe it once, not once per process.
 */
const onPostgres = Boolean(process.env.MB_DATABASE_URL);
const origin = () => ({ origin: new URL(process.env.MB_BASE_URL!).origin });

if (onPostgres)
  test("a deployment opened by one process gets no traffic from the other; one probe across both", async ({
    browser,
  }) => {
    test.setTimeout(90_000);
    const t = randomBytes(4).toString("hex");
    let upstream: FakeUpstream | null = null;
    let gateway: AppServer | null = null;
    let admin: BrowserContext | null = null;
    const user = await newSignedInContext(browser);
    try {
      upstream = await startFakeUpstream();
      gateway = await startAppServer(
        { SERVE: "gateway" },
        {
          dataDir: process.env.MB_DATA_DIR,
          databaseUrl: process.env.MB_DATABASE_URL,
          keepData: true,
          logName: `routing-two-${t}.log`,
        },
      );
      admin = await browser.newContext({ baseURL: process.env.MB_BASE_URL });
      await signIn(await admin.newPage(), platformAdminAccount());
      // A model whose primary is down for good, and a fallback that answers.
      for (const [name, upstreamModel, fallbacks] of [
        [`fb-${t}`, `fault:ok:${t}`, []],
        [`p-${t}`, `fault:503:${t}`, [`fb-${t}`]],
      ] as const) {
        const response = await admin.request.post("/api/v1/models", {
          headers: origin(),
          data: {
            name,
            base_url: upstream.url,
            upstream_model: upstreamModel,
            input_price_per_million: "1.00",
            output_price_per_million: "2.00",
            fallbacks,
          },
        });
        expect(response.status(), await response.text()).toBe(201);
      }
      const created = await user.request.post("/api/v1/keys", {
        headers: origin(),
        data: { name: `two processes ${t}` },
      });
      const { key } = (await created.json()) as { key: string };
      const [a, b] = [process.env.MB_BASE_URL!, gateway.url].map(
        (base) => new OpenAI({ apiKey: key, baseURL: `${base}/v1`, maxRetries: 0 }),
      );
      const ask = async (client: OpenAI) => {
        const answer = await client.chat.completions.create({
          model: `p-${t}`,
          messages: [{ role: "user", content: "hi" }],
        });
        return answer.model;
      };
      const primaryHits = async () =>
        ((await (await fetch(`${upstream!.url}/_fake/seen`)).json()) as Record<string, number[]>)[
          `fault:503:${t}`
        ] ?? [];

      // Process A alone: three failures open the primary's breaker (each answered by the fallback).
      for (let i = 0; i < 3; i++) expect(await ask(a)).toBe(`fb-${t}`);
      expect(await primaryHits()).toHaveLength(3);
      // Process B has not seen it fail, yet sends it nothing.
      for (let i = 0; i < 5; i++) expect(await ask(b)).toBe(`fb-${t}`);
      expect(await primaryHits()).toHaveLength(3);

      // After the 5 s cooldown: ten requests racing on both processes; one of them probes.
      await new Promise((r) => setTimeout(r, 5_500));
      const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => ask(i % 2 ? a : b)));
      expect(answers.every((m) => m === `fb-${t}`)).toBe(true);
      expect(await primaryHits()).toHaveLength(4);
    } finally {
      await gateway?.stop();
      await upstream?.stop();
      await admin?.close();
      await user.context.close();
    }
  });
