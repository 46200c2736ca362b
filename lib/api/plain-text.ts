import { z } from "zod";

/**
 * Text a person typed (names, emails, URLs, notes, search terms) has no business carrying
 * control characters: Postgres cannot store NUL in a text column at all (a NUL used to
 * reach the database and come back as a 500), and escape sequences in a name end up in
 * terminals and logs. Refused at the door with a 422 on the field. Tabs and newlines are
 * control characters too: none of these fields is multi-line.
 */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

export const CONTROL_CHARACTERS_MESSAGE = "must not contain control characters";

export const hasNoControlCharacters = (value: string) => !CONTROL.test(value);

/** A string schema that refuses control characters (checked before any trim or transform). */
export const plainString = (params?: Parameters<typeof z.string>[0]) =>
  z
    .string(params)
    .refine(hasNoControlCharacters, { error: CONTROL_CHARACTERS_MESSAGE, abort: true });
