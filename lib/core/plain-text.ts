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

/**
 * A lone UTF-16 surrogate (`"\ud800"` in a JSON body) is not text: Postgres refuses it in
 * a jsonb value (22P02 on the audit row, a 500) and a UTF-8 column would store U+FFFD in
 * its place. Refused at the door like control characters.
 */
export const NOT_WELL_FORMED_MESSAGE = "must be valid Unicode text (it has a lone surrogate)";

export const isWellFormed = (value: string) => value.isWellFormed();

/** A string schema that refuses control characters and lone surrogates (checked before any trim or transform). */
export const plainString = (params?: Parameters<typeof z.string>[0]) =>
  z
    .string(params)
    .refine(isWellFormed, { error: NOT_WELL_FORMED_MESSAGE, abort: true })
    .refine(hasNoControlCharacters, { error: CONTROL_CHARACTERS_MESSAGE, abort: true });
