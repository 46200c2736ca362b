import { execFileSync } from "node:child_process";
import { expect, test } from "@playwright/test";
import { newSignedInContext } from "../helpers/accounts";

/**
 * compose.yaml as a user runs it (scripts/containers/ci-check.sh brings it up with podman):
 * through the nginx proxy, the dashboard signs a person up, its management API creates a
 * key, and that key is answered on /v1 by the two ModelBridge containers. Then one container
 * is stopped (SIGTERM) while streams run through it: each stream still ends whole.
 */
const base = () => process.env.MB_BASE_URL!;
const engine = process.env.MB_CONTAINER_ENGINE ?? "podman";

test.describe.configure({ mode: "serial" });
let key = "";

test("through the proxy: ready, sign up, a key from the management API answers on /v1", async ({
  browser,
}) => {
  const ready = await fetch(`${base()}/readyz`);
  expect(ready.status).toBe(200);
  const user = await newSignedInContext(browser);
  const created = await user.request.post("/api/v1/keys", {
    headers: { origin: new URL(base()).origin },
    data: { name: "from compose" },
  });
  expect(created.status(), await created.text()).toBe(201);
  key = ((await created.json()) as { key: string }).key;
  await user.context.close();
  // Several requests: round robin sends them to both containers.
  for (let i = 0; i < 4; i++) {
    const response = await fetch(`${base()}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({
        model: "modelbridge/echo",
        messages: [{ role: "user", content: `hello ${i}` }],
      }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { choices: { message: { content: string } }[] };
    expect(body.choices[0].message.content).toContain(`hello ${i}`);
  }
});

test("a container stopped with SIGTERM lets its in-flight streams finish", async () => {
  test.setTimeout(120_000);
  const container = process.env.MB_STOP_CONTAINER!;
  const words = Array.from({ length: 150 }, (_, i) => `w${i}`).join(" ");
  const stream = async () => {
    const response = await fetch(`${base()}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({
        model: "modelbridge/echo",
        stream: true,
        messages: [{ role: "user", content: words }],
      }),
    });
    return { status: response.status, text: await response.text() };
  };
  // Four streams of ~2 s: two on each container.
  const streams = Array.from({ length: 4 }, () => stream());
  await new Promise((resolve) => setTimeout(resolve, 700));
  const stoppedAt = Date.now();
  execFileSync(engine, ["stop", "-t", "40", container], { stdio: "ignore" });
  const stopSeconds = (Date.now() - stoppedAt) / 1000;
  const done = await Promise.all(streams);
  for (const result of done) {
    expect(result.status).toBe(200);
    expect(result.text).toContain("data: [DONE]");
    expect(result.text).toContain("w149");
  }
  // It drained and exited by itself, well before the engine's 40 s SIGKILL.
  expect(stopSeconds).toBeLessThan(30);
  execFileSync(engine, ["start", container], { stdio: "ignore" });
});
