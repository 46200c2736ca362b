/**
 * The ready-made command in the show-once dialog. It must work as pasted, so a Model
 * Serving key's example names a model that is enabled (a new key may use every model):
 * the demo model if it is on, else the first enabled one; with none enabled it lists the
 * models instead of promising a chat that would fail.
 */
export function curlModel(enabled: string[]): string | null {
  if (enabled.includes("modelbridge/echo")) return "modelbridge/echo";
  return enabled[0] ?? null;
}

export function curlCommand(
  baseUrl: string,
  key: string,
  type: "model_serving" | "management",
  model: string | null,
): string {
  if (type === "management") {
    return `curl ${baseUrl}/api/v1/me \\\n  -H "Authorization: Bearer ${key}"`;
  }
  if (model === null) {
    return `curl ${baseUrl}/v1/models \\\n  -H "Authorization: Bearer ${key}"`;
  }
  return [
    `curl ${baseUrl}/v1/chat/completions \\`,
    `  -H "Authorization: Bearer ${key}" \\`,
    `  -H "Content-Type: application/json" \\`,
    `  -d '${JSON.stringify({ model, messages: [{ role: "user", content: "Hello!" }] })}'`,
  ].join("\n");
}
