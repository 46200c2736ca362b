import next from "eslint-config-next";

export default [
  ...next,
  { ignores: [".next/**", "drizzle/**", ".data/**", ".test-data/**", "test-results/**", "playwright-report/**"] },
];
