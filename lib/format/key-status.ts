/**
 * Plain words for a key's status. The API and the filter's values stay snake_case
 * (`limit_reached`); people read "Limit reached". A status this list does not know yet is
 * spelled out from its value rather than shown as code.
 */
const labels: Record<string, string> = {
  active: "Active",
  limit_reached: "Limit reached",
  expired: "Expired",
  revoked: "Revoked",
  paused: "Paused",
};

export function keyStatusLabel(status: string): string {
  return labels[status] ?? status.charAt(0).toUpperCase() + status.slice(1).replace(/_/g, " ");
}
