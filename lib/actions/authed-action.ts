import { revalidatePath } from "next/cache";
import type { z } from "zod";
import { getDatabase, type Db } from "@/db/client";
import type { Actor } from "@/lib/core/actor";
import { requirePlatformAdmin, type Requirement } from "@/lib/auth/require-platform-admin";
import { getSessionActor, SESSION_ENDED } from "@/lib/auth/session";
import { toApiError } from "@/lib/errors/to-api-error";
import { fieldErrors, type FormState } from "@/lib/forms/form-state";

/**
 * The one way to write a server action. Every export of a `"use server"` file is a public
 * endpoint, so each action needs the same steps: the session's user (re-read from the
 * database), the actor services take, the caller's role, the input parsed with zod, and
 * domain errors turned into what the form shows. The wrapper does them once; the handler
 * only calls lib/.
 *
 * A form (React's `useActionState`) — `(previousState, formData) => FormState`:
 *
 *   export const renameTeamAction = formAction(
 *     { input: renameTeamBody, read: (form) => ({ name: form.get("name") ?? "" }), keep: ["name"], revalidate: ["/settings/teams"] },
 *     async ({ db, actor, input }) => { await renameTeam(db, actor, input.name); },
 *   );
 *
 * A button (called with arguments) — `(input) => R | { ok: false, error }`:
 *
 *   const pause = authedAction({ input: z.object({ id: z.uuid() }), revalidate: ["/settings/api-keys"] },
 *     async ({ db, actor, input }) => { await pauseKey(db, actor, input.id); return { ok: true as const }; });
 *   export async function pauseKeyAction(id: string) { return pause({ id }); }
 *
 * Options: `requires: "platform_admin"` (with `doing` for the refusal's wording) refuses
 * others before the handler runs; `fields` renames a service's field to the form's
 * (`{ team_id: "owner" }`, or `"form"` to show it above the form). A bug (anything but a
 * domain error) is rethrown to the error boundary, as are Next's redirects.
 */
export interface ActionContext<I> {
  actor: Actor;
  db: Db;
  input: I;
}

interface ActionSpec<S extends z.ZodType> {
  input: S;
  requires?: Requirement;
  doing?: string;
  /** Paths whose cached pages change when the action succeeds. */
  revalidate?: string[];
  /** A service's field name → the form's, or "form" for a message above the form. */
  fields?: Record<string, string>;
}

export type ActionFailure = { ok: false; error: string };
/** Success or failure; the failure names R's fields as absent, so a caller may read them after checking. */
export type ActionResult<R> =
  | (R & { error?: undefined })
  | (ActionFailure & { [K in Exclude<keyof R, "ok" | "error">]?: undefined });

/** An action called with arguments (a button, a toggle); failures come back as `{ ok: false, error }`. */
export function authedAction<S extends z.ZodType, R extends object>(
  spec: ActionSpec<S> & { invalid?: string },
  handler: (context: ActionContext<z.output<S>>) => Promise<R>,
): (input: z.input<S>) => Promise<ActionResult<R>> {
  return async (raw) => {
    const actor = await getSessionActor();
    const fail = (error: string) => ({ ok: false, error }) as ActionResult<R>;
    if (!actor) return fail(SESSION_ENDED);
    const parsed = spec.input.safeParse(raw);
    if (!parsed.success)
      return fail(spec.invalid ?? parsed.error.issues[0]?.message ?? "Invalid request.");
    try {
      if (spec.requires === "platform_admin") requirePlatformAdmin(actor, spec.doing);
      const result = await handler({ actor, db: (await getDatabase()).db, input: parsed.data });
      for (const path of spec.revalidate ?? []) revalidatePath(path);
      return result as R & { error?: undefined };
    } catch (error) {
      const state = toFormState(error, spec.fields);
      return fail(
        state.formError ?? Object.values(state.fieldErrors ?? {})[0] ?? "Something went wrong.",
      );
    }
  };
}

/** A form's action for `useActionState`: field errors and the typed values come back on failure. */
export function formAction<S extends z.ZodType, T extends FormState = FormState>(
  spec: ActionSpec<S> & {
    /** The form's fields as the input schema expects them. */
    read: (formData: FormData) => unknown;
    /** Fields whose typed values are kept when the form comes back with errors (never secrets), or a function that reads them. */
    keep?:
      | readonly string[]
      | "all"
      | ((formData: FormData) => Record<string, FormDataEntryValue | null>);
    /** The form field an input's error belongs to, for nested inputs (default: the path's first name). */
    errorKey?: (path: PropertyKey[]) => string;
  },
  handler: (context: ActionContext<z.output<S>> & { formData: FormData }) => Promise<T | void>,
): (previous: T, formData: FormData) => Promise<T> {
  return async (_previous, formData) => {
    const values = keptValues(spec.keep, formData);
    const failed = (state: FormState) => ({ ...state, ...(values ? { values } : {}) }) as T;
    const actor = await getSessionActor();
    if (!actor) return failed({ formError: SESSION_ENDED });
    try {
      if (spec.requires === "platform_admin") requirePlatformAdmin(actor, spec.doing);
      const parsed = spec.input.safeParse(spec.read(formData));
      if (!parsed.success)
        return failed({
          fieldErrors: renamed(fieldErrors(parsed.error, spec.errorKey), spec.fields),
        });
      const result = await handler({
        actor,
        db: (await getDatabase()).db,
        input: parsed.data,
        formData,
      });
      for (const path of spec.revalidate ?? []) revalidatePath(path);
      return result ?? ({ ok: true } as T);
    } catch (error) {
      return failed(toFormState(error, spec.fields));
    }
  };
}

function keptValues(
  keep:
    | readonly string[]
    | "all"
    | ((formData: FormData) => Record<string, FormDataEntryValue | null>)
    | undefined,
  formData: FormData,
) {
  if (keep === undefined) return undefined;
  if (keep === "all") return Object.fromEntries(formData.entries());
  if (typeof keep === "function") return keep(formData);
  return Object.fromEntries(keep.map((name) => [name, formData.get(name)]));
}

/** A domain error as the form shows it: on its field, or above the form. Anything else is rethrown. */
export function toFormState(error: unknown, fields: Record<string, string> = {}): FormState {
  const apiError = toApiError(error);
  if (!apiError || apiError.code === "internal_error" || apiError.code === "service_unavailable")
    throw error;
  const field = apiError.param && (fields[apiError.param] ?? apiError.param);
  if (!field || field === "form")
    return {
      formError:
        apiError.code === "not_found"
          ? `${apiError.message} It may have been removed; refresh the page.`
          : apiError.message,
    };
  return { fieldErrors: { [field]: apiError.message } };
}

function renamed(
  errors: Record<string, string>,
  fields: Record<string, string> = {},
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [field, message] of Object.entries(errors)) {
    const name = fields[field] ?? field;
    if (name === "form") continue;
    out[name] ??= message;
  }
  return out;
}
