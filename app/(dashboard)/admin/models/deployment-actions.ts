"use server";

import { z } from "zod";
import { getDatabase } from "@/db/client";
import { authedAction, formAction } from "@/lib/actions/authed-action";
import type { FormState } from "@/lib/forms/form-state";
import { createDeploymentInput, updateDeploymentInput } from "@/lib/models/deployment-schemas";
import {
  createDeployment,
  deleteDeployment,
  testDeployment,
  updateDeployment,
} from "@/lib/models/deployments";
import { DEPLOYMENT_FIELDS, deploymentForm, readDeploymentForm } from "./deployment-form-input";

/** Admin → Models' deployment buttons: the same service as `/api/v1/models/{id}/deployments`. */
const ADMIN = { requires: "platform_admin" as const, revalidate: ["/admin/models"] };

const change = authedAction(
  {
    ...ADMIN,
    input: z.object({ modelId: z.uuid(), id: z.uuid(), changes: updateDeploymentInput }),
  },
  async ({ actor, input }) => {
    await updateDeployment(
      await getDatabase(),
      input.modelId,
      input.id,
      input.changes,
      actor.user.id,
    );
    return {};
  },
);

export async function updateDeploymentAction(
  modelId: string,
  id: string,
  changes: z.input<typeof updateDeploymentInput>,
) {
  return change({ modelId, id, changes });
}

/** The secret is never sent back to the form. */
const KEEP = DEPLOYMENT_FIELDS.filter((field) => field !== "api_key");

const addFromForm = (modelId: string) =>
  formAction(
    {
      ...ADMIN,
      input: deploymentForm(createDeploymentInput, "create"),
      read: (formData) => readDeploymentForm(formData, "create"),
      keep: KEEP,
    },
    async ({ actor, input }) => {
      await createDeployment(await getDatabase(), modelId, input, actor.user.id);
    },
  );

const editFromForm = (modelId: string, id: string) =>
  formAction(
    {
      ...ADMIN,
      input: deploymentForm(updateDeploymentInput, "update"),
      read: (formData) => readDeploymentForm(formData, "update"),
      keep: KEEP,
    },
    async ({ actor, input }) => {
      await updateDeployment(await getDatabase(), modelId, id, input, actor.user.id);
    },
  );

/** The add/edit form: field errors come back next to their fields. `id` null: a new deployment. */
export async function saveDeploymentAction(
  modelId: string,
  id: string | null,
  previous: FormState,
  formData: FormData,
): Promise<FormState> {
  const ids = z.object({ modelId: z.uuid(), id: z.uuid().nullable() }).safeParse({ modelId, id });
  if (!ids.success) return { formError: "This deployment no longer exists; refresh the page." };
  const { modelId: model, id: deployment } = ids.data;
  const save = deployment ? editFromForm(model, deployment) : addFromForm(model);
  return save(previous, formData);
}

const remove = authedAction(
  { ...ADMIN, input: z.object({ modelId: z.uuid(), id: z.uuid() }) },
  async ({ actor, input }) => {
    await deleteDeployment(await getDatabase(), input.modelId, input.id, actor.user.id);
    return {};
  },
);

export async function removeDeploymentAction(modelId: string, id: string) {
  return remove({ modelId, id });
}

const test = authedAction(
  { requires: "platform_admin", input: z.object({ modelId: z.uuid(), id: z.uuid() }) },
  async ({ input }) => testDeployment(await getDatabase(), input.modelId, input.id),
);

export async function testDeploymentAction(modelId: string, id: string) {
  return test({ modelId, id });
}
