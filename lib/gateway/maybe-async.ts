/**
 * A value now, or a promise of it. The hot path's lookups (key, model, balance, budget) are
 * answered from memory on nearly every request; returning the value itself instead of an
 * async function's promise saves a promise and a microtask turn per lookup, which the
 * bench's profile showed (with Next's AsyncLocalStorage hooks on, every promise costs more).
 */
export type MaybePromise<T> = T | Promise<T>;

export const isPromise = <T>(value: MaybePromise<T>): value is Promise<T> =>
  value instanceof Promise;
