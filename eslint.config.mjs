import next from "eslint-config-next";

const config = [
  ...next,
  { ignores: [".next/**", "drizzle/**", ".data/**", ".test-data/**", "test-results/**", "playwright-report/**", "bench/results/**"] },
];

export default config;
