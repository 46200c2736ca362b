"use client";

import { PendingInvites, type PendingInvite } from "@/components/invites/pending-invites";
import { revokeAnyInviteAction } from "../actions";

export function AllInvites({ invites }: { invites: PendingInvite[] }) {
  return <PendingInvites invites={invites} revoke={revokeAnyInviteAction} />;
}
