import { describe, expect, it } from "vitest";
import { auditSentence, type AuditNames } from "./audit-sentence";

const names: AuditNames = {
  users: new Map([["u-dave", "Dave"]]),
  teams: new Map([["t-rd", "R&D"]]),
  keys: new Map([["k-1", "billing"]]),
  models: new Map(),
};
const base = {
  actorUserId: "u-carol",
  actorName: "Carol",
  actorKeyId: null,
  teamId: null,
  details: null,
};

describe("audit entries as sentences", () => {
  it("says who removed whom from which team, and how many keys went with them", () => {
    expect(
      auditSentence(
        {
          ...base,
          action: "team.member.remove",
          targetType: "team_member",
          targetId: "u-dave",
          teamId: "t-rd",
          details: { role: "member", revoked_keys: 1 },
        },
        names,
      ),
    ).toBe("Carol removed Dave from R&D; 1 key revoked");
  });

  it("names a key and its changes in words, not JSON", () => {
    expect(
      auditSentence(
        {
          ...base,
          action: "key.update",
          targetType: "api_key",
          targetId: "k-1",
          details: { changes: { spending_limit: { from: null, to: "5.00" } } },
        },
        names,
      ),
    ).toBe("Carol changed the key “billing”: spending limit none → 5.00");
  });

  it("says who left a team themself, and a Management key's part", () => {
    expect(
      auditSentence(
        {
          ...base,
          actorKeyId: "k-9",
          action: "team.member.remove",
          targetType: "team_member",
          targetId: "u-carol",
          teamId: "t-rd",
          details: { revoked_keys: 0 },
        },
        names,
      ),
    ).toBe("Carol (with a Management key) left R&D");
  });
});
