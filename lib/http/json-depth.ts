/**
 * How deeply a JSON text nests, found by scanning its characters (strings skipped) without
 * parsing it. Every walk over parsed JSON (token estimates, translations, zod) recurses; a
 * body nested 50,000 deep used to overflow the stack there (a RangeError, a 500). Bodies
 * are checked before JSON.parse so nothing recursive ever sees such a value.
 */
export const MAX_JSON_DEPTH = 100;

export function jsonDepthExceeds(text: string, limit = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (++depth > limit) return true;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) depth--;
  }
  return false;
}

export const JSON_TOO_DEEP_MESSAGE = `The request body nests JSON deeper than ${MAX_JSON_DEPTH} levels.`;
