import { z } from "zod";
import { apiRoute } from "@/lib/api/route";
import { setTeamCapture, toCaptureObject } from "@/lib/requests/capture-settings";
import { teamPatchBody } from "@/lib/requests/schemas";

export const dynamic = "force-dynamic";

/** A team's payload capture (platform admins): its keys inherit it unless they have their own. */
export const PATCH = apiRoute(
  {
    params: z.object({ id: z.string() }),
    body: teamPatchBody,
    requires: "platform_admin",
    doing: "turn payload capture on or off",
  },
  async ({ actor, db, params, body }) => {
    const team = await setTeamCapture(db, actor, params.id, body.payload_capture);
    return { id: team.id, name: team.name, payload_capture: toCaptureObject(team.payloadCapture) };
  },
);
