import type { SignupSettings } from "@/lib/settings/signup-settings";

type Settings = Pick<SignupSettings, "signupMode" | "whoMayCreateTeams">;

/**
 * Whether users who are not platform admins may create teams: under open sign-up anyone
 * could make an account anyway, so yes; otherwise only if the admin allows everyone
 * (Admin → Settings, "Who may create teams"; PRODUCT.md "Who may bring people in").
 */
export function usersMayCreateTeams(settings: Settings): boolean {
  return settings.signupMode === "open" || settings.whoMayCreateTeams === "everyone";
}

/** Admin → Teams with no team yet: says who can create the first one, as the setting has it. */
export function noTeamsYetText(settings: Settings): string {
  return usersMayCreateTeams(settings)
    ? "No teams yet. Users create teams on their Teams page."
    : "No teams yet. Only platform admins create teams on this server: create one on your Teams page, or let everyone under Admin → Settings, “Who may create teams”.";
}
