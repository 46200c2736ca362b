"use client";

import { useEffect, useRef } from "react";

/**
 * Put inside a form: after a submit comes back with errors, the first invalid field (or the
 * form's alert, when no field is to blame) is scrolled into view and focused, so a long
 * dialog scrolled to its bottom shows what went wrong instead of seeming to do nothing.
 * `state` is the form's result; a new object after every submit.
 */
export function FocusFirstError({ state }: { state: unknown }) {
  const ref = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    const form = ref.current?.closest("form");
    if (!form || !state) return;
    const target =
      form.querySelector<HTMLElement>('[aria-invalid="true"]') ??
      form.querySelector<HTMLElement>('[role="alert"]');
    if (!target) return;
    // An invalid group (radios) is focused at its chosen radio, or its first.
    const control = target.matches("input, select, textarea, button")
      ? target
      : (target.querySelector<HTMLElement>("input:checked:not(:disabled)") ??
        target.querySelector<HTMLElement>("input:not(:disabled), select, textarea") ??
        target);
    control.scrollIntoView({ block: "center" });
    if (!control.matches("input, select, textarea, button")) control.tabIndex = -1;
    control.focus({ preventScroll: true });
  }, [state]);
  return <span ref={ref} hidden />;
}
