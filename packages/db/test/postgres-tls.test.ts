// sslmode with libpq's meaning, against a real PostgreSQL that accepts TCP only over TLS
// (hostssl) with a certificate for `localhost` signed by a throwaway CA. Under CI=true a
// missing PostgreSQL or openssl fails this file; elsewhere it is skipped without them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase } from "../src/create-database.ts";
import { postgresTls } from "../src/postgres-tls.ts";
import { findPostgresBin } from "../src/testing/local-servers.ts";
import { startTlsPostgres, type TlsPostgres } from "./support/tls-postgres.ts";

const canRun = process.env.CI === "true" || findPostgresBin() !== undefined;

const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error("expected a rejection");
    },
    (error: unknown) => error as Error,
  );

describe("postgresTls maps sslmode to socket options (no server)", () => {
  const url = "postgres://app:secret@db.example/shop";

  it("uses no TLS without sslmode or with disable, as node-postgres always did", () => {
    expect(postgresTls(url, {})).toEqual({ connectionString: url, sslmode: "disable", ssl: false });
    expect(postgresTls(`${url}?sslmode=disable`, {}).ssl).toBe(false);
  });

  it("takes every TLS parameter out of the URL handed to pg", () => {
    const tls = postgresTls(`${url}?sslmode=require&application_name=api&uselibpqcompat=true`, {});
    expect(tls.connectionString).toBe(`${url}?application_name=api`);
    expect(tls.ssl).toEqual({ rejectUnauthorized: false });
  });

  it("verify-full without a root certificate trusts the system CAs and checks the host", () => {
    const { ssl } = postgresTls(`${url}?sslmode=verify-full`, {});
    expect(ssl).toMatchObject({ rejectUnauthorized: true, checkServerIdentity: expect.any(Function) });
    expect(ssl && "ca" in ssl).toBe(false);
  });

  it("reads sslmode from PGSSLMODE when the URL has none, and refuses modes that fall back to plain text", () => {
    expect(postgresTls(url, { PGSSLMODE: "verify-full" }).sslmode).toBe("verify-full");
    expect(() => postgresTls(`${url}?sslmode=prefer`, {})).toThrow(
      "sslmode=prefer is not supported (it may fall back to plain text): use disable, require, verify-ca or verify-full",
    );
    expect(() => postgresTls(`${url}?sslmode=allow`, {})).toThrow(/sslmode=allow is not supported/);
    expect(() => postgresTls(`${url}?sslmode=verify_full`, {})).toThrow(
      "sslmode=verify_full is not one of disable, require, verify-ca, verify-full",
    );
  });

  it("needs a root certificate for verify-ca and names a missing file", () => {
    expect(() => postgresTls(`${url}?sslmode=verify-ca`, {})).toThrow(
      "sslmode=verify-ca needs sslrootcert=<file> or PGSSLROOTCERT",
    );
    expect(() => postgresTls(`${url}?sslmode=verify-full&sslrootcert=/nonexistent/root.crt`, {})).toThrow(
      "sslrootcert /nonexistent/root.crt cannot be read (ENOENT)",
    );
  });

  it("refuses client-certificate parameters instead of ignoring them", () => {
    expect(() => postgresTls(`${url}?sslmode=verify-full&sslcert=/x.crt`, {})).toThrow(
      "sslcert is not supported in DATABASE_URL",
    );
  });
});

/** Opens (migrate: false is lazy, so run one query), reports whether TLS is on, closes. */
async function sessionUsesTls(databaseUrl: string): Promise<boolean> {
  const database = await createDatabase(databaseUrl);
  try {
    const result = await (
      database.db as unknown as { execute(sql: string): Promise<{ rows: { ssl: boolean }[] }> }
    ).execute("select ssl from pg_stat_ssl where pid = pg_backend_pid()");
    return result.rows[0]!.ssl;
  } finally {
    await database.close();
  }
}

/** The error a first query meets, through createDatabase as the server and CLI open it. */
async function openError(databaseUrl: string): Promise<Error> {
  return rejection(createDatabase(databaseUrl, { migrate: true }));
}

describe.skipIf(!canRun)("TLS to a PostgreSQL server that requires it", () => {
  let server: TlsPostgres;
  beforeAll(async () => {
    server = await startTlsPostgres();
  }, 60_000);
  afterAll(() => server?.destroy());

  const url = (host: string, params: string) =>
    `postgres://postgres:pw-never-logged@${host}:${server.port}/postgres?${params}`;

  it("verify-full with the CA connects over TLS to the name on the certificate", async () => {
    expect(await sessionUsesTls(url("localhost", `sslmode=verify-full&sslrootcert=${server.caFile}`))).toBe(true);
  });

  it("verify-full takes the CA from PGSSLROOTCERT when the URL names none", async () => {
    process.env.PGSSLROOTCERT = server.caFile;
    try {
      expect(await sessionUsesTls(url("localhost", "sslmode=verify-full"))).toBe(true);
    } finally {
      delete process.env.PGSSLROOTCERT;
    }
  });

  it("verify-full fails closed with a CA that did not sign the certificate", async () => {
    const error = await openError(url("localhost", `sslmode=verify-full&sslrootcert=${server.otherCaFile}`));
    expect(error.message).toMatch(
      /^Cannot open database postgres:\/\/postgres:\*\*\*@localhost:\d+\/postgres\?sslmode=verify-full&sslrootcert=\S+: unable to verify the first certificate\b/,
    );
    expect(error.message).not.toContain("pw-never-logged");
  });

  it("verify-full fails closed on a host name the certificate does not carry", async () => {
    const error = await openError(url("127.0.0.1", `sslmode=verify-full&sslrootcert=${server.caFile}`));
    expect(error.message).toMatch(
      /: server certificate does not match host 127\.0\.0\.1 \(sslmode=verify-full\); it is for DNS:localhost$/,
    );
  });

  it("verify-ca checks the chain but not the host name", async () => {
    expect(await sessionUsesTls(url("127.0.0.1", `sslmode=verify-ca&sslrootcert=${server.caFile}`))).toBe(true);
    const error = await openError(url("127.0.0.1", `sslmode=verify-ca&sslrootcert=${server.otherCaFile}`));
    expect(error.message).toMatch(/: unable to verify the first certificate\b/);
  });

  it("require encrypts without checking the certificate, and checks the chain once given a CA (libpq)", async () => {
    expect(await sessionUsesTls(url("127.0.0.1", "sslmode=require"))).toBe(true);
    const error = await openError(url("127.0.0.1", `sslmode=require&sslrootcert=${server.otherCaFile}`));
    expect(error.message).toMatch(/: unable to verify the first certificate\b/);
  });

  it("a plain connection (sslmode=disable) is refused by the server", async () => {
    const error = await openError(url("127.0.0.1", "sslmode=disable"));
    expect(error.message).toMatch(
      /: no pg_hba\.conf entry for host "127\.0\.0\.1", user "postgres", database "postgres", no encryption$/,
    );
  });
});
