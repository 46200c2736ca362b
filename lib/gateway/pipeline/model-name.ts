import { z } from "zod";

/**
 * What a client may send as `model`. It is stored in every request record and written to
 * the log, so it is judged at the door: a NUL byte or a lone surrogate cannot be stored by
 * Postgres and used to fail the whole batch of records it was in (stopping metering for
 * everyone), and a multi-megabyte name filled the usage table, the CSV export and the log.
 * Real model names (`meta-llama/Llama-3.1-8B-Instruct`, `qwen2.5:7b`) are far shorter.
 */
export const MODEL_NAME_MAX = 256;

// C0 and C1 control characters, DEL included.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

export const modelName = z
  .string()
  .min(1)
  .max(MODEL_NAME_MAX, `must be at most ${MODEL_NAME_MAX} characters`)
  .refine((name) => !CONTROL.test(name), "must not contain control characters")
  .refine((name) => name.isWellFormed(), "must be valid Unicode text");
