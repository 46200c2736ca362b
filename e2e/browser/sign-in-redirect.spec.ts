import { expect, test } from "@playwright/test";
import { signUp } from "../helpers/accounts";

/**
 * A sign-in link carrying a callbackUrl must not carry the user off this server after the
 * password prompt. evil.test is answered by the browser itself, so a redirect there would
 * show up as that page's URL rather than a DNS error.
 */
const attacks = ["/\\evil.test/", "/..//evil.test", "//evil.test/", "https://evil.test/"];

for (const callbackUrl of attacks) {
  test(`signing in from /login?callbackUrl=${callbackUrl} stays on this server`, async ({
    page,
    baseURL,
  }) => {
    await page.route(/^https?:\/\/evil\.test\//, (route) =>
      route.fulfill({ status: 200, contentType: "text/html", body: "<h1>evil</h1>" }),
    );
    const account = await signUp(page);
    await page.context().clearCookies();

    await page.goto(`/login?callbackUrl=${encodeURIComponent(callbackUrl)}`);
    await page.getByLabel("Email").fill(account.email);
    await page.getByLabel("Password").fill(account.password);
    await page.getByRole("button", { name: "Sign in" }).click();

    await page.waitForURL((url) => !url.pathname.startsWith("/login"));
    expect(new URL(page.url()).origin).toBe(new URL(baseURL!).origin);
  });
}

test("next-auth's own callback route keeps its callbackUrl on this server", async ({
  page,
  baseURL,
}) => {
  const account = await signUp(page);
  await page.context().clearCookies();
  const request = page.context().request;
  const { csrfToken } = (await (await request.get("/api/auth/csrf")).json()) as {
    csrfToken: string;
  };
  const response = await request.post("/api/auth/callback/credentials", {
    form: {
      csrfToken,
      email: account.email,
      password: account.password,
      callbackUrl: "/\\evil.test/",
    },
    maxRedirects: 0,
  });
  const location = response.headers().location;
  expect(location).toBeTruthy();
  // A path on this server: the browser stays on the origin it used (and keeps its cookie).
  const target = new URL(location, baseURL);
  expect(target.origin).toBe(new URL(baseURL!).origin);
  expect(target.pathname.startsWith("//")).toBe(false);
});
