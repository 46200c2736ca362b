/** Moved to tests/helpers/harness.ts; this path stays for tests written before the move. */
export * from "../helpers/harness";
