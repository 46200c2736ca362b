import next from "eslint-config-next";
import drizzle from "eslint-plugin-drizzle";
import tseslint from "typescript-eslint";

const config = [
  ...next,
  {
    ignores: [
      ".next/**",
      "dist/**",
      "drizzle/**",
      ".data/**",
      ".test-data/**",
      "test-results/**",
      "playwright-report/**",
      "bench/results/**",
    ],
  },
  {
    // An update or delete without a where clause touches every row: drizzle's own rules refuse it.
    plugins: { drizzle },
    rules: {
      "drizzle/enforce-delete-with-where": [
        "error",
        { drizzleObjectName: ["db", "tx", "database"] },
      ],
      "drizzle/enforce-update-with-where": [
        "error",
        { drizzleObjectName: ["db", "tx", "database"] },
      ],
    },
  },
  {
    // Type-aware rules where they pay: a promise nobody awaits loses its error (an unhandled
    // rejection ends the process) and its ordering; a promise where a boolean or a void
    // callback is expected is always truthy or never awaited.
    files: ["**/*.ts", "**/*.tsx"],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { "@typescript-eslint": tseslint.plugin },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": [
        "error",
        { checksVoidReturn: { attributes: false } },
      ],
    },
  },
];

export default config;
