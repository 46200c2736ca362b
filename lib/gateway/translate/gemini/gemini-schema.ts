/**
 * Gemini's `Schema` (an OpenAPI 3.0 subset, types in capitals: `OBJECT`, `STRING`…) as JSON
 * Schema, for function parameters and `responseSchema`; and back. `parametersJsonSchema` and
 * `responseJsonSchema` are JSON Schema already and travel as they are.
 */
export function jsonSchemaOf(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(jsonSchemaOf);
  if (!schema || typeof schema !== "object") return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema as Record<string, unknown>)) {
    if (key === "type" && typeof value === "string") out.type = value.toLowerCase();
    else if (key === "nullable") continue;
    else if (key === "propertyOrdering") continue;
    else if (key === "anyOf" || key === "items" || key === "prefixItems")
      out[key] = jsonSchemaOf(value);
    else if (key === "properties" && value && typeof value === "object")
      out.properties = Object.fromEntries(
        Object.entries(value as Record<string, unknown>).map(([name, sub]) => [
          name,
          jsonSchemaOf(sub),
        ]),
      );
    else out[key] = value;
  }
  // OpenAPI's `nullable: true` is JSON Schema's type union with "null".
  if ((schema as { nullable?: unknown }).nullable === true && typeof out.type === "string")
    out.type = [out.type, "null"];
  return out;
}
