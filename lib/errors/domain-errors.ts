/**
 * Errors the services in lib/ throw. They say what went wrong in domain terms; the
 * adapters (server actions, /api/v1 routes) turn them into form errors or HTTP statuses.
 */

/** What does not exist, or exists but the caller may not see: the two are indistinguishable on purpose. */
export class NotFoundError extends Error {
  constructor(readonly what: string = "resource") {
    super(`No such ${what}`);
    this.name = "NotFoundError";
  }
}

/** The caller may see the thing but not do this to it (a member changing roles, say). */
export class ForbiddenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ForbiddenError";
  }
}

/** The account (a user's personal keys, or a team) already holds its cap of active keys. */
export class KeyLimitReachedError extends Error {
  constructor(readonly limit: number) {
    super(
      `This account already has ${limit} active keys, the most it may hold. Revoke a key you no longer use, then create the new one.`,
    );
    this.name = "KeyLimitReachedError";
  }
}

/** A rule about one input field that only the service can check (an unknown email, the last admin). */
export class FieldError extends Error {
  constructor(readonly field: string, message: string, readonly status: 409 | 422 = 422) {
    super(message);
    this.name = "FieldError";
  }
}
