"use client";

import { Monitor, Moon, Sun } from "lucide-react";
import { useEffect, useState } from "react";
import { clsx } from "clsx";
import { THEME_COOKIE, type Theme } from "@/lib/theme";

const choices: { value: Theme; label: string; icon: typeof Sun }[] = [
  { value: "system", label: "System", icon: Monitor },
  { value: "light", label: "Light", icon: Sun },
  { value: "dark", label: "Dark", icon: Moon },
];

/** Outside the component: it writes to the document, which React does not own. */
function applyTheme(next: Theme) {
  const root = document.documentElement;
  if (next === "system") root.removeAttribute("data-theme");
  else root.setAttribute("data-theme", next);
  document.cookie = `${THEME_COOKIE}=${next}; path=/; max-age=31536000; samesite=lax`;
  // Every switch on the page (the sidebar's, the Account page's) shows the same choice.
  window.dispatchEvent(new CustomEvent<Theme>(THEME_EVENT, { detail: next }));
}

const THEME_EVENT = "modelbridge:theme";

/**
 * System / Light / Dark. "System" follows prefers-color-scheme (the CSS does that by
 * itself); a choice is written to <html data-theme> at once and to a cookie for the server.
 */
export function ThemeSwitch({ initial }: { initial: Theme }) {
  const [theme, setTheme] = useState(initial);
  useEffect(() => {
    const follow = (event: Event) => setTheme((event as CustomEvent<Theme>).detail);
    window.addEventListener(THEME_EVENT, follow);
    return () => window.removeEventListener(THEME_EVENT, follow);
  }, []);
  const choose = (next: Theme) => {
    setTheme(next);
    applyTheme(next);
  };
  return (
    <div role="radiogroup" aria-label="Theme" className="flex rounded-md bg-zinc-100 p-0.5">
      {choices.map(({ value, label, icon: Icon }) => (
        <button
          key={value}
          type="button"
          role="radio"
          aria-checked={theme === value}
          onClick={() => choose(value)}
          title={label}
          className={clsx(
            "flex flex-1 items-center justify-center gap-1 rounded px-2 py-1 text-xs font-medium",
            theme === value
              ? "bg-white text-zinc-900 shadow-xs"
              : "text-zinc-600 hover:text-zinc-900",
          )}
        >
          <Icon aria-hidden className="h-3.5 w-3.5" />
          <span>{label}</span>
        </button>
      ))}
    </div>
  );
}
