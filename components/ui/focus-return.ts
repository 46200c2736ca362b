/**
 * Where focus goes when a dialog closes. The control that opened it may be inside a menu
 * that has since closed, or in a row that the change removed (a revoked key hidden by the
 * filter), so it is looked up when the dialog closes: the first visible element marked
 * `data-focus-return="<id>"`, else the fallback.
 */
export function focusReturnTarget(id: string, fallback?: string): () => HTMLElement | null {
  return () => {
    const visible = (el: Element): el is HTMLElement =>
      el instanceof HTMLElement && el.getClientRects().length > 0;
    const marked = Array.from(
      document.querySelectorAll(`[data-focus-return="${CSS.escape(id)}"]`),
    ).find(visible);
    if (marked) return marked;
    const other = fallback
      ? Array.from(document.querySelectorAll(`[data-focus-return="${CSS.escape(fallback)}"]`)).find(
          visible,
        )
      : undefined;
    return other ?? null;
  };
}
