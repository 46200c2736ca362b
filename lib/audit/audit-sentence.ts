/**
 * An audit entry as a sentence a person reads ("Carol removed Dave from R&D; 1 key
 * revoked"), with names looked up (audit-names.ts) rather than ids, and values in words
 * rather than JSON. Pure, so the wording is tested without a database.
 */
export interface AuditNames {
  users: Map<string, string>;
  teams: Map<string, string>;
  keys: Map<string, string>;
  models: Map<string, string>;
}

export interface SentenceInput {
  action: string;
  actorUserId: string | null;
  actorName: string | null;
  actorKeyId: string | null;
  targetType: string;
  targetId: string | null;
  teamId: string | null;
  details: Record<string, unknown> | null;
}

const str = (value: unknown) => (typeof value === "string" ? value : undefined);
const num = (value: unknown) => (typeof value === "number" ? value : 0);
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
const quoted = (name: string | undefined) => (name ? `“${name}”` : "a key");
const article = (role: string) => (role === "admin" ? "an admin" : "a member");

/** Field names of a key change, as the Edit form labels them. */
const FIELD_LABELS: Record<string, string> = {
  name: "name",
  spending_limit: "spending limit",
  expires_at: "expiry",
  allowed_models: "allowed models",
  requests_per_minute: "requests per minute",
  tokens_per_minute: "tokens per minute",
  max_concurrent: "concurrent requests",
  budget_period: "budget period",
  ip_allowlist: "IP allowlist",
  alert_thresholds: "alert thresholds",
  rate_limits: "rate limits",
};

function valueText(value: unknown): string {
  if (value === null || value === undefined) return "none";
  if (Array.isArray(value)) return value.length ? value.join(", ") : "none";
  if (typeof value === "object")
    return (
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== null && v !== undefined)
        .map(([k, v]) => `${FIELD_LABELS[k] ?? k.replace(/_/g, " ")} ${valueText(v)}`)
        .join(", ") || "none"
    );
  if (typeof value === "boolean") return value ? "on" : "off";
  const text = String(value);
  return /^\d{4}-\d{2}-\d{2}T/.test(text) ? text.slice(0, 16).replace("T", " ") + " UTC" : text;
}

function changesText(details: Record<string, unknown> | null): string {
  const changes = details?.changes;
  if (!changes || typeof changes !== "object") return "";
  const parts = Object.entries(changes as Record<string, { from?: unknown; to?: unknown }>).map(
    ([field, change]) =>
      `${FIELD_LABELS[field] ?? field.replace(/_/g, " ")} ${valueText(change?.from)} → ${valueText(change?.to)}`,
  );
  return parts.length ? `: ${parts.join("; ")}` : "";
}

export function auditSentence(e: SentenceInput, names: AuditNames): string {
  const d = e.details ?? {};
  const actor = e.actorName ?? "The system";
  const target = e.targetId ?? "";
  const self = e.actorUserId !== null && e.actorUserId === target;
  const team = (e.teamId && names.teams.get(e.teamId)) || str(d.team_name) || "a team";
  const person =
    names.users.get(target) ?? str(d.email) ?? (self ? actor : "someone no longer here");
  const key = quoted(names.keys.get(target) ?? str(d.name));
  const inTeam = e.teamId ? ` in ${team}` : "";
  const via = e.actorKeyId ? " (with a Management key)" : "";
  const said = (text: string) => `${actor}${via} ${text}`;
  switch (e.action) {
    case "key.create":
      return said(`created the key ${key}${inTeam}`);
    case "key.update":
      return said(`changed the key ${key}${changesText(e.details)}`);
    case "key.revoke":
      return said(
        `revoked the key ${key}${inTeam}${
          d.reason === "member_removed" ? " (its creator left the team)" : ""
        }`,
      );
    case "key.pause":
      return said(`paused the key ${key}`);
    case "key.resume":
      return said(`resumed the key ${key}`);
    case "key.roll":
      return said(
        `rolled the key ${key}; the old secret works until ${valueText(d.previous_key_expires_at)}`,
      );
    case "team.create":
      return said(`created the team ${str(d.name) ?? team}`);
    case "team.rename":
      return said(`renamed the team ${str(d.from) ?? team} to ${str(d.to) ?? team}`);
    case "team.delete": {
      const n = num(d.revoked_keys);
      return said(
        `deleted the team ${str(d.name) ?? team}${n ? `; ${plural(n, "key")} revoked` : ""}`,
      );
    }
    case "team.payload_capture": {
      const to = d.to as { enabled?: boolean; sample_rate?: number } | null;
      return said(
        to?.enabled
          ? `turned payload capture on for ${team} (${Math.round((to.sample_rate ?? 1) * 100)}% of requests)`
          : to
            ? `turned payload capture off for ${team}`
            : `removed ${team}'s payload capture setting`,
      );
    }
    case "team.member.add":
      return said(`added ${person} to ${team} as ${article(str(d.role) ?? "member")}`);
    case "team.member.role":
      return said(
        `made ${self ? "themself" : person} ${article(str(d.to) ?? "member")} of ${team}`,
      );
    case "team.member.remove": {
      const n = num(d.revoked_keys);
      const revoked = n ? `; ${plural(n, "key")} revoked` : "";
      return self
        ? said(`left ${team}${revoked}`)
        : said(`removed ${person} from ${team}${revoked}`);
    }
    case "user.role":
      return said(`made ${person} ${d.role === "admin" ? "a platform admin" : "a user"}`);
    case "user.disable":
      return said(`disabled the account of ${person}`);
    case "user.enable":
      return said(`enabled the account of ${person}`);
    case "user.password":
      return said("changed their password");
    case "user.profile":
      return said(profileChange(d));
    case "balance.credit":
      return said(
        `added ${valueText(d.amount)} of credit${e.teamId ? ` to ${team}` : ""}${str(d.note) ? ` (“${str(d.note)}”)` : ""}`,
      );
    case "balance.included":
      return said(
        `set the included monthly usage${e.teamId ? ` of ${team}` : ""} from ${valueText(d.from)} to ${valueText(d.to)}`,
      );
    case "balance.overage":
      return said(`turned overage ${d.enabled ? "on" : "off"}${e.teamId ? ` for ${team}` : ""}`);
    case "invite.create":
      return said(`invited ${str(d.email) ?? "someone"}${e.teamId ? ` to ${team}` : ""}`);
    case "invite.revoke":
      return said(`revoked the invite for ${str(d.email) ?? "someone"}`);
    case "invite.accept":
      return said(`joined${e.teamId ? ` ${team}` : ""} through an invite`);
    case "settings.update":
      return said(
        `changed the install's settings${changesText(e.details) || (Object.keys(d).length ? `: ${valueText(d)}` : "")}`,
      );
    case "model.create":
      return said(`registered the model ${names.models.get(target) ?? str(d.name) ?? "a model"}`);
    case "model.update":
      return said(
        `changed the model ${names.models.get(target) ?? str(d.name) ?? "a model"}${changesText(e.details)}`,
      );
    case "webhook.create":
      return said(`added a webhook to ${str(d.url) ?? "a URL"}${inTeam}`);
    case "webhook.delete":
      return said(`deleted the webhook to ${str(d.url) ?? "a URL"}${inTeam}`);
    case "webhook.test":
      return said(`sent a test to the webhook ${str(d.url) ?? ""}`.trimEnd());
    default:
      return said(`did ${e.action.replace(/\./g, " ")}`);
  }
}

/** "changed their name from “Ann” to “Anne” and their email from a@x to b@x". */
function profileChange(d: Record<string, unknown>): string {
  const parts = (["name", "email"] as const).flatMap((field) => {
    const change = d[field] as { from?: unknown; to?: unknown } | undefined;
    if (!change) return [];
    const from = str(change.from);
    const to = str(change.to);
    return field === "name"
      ? [`their name from “${from ?? "?"}” to “${to ?? "?"}”`]
      : [`their email from ${from ?? "?"} to ${to ?? "?"}`];
  });
  return parts.length ? `changed ${parts.join(" and ")}` : "changed their profile";
}
