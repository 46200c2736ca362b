export * from "./users";
export * from "./teams";
export * from "./api-keys";
export * from "./models";
export * from "./usage";
export * from "./billing";
export * from "./audit";
export * from "./budget-leases";
