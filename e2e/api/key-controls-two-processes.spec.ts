import OpenAI from "openai";
import { expect, test } from "@playwright/test";
import { newSignedInContext } from "../helpers/accounts";
import { startAppServer } from "../helpers/app-server";

/**
 * Two server processes on one Postgres (the dashboard's and a SERVE=gateway one, no Redis):
 * a key's requests-per-minute limit holds across both, and a pause made on one refuses the
 * other's next request.
 */
const onPostgres = Boolean(process.env.MB_DATABASE_URL);
const origin = () => ({ origin: new URL(process.env.MB_BASE_URL!).origin });

if (onPostgres)
  test("a key's rate limit holds across two processes, and a pause reaches both at once", async ({
    browser,
  }) => {
    const gateway = await startAppServer(
      { SERVE: "gateway" },
      {
        dataDir: process.env.MB_DATA_DIR,
        databaseUrl: process.env.MB_DATABASE_URL,
        keepData: true,
        logName: "key-controls-two.log",
      },
    );
    const user = await newSignedInContext(browser);
    try {
      const created = await user.request.post("/api/v1/keys", {
        headers: origin(),
        data: { name: "two processes", rate_limits: { requests_per_minute: 6 } },
      });
      expect(created.status(), await created.text()).toBe(201);
      const { id, key } = (await created.json()) as { id: string; key: string };
      const clients = [process.env.MB_BASE_URL!, gateway.url].map(
        (base) => new OpenAI({ apiKey: key, baseURL: `${base}/v1`, maxRetries: 0 }),
      );
      const ask = (client: OpenAI) =>
        client.chat.completions
          .create({
            model: "modelbridge/echo",
            messages: [{ role: "user", content: "hi" }],
            max_tokens: 3,
          })
          .then(
            () => "ok",
            (error: { code?: string }) => String(error.code),
          );
      const outcomes = await Promise.all(Array.from({ length: 20 }, (_, i) => ask(clients[i % 2])));
      const served = outcomes.filter((o) => o === "ok").length;
      expect(served).toBeLessThanOrEqual(6);
      expect(served).toBeGreaterThanOrEqual(3);
      expect(outcomes.filter((o) => o !== "ok").every((o) => o === "rate_limit_exceeded")).toBe(
        true,
      );

      // Raise the limit and pause on the dashboard's process: the gateway process refuses at once.
      await user.request.patch(`/api/v1/keys/${id}`, {
        headers: origin(),
        data: { rate_limits: { requests_per_minute: 1000 } },
      });
      expect(
        (await user.request.post(`/api/v1/keys/${id}/pause`, { headers: origin() })).status(),
      ).toBe(200);
      await expect
        .poll(() => ask(clients[1]), { timeout: 2_000, intervals: [50] })
        .toBe("key_paused");
      await user.request.post(`/api/v1/keys/${id}/resume`, { headers: origin() });
      await expect.poll(() => ask(clients[1]), { timeout: 2_000, intervals: [50] }).toBe("ok");
    } finally {
      await gateway.stop();
      await user.context.close();
    }
  });
