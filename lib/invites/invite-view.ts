import { invitePath } from "./invite-token";
import type { InviteView } from "./invites";

export function toInviteObject(invite: InviteView) {
  return {
    id: invite.id,
    email: invite.email,
    team_id: invite.teamId,
    team_name: invite.teamName,
    role: invite.teamRole,
    invited_by: invite.invitedByName,
    created_at: invite.createdAt.toISOString(),
    expires_at: invite.expiresAt.toISOString(),
  };
}

export function inviteUrl(baseUrl: string, token: string): string {
  return `${baseUrl}${invitePath(token)}`;
}
