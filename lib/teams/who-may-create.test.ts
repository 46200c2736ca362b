import { describe, expect, it } from "vitest";
import { noTeamsYetText, usersMayCreateTeams } from "./who-may-create";

describe("who may create teams", () => {
  it("only admins by default, while sign-up is invite only or closed", () => {
    for (const signupMode of ["invite", "closed"] as const) {
      expect(usersMayCreateTeams({ signupMode, whoMayCreateTeams: "admins" })).toBe(false);
      expect(noTeamsYetText({ signupMode, whoMayCreateTeams: "admins" })).toContain(
        "Only platform admins create teams",
      );
    }
  });

  it("everyone when the admin allows it, or when sign-up is open", () => {
    expect(usersMayCreateTeams({ signupMode: "invite", whoMayCreateTeams: "everyone" })).toBe(true);
    expect(usersMayCreateTeams({ signupMode: "open", whoMayCreateTeams: "admins" })).toBe(true);
    expect(noTeamsYetText({ signupMode: "open", whoMayCreateTeams: "admins" })).toBe(
      "No teams yet. Users create teams on their Teams page.",
    );
  });
});
