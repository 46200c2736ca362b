"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect, useRef } from "react";
import { clsx } from "clsx";
import {
  BarChart3,
  KeyRound,
  MessageSquare,
  ScrollText,
  Shield,
  Users,
  Webhook,
} from "lucide-react";

const items = [
  { href: "/settings/api-keys", label: "API Keys", icon: KeyRound },
  { href: "/playground", label: "Playground", icon: MessageSquare },
  { href: "/usage", label: "Usage", icon: BarChart3 },
  { href: "/settings/teams", label: "Teams", icon: Users },
  { href: "/settings/webhooks", label: "Webhooks", icon: Webhook },
  { href: "/settings/audit-log", label: "Audit log", icon: ScrollText },
];
const adminItem = { href: "/admin", label: "Admin", icon: Shield };

/** Sidebar links on desktop, a scrollable strip on a phone. */
export function NavLinks({
  isAdmin,
  orientation,
}: {
  isAdmin: boolean;
  orientation: "vertical" | "horizontal";
}) {
  const pathname = usePathname();
  const links = isAdmin ? [...items, adminItem] : items;
  const list = useRef<HTMLUListElement>(null);
  // On a phone the strip scrolls sideways: keep the current page's link in view.
  useEffect(() => {
    if (orientation !== "horizontal") return;
    const current = list.current?.querySelector<HTMLElement>('[aria-current="page"]');
    if (current && list.current)
      list.current.scrollLeft =
        current.offsetLeft - list.current.clientWidth / 2 + current.clientWidth / 2;
  }, [orientation, pathname]);
  return (
    <ul
      ref={list}
      className={clsx(
        orientation === "vertical"
          ? "space-y-1"
          : "relative flex gap-0.5 overflow-x-auto [scrollbar-width:none]",
      )}
    >
      {links.map(({ href, label, icon: Icon }) => {
        const active = pathname === href || pathname.startsWith(`${href}/`);
        return (
          <li key={href}>
            <Link
              href={href}
              aria-current={active ? "page" : undefined}
              className={clsx(
                "flex items-center whitespace-nowrap rounded-md text-sm font-medium",
                orientation === "vertical" ? "gap-2.5 px-3 py-2" : "gap-1.5 px-2 py-2",
                active
                  ? "bg-brand-50 text-brand-700"
                  : "text-zinc-700 hover:bg-zinc-100 hover:text-zinc-900",
              )}
            >
              <Icon aria-hidden className="h-4 w-4 shrink-0" />
              {label}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
