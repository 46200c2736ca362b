import { statusOf, type ErrorCode } from "./error-codes";

/**
 * Errors the services in lib/ throw. They say what went wrong in domain terms, with a code
 * from the one vocabulary (error-codes.ts); the adapters turn them into an HTTP envelope
 * (lib/errors/to-api-error.ts) or a form's message (lib/actions/authed-action.ts). A
 * service never builds an HTTP answer itself: the same call serves a form and a script.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** The input field the error is about, when there is one: a form shows it there, the API names it in `param`. */
    readonly field: string | null = null,
  ) {
    super(message);
    this.name = new.target.name;
  }

  /** The status the code goes out with on the API. */
  get status(): number {
    return statusOf(this.code);
  }
}

/** What does not exist, or exists but the caller may not see: the two are indistinguishable on purpose. */
export class NotFoundError extends DomainError {
  constructor(readonly what: string = "resource") {
    super("not_found", `No such ${what}`);
  }
}

/** The caller may see the thing but not do this to it (a member changing roles, say). */
export class ForbiddenError extends DomainError {
  constructor(message: string) {
    super("forbidden", message);
  }
}

/** The account (a user's personal keys, or a team) already holds its cap of active keys. */
export class KeyLimitReachedError extends DomainError {
  constructor(readonly limit: number) {
    super(
      "key_limit_reached",
      `This account already has ${limit} active keys, the most it may hold. Revoke a key you no longer use, then create the new one.`,
    );
  }
}

/** A rule about one input field that only the service can check (an unknown email, a taken name). */
export class FieldError extends DomainError {
  declare readonly field: string;

  constructor(field: string, message: string, status: 409 | 422 = 422) {
    super(status === 409 ? "conflict" : "invalid_request", message, field);
  }

  override get status(): number {
    return this.code === "conflict" ? 409 : 422;
  }
}

/** A change the current state forbids (the last platform admin, disabling oneself). */
export class ConflictError extends DomainError {
  constructor(code: "last_admin" | "cannot_disable_self" | "conflict", message: string) {
    super(code, message);
  }
}
