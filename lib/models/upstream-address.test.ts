import { describe, expect, it } from "vitest";
import { forbiddenUpstreamReason } from "./upstream-address";

describe("model base URLs", () => {
  it.each([
    "http://169.254.169.254/latest",
    "http://169.254.0.1:8000/v1",
    "http://0xA9FEA9FE/", // 169.254.169.254 spelt in hex
    "http://2852039166/", // … and as one number
    "http://[fe80::1]/v1",
    "http://[febf::1]/v1",
    "http://[fd00:ec2::254]/",
    "http://[::ffff:169.254.169.254]/", // IPv4-mapped
    "http://100.100.100.200/latest/meta-data",
    "http://metadata.google.internal/computeMetadata/v1",
    "http://METADATA.google.internal./",
    "http://metadata.goog/",
    "http://metadata/computeMetadata/v1", // GCE's short name
    "http://[64:ff9b::a9fe:a9fe]/", // NAT64 of 169.254.169.254
    "http://[::169.254.169.254]/", // IPv4-compatible
    "http://[::ffff:0:a9fe:a9fe]/", // SIIT
    "http://[2002:a9fe:a9fe::1]/", // 6to4
    "http://[fec0::1]/", // deprecated site-local
  ])("refuses %s", (url) => {
    expect(forbiddenUpstreamReason(url)).toMatch(/must not point at/);
  });

  it.each([
    "http://127.0.0.1:8000/v1", // loopback: a model server on the same box
    "http://localhost:11434/v1",
    "http://10.0.0.5/v1", // private ranges: self-hosted model servers
    "http://192.168.1.20:8000/v1",
    "http://172.16.0.2/v1",
    "http://[::1]:8000/v1",
    "http://[fd12::1]/v1", // unique-local, not the metadata address
    "https://api.openai.com/v1",
    "http://169.255.0.1/",
    "http://[64:ff9b::a00:5]/", // NAT64 of 10.0.0.5
    "http://[::ffff:127.0.0.1]:8000/v1",
  ])("allows %s", (url) => {
    expect(forbiddenUpstreamReason(url)).toBeNull();
  });
});
