import type { GatewayDeps } from "../deps";

export type DepsForFinish = Pick<
  GatewayDeps,
  | "clock"
  | "log"
  | "budget"
  | "keys"
  | "usage"
  | "rateLimits"
  | "refusals"
  | "balance"
  | "deploymentLimits"
>;
