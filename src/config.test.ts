import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./config.js";

describe("configuration of the blob store and the mail time zone", () => {
  const PG = "postgres://tierline@db.example/tierline";

  it("keeps blobs as files under the data folder for the embedded store, in PostgreSQL's tables with DATABASE_URL", () => {
    expect(loadConfig({ TIERLINE_DATA_DIR: "/srv/tierline" }).blobStore).toEqual({ kind: "fs", dir: "/srv/tierline/blobs" });
    expect(loadConfig({ DATABASE_URL: PG }).blobStore).toEqual({ kind: "postgres" });
    expect(loadConfig({ DATABASE_URL: PG, TIERLINE_BLOB_STORE: "fs", TIERLINE_BLOB_DIR: "shared/blobs" }).blobStore).toEqual({ kind: "fs", dir: resolve("shared/blobs") });
  });

  it("refuses a postgres blob store without PostgreSQL, and an unknown kind, naming the variable", () => {
    expect(() => loadConfig({ TIERLINE_BLOB_STORE: "postgres" })).toThrow(ConfigError);
    expect(() => loadConfig({ TIERLINE_BLOB_STORE: "postgres" })).toThrow(/TIERLINE_BLOB_STORE: postgres needs DATABASE_URL/);
    expect(() => loadConfig({ TIERLINE_BLOB_STORE: "s3" })).toThrow(/TIERLINE_BLOB_STORE/);
  });

  it("shows mail times in UTC unless TIERLINE_TIME_ZONE names an IANA zone", () => {
    expect(loadConfig({}).timeZone).toBe("UTC");
    expect(loadConfig({ TIERLINE_TIME_ZONE: "Europe/Berlin" }).timeZone).toBe("Europe/Berlin");
    expect(() => loadConfig({ TIERLINE_TIME_ZONE: "Mars/Olympus" })).toThrow(/TIERLINE_TIME_ZONE: must be an IANA time zone/);
    expect(() => loadConfig({ TIERLINE_TIME_ZONE: "CET+1" })).toThrow(ConfigError);
  });
});
