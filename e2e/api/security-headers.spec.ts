import { expect, test } from "@playwright/test";
import { newAccount, signUp } from "../helpers/accounts";
import { startAppServer } from "../helpers/app-server";

/**
 * Security headers on the pages the production server renders, the session cookie's
 * flags, and that the CSP does not break the app: a whole sign-up → API Keys → Playground
 * round in Chromium with no CSP violation and no console error.
 */
const PAGES = ["/login", "/signup", "/settings/api-keys", "/playground", "/usage"];

test("every page carries the CSP, nosniff, referrer and framing headers; no HSTS over plain HTTP", async ({
  request,
}) => {
  for (const path of PAGES) {
    const response = await request.get(path, { maxRedirects: 0 });
    const headers = response.headers();
    const csp = headers["content-security-policy"] ?? "";
    for (const directive of [
      "default-src 'self'",
      "frame-ancestors 'none'",
      "object-src 'none'",
      "base-uri 'self'",
      "form-action 'self'",
    ]) {
      expect(csp, `${path}: ${directive}`).toContain(directive);
    }
    expect(csp, path).not.toContain("unsafe-eval");
    expect(headers["x-content-type-options"], path).toBe("nosniff");
    expect(headers["referrer-policy"], path).toBe("strict-origin-when-cross-origin");
    expect(headers["x-frame-options"], path).toBe("DENY");
    expect(headers["strict-transport-security"], path).toBeUndefined();
  }
  // A client claiming HTTPS itself is not a trusted proxy: still no HSTS.
  const spoofed = await request.get("/login", { headers: { "x-forwarded-proto": "https" } });
  expect(spoofed.headers()["strict-transport-security"]).toBeUndefined();
});

test("the session cookie is HttpOnly and SameSite=Lax", async ({ page, context }) => {
  await signUp(page);
  const session = (await context.cookies()).find((cookie) =>
    cookie.name.endsWith("authjs.session-token"),
  );
  expect(session, "a session cookie").toBeTruthy();
  expect(session!.httpOnly).toBe(true);
  expect(session!.sameSite).toBe("Lax");
});

test("behind HTTPS the session cookie is also Secure", async ({ page, playwright, baseURL }) => {
  const account = await signUp(page, newAccount());
  // What a TLS-terminating proxy sends on: the sign-in then happens "over HTTPS".
  const viaProxy = await playwright.request.newContext({
    baseURL,
    extraHTTPHeaders: { "x-forwarded-proto": "https" },
  });
  try {
    const csrf = await viaProxy.get("/api/auth/csrf");
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const csrfCookie = csrf
      .headersArray()
      .filter((h) => h.name.toLowerCase() === "set-cookie")
      .map((h) => h.value.split(";")[0])
      .join("; ");
    const signIn = await viaProxy.post("/api/auth/callback/credentials", {
      headers: { cookie: csrfCookie },
      form: { email: account.email, password: account.password, csrfToken },
      maxRedirects: 0,
    });
    const setCookies = signIn
      .headersArray()
      .filter((h) => h.name.toLowerCase() === "set-cookie")
      .map((h) => h.value);
    const session = setCookies.find((value) => /^__Secure-authjs\.session-token=/.test(value));
    expect(session, setCookies.join("\n")).toBeTruthy();
    expect(session).toMatch(/;\s*Secure/i);
    expect(session).toMatch(/;\s*HttpOnly/i);
    expect(session).toMatch(/;\s*SameSite=Lax/i);
  } finally {
    await viaProxy.dispose();
  }
});

test("pages work under the CSP: sign-up, API Keys, Playground without violations or console errors", async ({
  page,
}) => {
  const problems: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(message.text());
  });
  page.on("pageerror", (error) => problems.push(String(error)));
  // Reported by the browser for each blocked load or inline script/style.
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      console.error(
        `CSP violation: ${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}:${event.columnNumber} on ${location.pathname}`,
      );
    });
  });

  await signUp(page);
  await expect(page.getByRole("heading", { name: "API Keys" })).toBeVisible();
  await page.getByRole("button", { name: "Create API Key" }).first().click();
  await expect(page.getByRole("dialog")).toBeVisible();
  await page.keyboard.press("Escape");

  await page
    .getByRole("navigation", { name: "Main" })
    .getByRole("link", { name: "Playground" })
    .first()
    .click();
  await expect(page.getByRole("heading", { name: "Playground" })).toBeVisible();
  // Other specs on the shared server register models that sort first: pick the demo model.
  await page.getByLabel("Model").selectOption("modelbridge/echo");
  const box = page.getByLabel("Message");
  await box.fill("hello under a strict policy");
  await box.press("Enter");
  await expect(page.getByTestId("assistant-text").last()).not.toHaveText("", { timeout: 20_000 });

  await page
    .getByRole("navigation", { name: "Main" })
    .getByRole("link", { name: "Usage" })
    .first()
    .click();
  await expect(page.getByRole("heading", { name: "Usage" })).toBeVisible();
  expect(problems).toEqual([]);
});

test("behind a trusted TLS proxy (TRUST_PROXY=1) pages and /v1 answers carry HSTS", async ({
  playwright,
}) => {
  const server = await startAppServer({ TRUST_PROXY: "1" });
  const client = await playwright.request.newContext({ baseURL: server.url });
  try {
    const overHttps = { headers: { "x-forwarded-proto": "https" } };
    for (const path of ["/login", "/v1/models"]) {
      const response = await client.get(path, overHttps);
      expect(response.headers()["strict-transport-security"], path).toMatch(/^max-age=\d{7,}/);
    }
    // The proxy's plain-HTTP side: no HSTS.
    expect((await client.get("/login")).headers()["strict-transport-security"]).toBeUndefined();
  } finally {
    await client.dispose();
    await server.stop();
  }
});
