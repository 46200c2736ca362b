import { isCommonPassword } from "@/lib/auth/common-passwords";
import { z } from "zod";
import { plainString } from "@/lib/core/plain-text";

export const emailSchema = plainString()
  .trim()
  .toLowerCase()
  .pipe(z.email("Enter a valid email address").max(254, "Email is too long"));

export const NEW_PASSWORD_MIN = 10;

/**
 * A password being set (sign-up, a change). Sign-in keeps accepting any stored password:
 * these rules apply from the next change on.
 */
export const newPasswordSchema = z
  .string({ error: "Enter a password" })
  .min(NEW_PASSWORD_MIN, `Use at least ${NEW_PASSWORD_MIN} characters`)
  .max(200, "Password must be at most 200 characters")
  .refine((value) => value.trim() !== "", "A password cannot be only spaces")
  .refine(
    (value) => !isCommonPassword(value),
    "This password is on a list of common passwords. Choose another.",
  );

export const signUpSchema = z.object({
  name: plainString()
    .trim()
    .min(1, "Enter your name")
    .max(100, "Name must be at most 100 characters"),
  email: emailSchema,
  password: newPasswordSchema,
});

export const signInSchema = z.object({
  email: emailSchema,
  password: z
    .string()
    .min(1, "Enter your password")
    .max(200, "Password must be at most 200 characters"),
});

export type SignUpInput = z.infer<typeof signUpSchema>;
