"use client";

import { Toaster as Sonner } from "sonner";

/**
 * Where every change's confirmation appears. sonner renders its own polite live region,
 * so screen readers hear "Key revoked" without the page announcing anything else.
 */
export function Toaster() {
  return (
    <Sonner
      position="bottom-right"
      richColors
      closeButton
      duration={5000}
      toastOptions={{ className: "text-sm" }}
    />
  );
}
