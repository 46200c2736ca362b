/** The user's theme choice, kept in a cookie so the server renders the right one (no flash). */
export const THEME_COOKIE = "mb-theme";
export const themes = ["system", "light", "dark"] as const;
export type Theme = (typeof themes)[number];

export function parseTheme(value: string | undefined): Theme {
  return (themes as readonly string[]).includes(value ?? "") ? (value as Theme) : "system";
}
