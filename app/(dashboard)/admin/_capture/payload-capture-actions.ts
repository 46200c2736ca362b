"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { formAction } from "@/lib/actions/authed-action";
import { uuidParam } from "@/lib/core/common-schemas";
import { captureFormInput, toCaptureInput } from "@/lib/requests/capture-form";
import { setInstanceCapture, setKeyCapture, setTeamCapture } from "@/lib/requests/capture-settings";

/**
 * Payload capture from the dashboard: the same services (and audit entries) as
 * `PATCH /api/v1/settings`, `/keys/{id}` and `/teams/{id}`. Platform admins only; the
 * wrapper refuses anyone else before the input is read, and the services check again.
 */
const DOING = "turn payload capture on or off";

const read = (formData: FormData) => ({
  capture: formData.get("capture") ?? "",
  sample_percent: formData.get("sample_percent") ?? "",
  id: formData.get("id") ?? "",
});

const keep = ["capture", "sample_percent"] as const;

export const saveInstanceCaptureAction = formAction(
  {
    input: captureFormInput.extend({
      capture: z.enum(["on", "off"], "Choose whether payloads are captured"),
    }),
    read,
    keep,
    requires: "platform_admin",
    doing: DOING,
    revalidate: ["/admin/settings"],
  },
  async ({ db, actor, input }) => {
    await setInstanceCapture(db, actor, toCaptureInput(input));
  },
);

export const saveKeyCaptureAction = formAction(
  {
    input: captureFormInput.extend({ id: uuidParam }),
    read,
    keep,
    requires: "platform_admin",
    doing: DOING,
    fields: { id: "form" },
  },
  async ({ db, actor, input }) => {
    await setKeyCapture(db, actor, input.id, toCaptureInput(input));
    // The key's page (its "Traffic logged" chip) and the list that shows the same chip.
    revalidatePath(`/settings/api-keys/${input.id}`);
    revalidatePath("/settings/api-keys");
  },
);

export const saveTeamCaptureAction = formAction(
  {
    input: captureFormInput.extend({ id: uuidParam }),
    read,
    keep,
    requires: "platform_admin",
    doing: DOING,
    fields: { id: "form" },
    revalidate: ["/admin/teams"],
  },
  async ({ db, actor, input }) => {
    await setTeamCapture(db, actor, input.id, toCaptureInput(input));
  },
);
