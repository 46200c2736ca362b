import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "@/db/client";
import { nativeResponseOwners } from "@/db/schema";
import type { KeyRecord } from "../types";

/**
 * Who created each response a native Responses upstream stored (issue 27 item 13). The
 * upstream stores every tenant's conversations under the operator's one credential, so
 * without this any key holding a `resp_…` id could continue another tenant's conversation
 * and read it back. Ids are written before the client can see them; a request that names
 * an id its owner did not create is refused as if the id did not exist.
 */
export interface ResponseOwners {
  remember(ids: readonly string[], key: KeyRecord, modelId: string): Promise<void>;
  /** The ids in `ids` not created by this key's owner (empty when all are its own). */
  notOwned(ids: readonly string[], key: KeyRecord): Promise<string[]>;
}

/** A team key's conversations belong to the team; a personal key's to its user. */
export const responseOwnerOf = (key: KeyRecord) => key.teamId ?? key.createdBy;

export function databaseResponseOwners(db: Db): ResponseOwners {
  return {
    async remember(ids, key, modelId) {
      const unique = [...new Set(ids)].filter((id) => id.length > 0 && id.length <= 256);
      if (unique.length === 0) return;
      await db
        .insert(nativeResponseOwners)
        .values(
          unique.map((upstreamId) => ({
            upstreamId,
            modelId,
            owner: responseOwnerOf(key),
            keyId: key.id,
          })),
        )
        // An id already recorded keeps its first owner.
        .onConflictDoNothing();
    },
    async notOwned(ids, key) {
      const unique = [...new Set(ids)];
      if (unique.length === 0) return [];
      const rows = await db
        .select({ id: nativeResponseOwners.upstreamId })
        .from(nativeResponseOwners)
        .where(
          and(
            inArray(nativeResponseOwners.upstreamId, unique),
            eq(nativeResponseOwners.owner, responseOwnerOf(key)),
          ),
        );
      const owned = new Set(rows.map((row) => row.id));
      return unique.filter((id) => !owned.has(id));
    },
  };
}
