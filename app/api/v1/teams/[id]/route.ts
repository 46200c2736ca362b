import { z } from "zod";
import { apiRoute } from "@/lib/api/route";
import { setTeamCapture, toCaptureObject } from "@/lib/requests/capture-settings";
import { teamPatchBody } from "@/lib/requests/schemas";

export const dynamic = "force-dynamic";

/** A team's payload capture (platform admins): its keys inherit it unless they have their own. */
export const PATCH = apiRoute(
  {
    summary:
      "Turn payload capture on or off for a team's keys (platform admins); a key's own setting wins",
    params: z.object({ id: z.string() }),
    body: teamPatchBody,
    requires: "platform_admin",
    doing: "turn payload capture on or off",
    errors: ["not_found"],
  },
  async ({ actor, db, params, body }) => {
    const team = await setTeamCapture(db, actor, params.id, body.payload_capture);
    return { id: team.id, name: team.name, payload_capture: toCaptureObject(team.payloadCapture) };
  },
);
