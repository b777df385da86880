// A throwaway PostgreSQL cluster that only accepts TLS over TCP (hostssl), with a
// certificate for `localhost` signed by a throwaway CA, both made with openssl.
import { execFileSync } from "node:child_process";
import { chmodSync, chownSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findPostgresBin, freePort, makeCertificates } from "../../src/testing/local-servers.ts";

export interface TlsPostgres {
  readonly port: number;
  /** The CA that signed the server's certificate (for `localhost` only). */
  readonly caFile: string;
  /** Another self-signed CA, which did not sign it. */
  readonly otherCaFile: string;
  destroy(): void;
}

/** PostgreSQL refuses to run as root: run its tools as the postgres user then. */
function asPostgres(command: string, args: string[]): void {
  const asRoot = process.getuid?.() === 0;
  const [file, argv] = asRoot ? ["runuser", ["-u", "postgres", "--", command, ...args]] : [command, args];
  execFileSync(file, argv, { stdio: "pipe" });
}

export async function startTlsPostgres(): Promise<TlsPostgres> {
  const bin = findPostgresBin();
  if (!bin) throw new Error("PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin");
  const dir = mkdtempSync(join(tmpdir(), "cartwheel-pg-tls-"));
  const certs = makeCertificates(dir, "DNS:localhost");
  const other = mkdtempSync(join(dir, "other-"));
  const otherCa = makeCertificates(other, "DNS:localhost").ca;
  chmodSync(certs.key, 0o600);
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync("id", ["-u", "postgres"]).toString());
    const gid = Number(execFileSync("id", ["-g", "postgres"]).toString());
    chownSync(dir, uid, gid);
    chownSync(certs.key, uid, gid);
    chownSync(certs.cert, uid, gid);
  }
  const data = join(dir, "data");
  asPostgres(join(bin, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"]);
  // TCP only with TLS; the Unix socket (used by pg_ctl) stays plain.
  writeFileSync(
    join(data, "pg_hba.conf"),
    "local all all trust\nhostssl all all 127.0.0.1/32 trust\nhostssl all all ::1/128 trust\n",
  );
  const port = await freePort();
  const options = [
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`,
    `-c ssl=on -c ssl_cert_file=${certs.cert} -c ssl_key_file=${certs.key}`,
  ].join(" ");
  asPostgres(join(bin, "pg_ctl"), ["-D", data, "-o", options, "-l", join(dir, "log"), "-w", "start"]);
  return {
    port,
    caFile: certs.ca,
    otherCaFile: otherCa,
    destroy() {
      try {
        asPostgres(join(bin, "pg_ctl"), ["-D", data, "-m", "immediate", "-w", "stop"]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
