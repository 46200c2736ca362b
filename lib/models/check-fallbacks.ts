import { inArray } from "drizzle-orm";
import type { Database } from "@/db/client";
import { models } from "@/db/schema";
import { FieldError } from "@/lib/errors/domain-errors";

/**
 * What Admin → Models says about a model's fallbacks before saving them (PRODUCT.md
 * "Routing": other model names of the same kind). The attempt loop skips a fallback that
 * is unknown, itself or of another kind; the form names the mistake next to the field
 * instead of saving a fallback that would never answer.
 */
export async function checkFallbacks(
  database: Database,
  name: string,
  kind: string,
  fallbacks: readonly string[] | undefined,
): Promise<void> {
  if (!fallbacks || fallbacks.length === 0) return;
  if (fallbacks.includes(name))
    throw new FieldError("fallbacks", "A model cannot fall back to itself.");
  const found = await database.db
    .select({ name: models.name, kind: models.kind })
    .from(models)
    .where(inArray(models.name, [...fallbacks]));
  for (const fallback of fallbacks) {
    const row = found.find((m) => m.name === fallback);
    if (!row) throw new FieldError("fallbacks", `No model is named '${fallback}'.`);
    if (row.kind !== kind)
      throw new FieldError(
        "fallbacks",
        `'${fallback}' is ${row.kind === "embedding" ? "an embedding" : "a chat"} model; a fallback must be of the same kind.`,
      );
  }
}
