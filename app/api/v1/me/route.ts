import { eq } from "drizzle-orm";
import { apiKeys } from "@/db/schema";
import { apiRoute } from "@/lib/api/route";
import { maskKey } from "@/lib/keys/format";
import { meObject } from "@/lib/teams/schemas";
import { listTeams } from "@/lib/teams/teams";
import { toTeamObject } from "@/lib/teams/team-view";

export const dynamic = "force-dynamic";

export const GET = apiRoute(
  { summary: "The caller: user, teams and roles, and the key used if any", response: meObject },
  async ({ actor, db }) => {
    const teams = await listTeams(db, actor);
    let key = null;
    if (actor.keyId) {
      const [row] = await db.select().from(apiKeys).where(eq(apiKeys.id, actor.keyId)).limit(1);
      if (row) key = { id: row.id, name: row.name, display: maskKey(row.prefix, row.last4) };
    }
    return { user: actor.user, teams: teams.map(toTeamObject), key };
  },
);
