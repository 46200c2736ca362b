import { envSchema } from "./env";

/**
 * docs/configuration.md and .env.example, written from lib/env.ts's schema alone: each
 * variable's `.describe()` text and the default the schema gives it. `npx tsx
 * scripts/env-docs.ts` writes them; lib/env-docs.test.ts fails when the files on disk differ.
 */
interface Variable {
  name: string;
  description: string;
  /** What an unset variable becomes, as an operator would write it; null: stays unset. */
  default: string | null;
}

export function variables(): Variable[] {
  return Object.entries(envSchema.shape).map(([name, schema]) => {
    const parsed = schema.safeParse(undefined);
    const value = parsed.success ? parsed.data : undefined;
    return {
      name,
      description: schema.description ?? "",
      default:
        value === undefined
          ? null
          : typeof value === "boolean"
            ? value
              ? "1"
              : "0"
            : String(value),
    };
  });
}

export function configurationMarkdown(): string {
  const rows = variables().map(
    (v) =>
      `| \`${v.name}\` | ${v.default === null ? "unset" : `\`${v.default}\``} | ${v.description.replaceAll("|", "\\|")} |`,
  );
  return [
    "# Configuration",
    "",
    "<!-- Generated from lib/env.ts by `npx tsx scripts/env-docs.ts`; edit the schema, not this file. -->",
    "",
    "Every environment variable ModelBridge reads, parsed once at start in `lib/env.ts`; a bad",
    "value stops the process with a message naming the variable. Nothing is required for the",
    "embedded database; `.env.example` lists the same variables with their defaults.",
    "",
    "| variable | default | what it does |",
    "|---|---|---|",
    ...rows,
    "",
  ].join("\n");
}

export function envExample(): string {
  const lines = [
    "# Generated from lib/env.ts by `npx tsx scripts/env-docs.ts`; every variable is optional",
    "# for the embedded database. See docs/configuration.md.",
  ];
  for (const v of variables()) {
    lines.push("", `# ${v.description.replaceAll("`", "")}`);
    lines.push(v.default === null ? `# ${v.name}=` : `# ${v.name}=${v.default}`);
  }
  return `${lines.join("\n")}\n`;
}
