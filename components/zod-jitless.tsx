"use client";

import { z } from "zod";

/**
 * zod 4 probes whether it may compile parsers with `new Function`; under the pages' CSP
 * (no 'unsafe-eval') the probe is refused and the browser reports a CSP violation on every
 * page that validates a form. Telling zod not to try keeps the console clean. Browser only:
 * zod's config is global, and on the server the same process runs the /v1 gateway, whose
 * request parsing benefits from the compiled fast path.
 */
if (typeof window !== "undefined") z.config({ jitless: true });

export function ZodJitless() {
  return null;
}
