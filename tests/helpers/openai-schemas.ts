import { Ajv } from "ajv";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

/**
 * OpenAI's published schemas for every API the gateway speaks (`openai-schemas.json`:
 * chat, Responses, embeddings, legacy completions), compiled once for ajv. The document is
 * OpenAPI 3.1 with 3.0-style `nullable`, rewritten here into JSON Schema terms.
 */
const specPath = [
  "../shared/openai-spec/openai-schemas.json",
  "/work/shared/openai-spec/openai-schemas.json",
]
  .map((candidate) => path.resolve(process.cwd(), candidate))
  .find((candidate) => existsSync(candidate));
if (!specPath)
  throw new Error("OpenAI's schemas not found: expected shared/openai-spec/ beside the repository");

/**
 * Also reads `oneOf` as `anyOf`: OpenAI's unions overlap where its discriminator would tell
 * them apart (a message item matches both EasyInputMessage and InputMessage), and ajv
 * cannot use those discriminators (the property is optional in some members).
 */
function jsonSchemaOf(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(jsonSchemaOf);
  if (!node || typeof node !== "object") return node;
  const { nullable, oneOf, ...rest } = node as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(rest)) out[name] = jsonSchemaOf(value);
  if (oneOf !== undefined) out.anyOf = jsonSchemaOf(oneOf);
  if (nullable !== true) return out;
  if (typeof out.type === "string")
    return {
      ...out,
      type: [out.type, "null"],
      ...(out.enum ? { enum: [...(out.enum as unknown[]), null] } : {}),
    };
  return { anyOf: [out, { type: "null" }] };
}

let validator: ((name: string, value: unknown) => string | null) | null = null;

/** `validate(schemaName, value)`: null when valid, else the first errors as text. */
export function openAiSchemas(): (name: string, value: unknown) => string | null {
  if (validator) return validator;
  const spec = JSON.parse(readFileSync(specPath!, "utf8"));
  const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
  ajv.addSchema({ $id: "openai", components: jsonSchemaOf(spec.components) });
  validator = (name, value) => {
    const validate = ajv.getSchema(`openai#/components/schemas/${name}`);
    if (!validate) throw new Error(`no schema ${name}`);
    return validate(value) ? null : JSON.stringify(validate.errors?.slice(0, 5));
  };
  return validator;
}

/** Every `data:` of an SSE text, parsed, with the `event:` name it came under. */
export function sseEvents(text: string): { event: string | null; data: Record<string, any> }[] {
  return text
    .split("\n\n")
    .filter((frame) => frame.trim())
    .map((frame) => {
      const lines = frame.split("\n");
      const event = lines.find((line) => line.startsWith("event: "))?.slice(7) ?? null;
      const data = lines
        .filter((line) => line.startsWith("data: "))
        .map((line) => line.slice(6))
        .join("\n");
      return { event, data: data === "[DONE]" ? { done: true } : JSON.parse(data) };
    });
}
