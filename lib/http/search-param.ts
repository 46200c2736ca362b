import { hasNoControlCharacters, isWellFormed } from "@/lib/core/plain-text";

/**
 * A dashboard search box's `?q=`: one string of at most 100 characters. A repeated `q`
 * takes the first; a NUL or other control character (Postgres cannot compare with NUL: it
 * used to be a 500, with the query's values in the log) or a lone surrogate is refused
 * with a message naming the field, and the page lists as if nothing was searched.
 */
export function searchParam(raw: string | string[] | undefined): {
  search: string;
  error: string | null;
} {
  const value = (Array.isArray(raw) ? raw[0] : raw) ?? "";
  if (!isWellFormed(value) || !hasNoControlCharacters(value)) {
    return { search: "", error: "Search (q) must not contain control characters." };
  }
  return { search: value.slice(0, 100), error: null };
}

/** The same rule where the search reaches the database: anything else matches everything. */
export const safeSearch = (search: string) => searchParam(search).search;
