/**
 * The Usage page's filters live in its URL (shareable, back-button friendly, and what the
 * API Keys list links to: `/usage?key=<id>`). The CSV export takes the same filters.
 */
export interface UsageFilters {
  owner: string;
  key: string | null;
  range: "7" | "30" | "90" | null;
  /** Inclusive UTC days, used when range is null. */
  from: string;
  to: string;
}

function params(filters: UsageFilters, keyParam: "key" | "key_id"): URLSearchParams {
  const search = new URLSearchParams();
  if (filters.key) search.set(keyParam, filters.key);
  else if (filters.owner !== "personal") search.set("owner", filters.owner);
  if (filters.range) search.set("range", filters.range);
  else {
    search.set("from", filters.from);
    search.set("to", filters.to);
  }
  return search;
}

export function usageHref(filters: UsageFilters): string {
  const query = params(filters, "key").toString();
  return query ? `/usage?${query}` : "/usage";
}

export function exportHref(filters: UsageFilters): string {
  return `/api/v1/usage/export?${params(filters, "key_id").toString()}`;
}
