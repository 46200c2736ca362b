import { describe, expect, it } from "vitest";
import { guardedLookup } from "./guarded-connector";
import { isForbiddenAddress } from "./forbidden-address";

describe("addresses outbound requests may not reach", () => {
  it.each([
    "169.254.169.254",
    "169.254.0.1",
    "100.100.100.200",
    "fe80::1",
    "fd00:ec2::254",
    "fec0::1",
    "::ffff:169.254.169.254",
    "::a9fe:a9fe", // ::169.254.169.254 as WHATWG URL writes it
    "64:ff9b::a9fe:a9fe",
    "64:ff9b::169.254.169.254",
    "::ffff:0:a9fe:a9fe",
    "2002:a9fe:a9fe::1",
    "2001:0:4136:e378:8000:63bf:5601:5601", // Teredo, client 169.254.169.254 (inverted bits)
  ])("refuses %s", (address) => {
    expect(isForbiddenAddress(address)).toBe(true);
  });

  it.each([
    "127.0.0.1",
    "::1",
    "::",
    "0.0.0.0",
    "10.0.0.5",
    "192.168.1.2",
    "172.16.0.1",
    "fd12::1",
    "::ffff:10.0.0.5",
    "64:ff9b::a00:5",
    "8.8.8.8",
    "2606:4700::1111",
  ])("allows %s", (address) => {
    expect(isForbiddenAddress(address)).toBe(false);
  });
});

describe("the connect-time lookup", () => {
  const dns = (answers: Record<string, { address: string; family: number }[]>) =>
    ((
      hostname: string,
      _options: unknown,
      callback: (error: null, addresses: { address: string; family: number }[]) => void,
    ) => callback(null, answers[hostname] ?? [])) as never;

  const lookup = (name: string, all: boolean) =>
    new Promise<{ error: (Error & { code?: string }) | null; result: unknown }>((resolve) =>
      guardedLookup(
        dns({
          metadata: [{ address: "169.254.169.254", family: 4 }],
          "mixed.test": [
            { address: "10.0.0.1", family: 4 },
            { address: "64:ff9b::a9fe:a9fe", family: 6 },
          ],
          "fine.test": [
            { address: "10.0.0.1", family: 4 },
            { address: "fd12::1", family: 6 },
          ],
        }),
      )(name, { all }, (error, result) => resolve({ error, result })),
    );

  it("refuses a name when any address it resolves to is forbidden", async () => {
    for (const all of [true, false]) {
      expect((await lookup("metadata", all)).error?.code).toBe("MB_FORBIDDEN_UPSTREAM_ADDRESS");
      expect((await lookup("mixed.test", all)).error?.code).toBe("MB_FORBIDDEN_UPSTREAM_ADDRESS");
    }
  });

  it("answers as dns.lookup would for an allowed name", async () => {
    expect((await lookup("fine.test", false)).result).toBe("10.0.0.1");
    expect((await lookup("fine.test", true)).result).toEqual([
      { address: "10.0.0.1", family: 4 },
      { address: "fd12::1", family: 6 },
    ]);
  });
});
