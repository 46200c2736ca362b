import { dictionary } from "@zxcvbn-ts/language-common";

/**
 * The ~50,000 most common passwords from leaked lists, as zxcvbn-ts ships them (only its word
 * list is used, not its scoring). Built on first use so that importing a schema costs nothing.
 */
let common: Set<string> | undefined;

export function isCommonPassword(password: string): boolean {
  common ??= new Set(
    (dictionary["passwords-common"] as string[]).map((word) => word.toLowerCase()),
  );
  return common.has(password.toLowerCase());
}
