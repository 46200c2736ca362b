import type { SortingState } from "@tanstack/react-table";

/**
 * The key list's view in its URL: `q` (search), `status` (omitted: all but revoked; `all`,
 * or one status), `sort` (a column id, `-` first for descending) and `page` (from 1).
 * Anything unknown in a hand-edited URL falls back to the default.
 */
export interface ListView {
  q: string;
  status: string;
  sorting: SortingState;
  pageIndex: number;
}

const NOT_REVOKED = "not_revoked";
const STATUSES = ["active", "paused", "limit_reached", "expired", "revoked"];
const SORTABLE = ["name", "status", "spend", "expires", "created", "lastUsed", "createdBy"];

export function readListView(params: URLSearchParams): ListView {
  const q = (params.get("q") ?? "").slice(0, 100);
  const rawStatus = params.get("status");
  const status =
    rawStatus === "all" ? "" : rawStatus && STATUSES.includes(rawStatus) ? rawStatus : NOT_REVOKED;
  const sort = params.get("sort") ?? "";
  const id = sort.replace(/^-/, "");
  const sorting = SORTABLE.includes(id) ? [{ id, desc: sort.startsWith("-") }] : [];
  const page = Number.parseInt(params.get("page") ?? "1", 10);
  return { q, status, sorting, pageIndex: Number.isFinite(page) && page > 1 ? page - 1 : 0 };
}

export function listViewHref(pathname: string, owner: string, view: ListView): string {
  const params = new URLSearchParams();
  if (owner !== "personal") params.set("owner", owner);
  if (view.q) params.set("q", view.q);
  if (view.status !== NOT_REVOKED) params.set("status", view.status || "all");
  const [sort] = view.sorting;
  if (sort) params.set("sort", `${sort.desc ? "-" : ""}${sort.id}`);
  if (view.pageIndex > 0) params.set("page", String(view.pageIndex + 1));
  return params.size ? `${pathname}?${params}` : pathname;
}
