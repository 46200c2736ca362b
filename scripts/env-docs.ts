/** Writes docs/configuration.md and .env.example from lib/env.ts (see lib/env-docs.ts). */
import { writeFileSync } from "node:fs";
import { configurationMarkdown, envExample } from "../lib/env-docs";

writeFileSync("docs/configuration.md", configurationMarkdown());
writeFileSync(".env.example", envExample());
console.log("wrote docs/configuration.md and .env.example");
