import type { TeamMemberView, TeamSummary } from "./teams";

export function toTeamObject(team: TeamSummary) {
  return {
    id: team.id,
    name: team.name,
    role: team.role,
    member_count: team.memberCount,
    created_at: team.createdAt.toISOString(),
  };
}

export function toMemberObject(member: TeamMemberView) {
  return {
    user_id: member.userId,
    email: member.email,
    name: member.name,
    role: member.role,
    joined_at: member.joinedAt.toISOString(),
  };
}
