"use client";

import * as DropdownMenu from "@radix-ui/react-dropdown-menu";
import { ChevronDown, LogOut, UserCog } from "lucide-react";
import Link from "next/link";
import { startTransition } from "react";

/** The account menu with who is signed in and sign-out. */
export function UserMenu({
  name,
  email,
  role,
  signOutAction,
}: {
  name: string;
  email: string;
  role: "admin" | "user";
  signOutAction: () => Promise<void>;
}) {
  const initials =
    name
      .split(/\s+/)
      .map((part) => part[0])
      .join("")
      .slice(0, 2)
      .toUpperCase() || "?";
  return (
    <DropdownMenu.Root>
      {/* Named by its content (not aria-label, which would hide the visible name and email). */}
      <DropdownMenu.Trigger className="flex max-w-full items-center gap-2 rounded-md px-2 py-1.5 text-left text-sm hover:bg-zinc-100">
        <span
          aria-hidden
          className="flex h-8 w-8 shrink-0 items-center justify-center rounded-full bg-brand-100 text-xs font-semibold text-brand-700"
        >
          {initials}
        </span>
        <span className="sr-only">User menu</span>
        <span className="hidden min-w-0 flex-1 md:block">
          <span className="block truncate font-medium text-zinc-900">{name}</span>
          <span className="block truncate text-xs text-zinc-500">{email}</span>
        </span>
        <ChevronDown aria-hidden className="h-4 w-4 shrink-0 text-zinc-500" />
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content
          align="end"
          sideOffset={6}
          className="z-50 min-w-56 rounded-lg border border-zinc-200 bg-white p-1 shadow-lg"
        >
          <div className="px-3 py-2">
            <p className="truncate text-sm font-medium">{name}</p>
            <p className="truncate text-xs text-zinc-500">{email}</p>
            {role === "admin" ? (
              <p className="mt-1 text-xs font-medium text-brand-700">Platform admin</p>
            ) : null}
          </div>
          <DropdownMenu.Separator className="my-1 h-px bg-zinc-200" />
          <DropdownMenu.Item
            asChild
            className="flex w-full cursor-pointer items-center gap-2 rounded-md px-3 py-2 text-sm text-zinc-700 outline-none data-[highlighted]:bg-zinc-100"
          >
            <Link href="/settings/account">
              <UserCog aria-hidden className="h-4 w-4" />
              Account
            </Link>
          </DropdownMenu.Item>
          <DropdownMenu.Item
            // The menu unmounts on select, so a <form> inside it may never submit: call the action directly.
            onSelect={() => startTransition(() => signOutAction())}
            className="flex w-full cursor-pointer items-center gap-2 rounded-md px-3 py-2 text-sm text-zinc-700 outline-none data-[highlighted]:bg-zinc-100"
          >
            <LogOut aria-hidden className="h-4 w-4" />
            Sign out
          </DropdownMenu.Item>
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
