"use client";

import * as RadixDialog from "@radix-ui/react-dialog";
import { X } from "lucide-react";
import { useRef, type ReactNode } from "react";

/**
 * A modal dialog: focus is trapped inside, Escape and the close button call onOpenChange,
 * and the rest of the page is hidden from assistive technology while it is open.
 */
export function Dialog({
  open,
  onOpenChange,
  title,
  description,
  children,
  wide = false,
  returnFocusTo,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  description?: ReactNode;
  children: ReactNode;
  wide?: boolean;
  /**
   * The control to focus when the dialog closes. Radix returns focus to whatever was focused
   * when it opened, which is gone when a menu item opened it; this names the control itself.
   */
  returnFocusTo?: () => HTMLElement | null;
}) {
  const content = useRef<HTMLDivElement>(null);
  return (
    <RadixDialog.Root open={open} onOpenChange={onOpenChange}>
      <RadixDialog.Portal>
        <RadixDialog.Overlay className="fixed inset-0 z-40 bg-black/50" />
        <RadixDialog.Content
          ref={content}
          // A control marked data-autofocus (a confirmation's Cancel) is focused on open through
          // Radix, so its focus trap remembers it: React's autoFocus ran before the trap, and
          // when a menu that opened the dialog handed focus back to its trigger, the trap
          // settled on the first control, the × button.
          onOpenAutoFocus={(event) => {
            const preferred = content.current?.querySelector<HTMLElement>("[data-autofocus]");
            if (!preferred) return;
            event.preventDefault();
            preferred.focus();
          }}
          onCloseAutoFocus={(event) => {
            const target = returnFocusTo?.();
            if (!target) return;
            event.preventDefault();
            target.focus();
          }}
          // The box itself only takes focus when nothing inside can: no ring around the whole dialog.
          className={`fixed outline-none inset-x-3 top-[5vh] z-50 mx-auto max-h-[90vh] overflow-y-auto rounded-xl bg-white p-5 shadow-xl sm:p-6 ${wide ? "max-w-2xl" : "max-w-md"}`}
        >
          <div className="mb-4 flex items-start justify-between gap-4">
            <div className="min-w-0">
              <RadixDialog.Title className="text-lg font-semibold">{title}</RadixDialog.Title>
              {description ? (
                <RadixDialog.Description className="mt-1 text-sm text-zinc-600">
                  {description}
                </RadixDialog.Description>
              ) : (
                <RadixDialog.Description className="sr-only">{title}</RadixDialog.Description>
              )}
            </div>
            <RadixDialog.Close
              aria-label="Close"
              className="rounded-md p-1 text-zinc-500 hover:bg-zinc-100 hover:text-zinc-900"
            >
              <X aria-hidden className="h-5 w-5" />
            </RadixDialog.Close>
          </div>
          {children}
        </RadixDialog.Content>
      </RadixDialog.Portal>
    </RadixDialog.Root>
  );
}
