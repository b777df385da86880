// REDIS_URL, REDIS_CLUSTER_NODES and REDIS_TLS_CA_FILE: one way to reach Redis, checked at start.
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.ts";

describe("Redis topology configuration", () => {
  it("reads cluster seed nodes as a list of URLs", () => {
    const config = loadConfig({ REDIS_CLUSTER_NODES: " redis://10.0.0.1:6379, redis://10.0.0.2:6379 ,," });
    expect(config.REDIS_CLUSTER_NODES).toEqual(["redis://10.0.0.1:6379", "redis://10.0.0.2:6379"]);
    expect(config.REDIS_URL).toBeUndefined();
    expect(loadConfig({}).REDIS_CLUSTER_NODES).toEqual([]);
  });

  it("refuses entries that are not redis:// or rediss:// URLs", () => {
    expect(() => loadConfig({ REDIS_CLUSTER_NODES: "10.0.0.1:6379" })).toThrow(
      "Invalid environment variable REDIS_CLUSTER_NODES.0: each entry must be a redis:// or rediss:// URL",
    );
  });

  it("refuses both REDIS_URL and REDIS_CLUSTER_NODES, and mixed TLS among the nodes", () => {
    expect(() => loadConfig({ REDIS_URL: "redis://10.0.0.9", REDIS_CLUSTER_NODES: "redis://10.0.0.1:6379" })).toThrow(
      "Invalid environment variable REDIS_CLUSTER_NODES: set either REDIS_URL or REDIS_CLUSTER_NODES, not both",
    );
    expect(() => loadConfig({ REDIS_CLUSTER_NODES: "rediss://a.example:6379,redis://b.example:6379" })).toThrow(
      "Invalid environment variable REDIS_CLUSTER_NODES: all entries must be redis:// or all rediss://",
    );
  });

  it("takes REDIS_TLS_CA_FILE only with TLS", () => {
    expect(
      loadConfig({ REDIS_CLUSTER_NODES: "rediss://a.example:6379", REDIS_TLS_CA_FILE: "/etc/ca.pem" }),
    ).toMatchObject({
      REDIS_TLS_CA_FILE: "/etc/ca.pem",
    });
    expect(() =>
      loadConfig({ REDIS_CLUSTER_NODES: "redis://a.example:6379", REDIS_TLS_CA_FILE: "/etc/ca.pem" }),
    ).toThrow("Invalid environment variable REDIS_TLS_CA_FILE: only applies to rediss:// URLs");
  });
});
