"use client";

import * as DropdownMenu from "@radix-ui/react-dropdown-menu";
import { BarChart3, MoreHorizontal, Pause, Pencil, Play, RefreshCcw, Trash2 } from "lucide-react";
import { useRouter } from "next/navigation";
import type { KeyRow, RowActions } from "../key-row";

const item =
  "flex w-full cursor-pointer items-center gap-2 rounded-md px-3 py-2 text-sm outline-none";
const plain = `${item} text-zinc-700 data-[highlighted]:bg-zinc-100`;

/**
 * One row's actions behind a "⋯" button: a single narrow column that is always on screen,
 * however long the names or however many columns the table has.
 */

export function RowActionsMenu({
  row,
  onEdit,
  onRevoke,
  onPause,
  onRoll,
}: { row: KeyRow } & RowActions) {
  const router = useRouter();
  return (
    <DropdownMenu.Root>
      <DropdownMenu.Trigger
        aria-label={`Actions for ${row.name}`}
        data-focus-return={row.id}
        className="inline-flex h-8 w-8 items-center justify-center rounded-md text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900 data-[state=open]:bg-zinc-100"
      >
        <MoreHorizontal aria-hidden className="h-4 w-4" />
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content
          align="end"
          sideOffset={4}
          className="z-40 min-w-40 rounded-lg border border-zinc-200 bg-white p-1 shadow-lg"
        >
          <DropdownMenu.Item className={plain} onSelect={() => router.push(`/usage?key=${row.id}`)}>
            <BarChart3 aria-hidden className="h-4 w-4" />
            Usage
          </DropdownMenu.Item>
          {row.status === "revoked" ? null : (
            <>
              <DropdownMenu.Item className={plain} onSelect={() => onEdit(row)}>
                <Pencil aria-hidden className="h-4 w-4" />
                Edit
              </DropdownMenu.Item>
              {row.isPlayground ? null : row.paused ? (
                <DropdownMenu.Item className={plain} onSelect={() => onPause(row, false)}>
                  <Play aria-hidden className="h-4 w-4" />
                  Resume
                </DropdownMenu.Item>
              ) : (
                <DropdownMenu.Item className={plain} onSelect={() => onPause(row, true)}>
                  <Pause aria-hidden className="h-4 w-4" />
                  Pause
                </DropdownMenu.Item>
              )}
              {row.isPlayground ? null : (
                <DropdownMenu.Item className={plain} onSelect={() => onRoll(row)}>
                  <RefreshCcw aria-hidden className="h-4 w-4" />
                  Roll
                </DropdownMenu.Item>
              )}
              <DropdownMenu.Separator className="my-1 h-px bg-zinc-200" />
              <DropdownMenu.Item
                className={`${item} text-red-700 data-[highlighted]:bg-red-50`}
                onSelect={() => onRevoke(row)}
              >
                <Trash2 aria-hidden className="h-4 w-4" />
                Revoke
              </DropdownMenu.Item>
            </>
          )}
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
