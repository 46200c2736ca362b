import { z } from "zod";
import { plainString } from "@/lib/api/plain-text";

export const emailSchema = plainString().trim().toLowerCase().pipe(z.email("Enter a valid email address").max(254, "Email is too long"));

export const signUpSchema = z.object({
  name: plainString().trim().min(1, "Enter your name").max(100, "Name must be at most 100 characters"),
  email: emailSchema,
  password: z
    .string()
    .min(8, "Use at least 8 characters")
    .max(200, "Password must be at most 200 characters"),
});

export const signInSchema = z.object({
  email: emailSchema,
  password: z.string().min(1, "Enter your password").max(200, "Password must be at most 200 characters"),
});

export type SignUpInput = z.infer<typeof signUpSchema>;
