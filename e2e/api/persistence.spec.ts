import fs from "node:fs";
import { expect, test } from "@playwright/test";
import { startAppServer } from "../helpers/app-server";
import { newAccount } from "../helpers/accounts";
import { freePort, spawnServer } from "../helpers/processes";

// These start servers of their own; on two cores, one at a time.
test.describe.configure({ mode: "serial" });

test("an account survives a restart of the server", async ({ browser }) => {
  test.slow();
  const first = await startAppServer({}, { keepData: true });
  const account = newAccount();
  try {
    const page = await browser.newPage({ baseURL: first.url });
    await page.goto("/signup");
    await page.getByLabel("Name").fill(account.name);
    await page.getByLabel("Email").fill(account.email);
    await page.getByLabel("Password").fill(account.password);
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page).toHaveURL(/\/settings\/api-keys$/);
    await page.close();
  } finally {
    await first.stop();
  }

  const second = await startAppServer(
    {},
    { dataDir: first.dataDir, databaseUrl: first.databaseUrl },
  );
  try {
    const page = await browser.newPage({ baseURL: second.url });
    await page.goto("/login");
    await page.getByLabel("Email").fill(account.email);
    await page.getByLabel("Password").fill(account.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/settings\/api-keys$/);
    await expect(page.getByRole("heading", { name: "API Keys" })).toBeVisible();
    await page.close();
  } finally {
    await second.stop();
  }
});

// The data-directory lock guards the embedded database; on Postgres several processes share one server by design.
const onPglite = !process.env.TEST_DATABASE_URL;
if (onPglite)
  test("a second server on the same PGlite data directory exits with a clear message; the first keeps answering", async () => {
    const first = await startAppServer();
    try {
      const logFile = `${first.dataDir}/second.log`;
      const second = spawnServer(
        {
          NODE_ENV: "production",
          PORT: String(await freePort()),
          HOST: "127.0.0.1",
          DATA_DIR: first.dataDir,
        },
        logFile,
      );
      const code = await new Promise<number | null>((resolve) => second.once("exit", resolve));
      expect(code).toBe(1);
      expect(fs.readFileSync(logFile, "utf8")).toContain(
        `is in use by another ModelBridge process (pid ${first.child.pid})`,
      );

      const health = await fetch(`${first.url}/readyz`);
      expect(health.status).toBe(200);
    } finally {
      await first.stop();
    }
  });
