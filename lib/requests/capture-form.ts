import { z } from "zod";
import type { PayloadCaptureSetting } from "@/db/schema/payload-capture";
import type { PayloadCaptureInput } from "./schemas";

/**
 * The dashboard's "Payload capture" fieldset (Admin → Settings, a key's page, Admin → Teams)
 * as the server actions read it. People think of a sampling rate as a percentage, so the
 * form takes 0–100 % and hands the services the same 0–1 share the API takes.
 */
export const CAPTURE_CHOICES = ["inherit", "on", "off"] as const;
export type CaptureChoice = (typeof CAPTURE_CHOICES)[number];

const percent = z
  .string()
  .trim()
  .transform((text) => (text === "" ? "100" : text.replace(/\s*%$/, "")))
  .pipe(
    z
      .string()
      .regex(/^\d{1,3}(\.\d{1,2})?$/, "Enter a percentage from 0 to 100, like 25")
      .transform(Number)
      .refine((n) => n <= 100, "Enter a percentage from 0 to 100, like 25"),
  );

export const captureFormInput = z.object({
  capture: z.enum(CAPTURE_CHOICES, "Choose whether payloads are captured"),
  sample_percent: percent,
});

export type CaptureForm = z.output<typeof captureFormInput>;

/** The form's fields → what setKeyCapture / setTeamCapture / setInstanceCapture take. */
export function toCaptureInput(form: CaptureForm): PayloadCaptureInput {
  if (form.capture === "inherit") return null;
  return { enabled: form.capture === "on", sample_rate: form.sample_percent / 100 };
}

/** What the fieldset shows for a level's saved setting. */
export function captureFormValues(setting: PayloadCaptureSetting | null): {
  capture: CaptureChoice;
  samplePercent: string;
} {
  if (!setting) return { capture: "inherit", samplePercent: "100" };
  return {
    capture: setting.enabled ? "on" : "off",
    samplePercent: String(Math.round(setting.sampleRate * 10_000) / 100),
  };
}
