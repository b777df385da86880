import { readFileSync } from "node:fs";
import { checkServerIdentity, type ConnectionOptions, type PeerCertificate } from "node:tls";

/**
 * TLS to PostgreSQL with libpq's `sslmode` semantics. node-postgres parses `sslmode` itself
 * (pg-connection-string) but treats require, prefer and verify-ca as verify-full, so the
 * TLS parameters are taken out of the URL here and turned into explicit socket options:
 *
 * - disable (and no sslmode at all, as node-postgres has always done): no TLS;
 * - require: encrypted, the certificate is not checked (as in libpq; with a root
 *   certificate given it behaves like verify-ca, also as in libpq);
 * - verify-ca: the chain must lead to the root certificate; the host name is not checked;
 * - verify-full: the chain and the host name (or IP address) must match.
 *
 * The root certificate comes from `sslrootcert=<file>` in the URL, else PGSSLROOTCERT.
 * verify-full without one (or with `sslrootcert=system`) trusts the system's CAs; verify-ca
 * needs a file, as in libpq, since any holder of a public CA's certificate would pass it.
 * prefer and allow fall back to plain text when TLS fails, which a connection pool cannot
 * do without silently downgrading, so they are refused rather than guessed at.
 */
type SslMode = "disable" | "require" | "verify-ca" | "verify-full";

const SSL_MODES = new Set<string>(["disable", "require", "verify-ca", "verify-full"]);
/** URL parameters this module consumes; none of them may reach pg-connection-string. */
const TLS_PARAMS = ["sslmode", "sslrootcert", "ssl", "uselibpqcompat"];
const UNSUPPORTED_PARAMS = ["sslcert", "sslkey", "sslpassword", "sslcrl"];

export interface PostgresTls {
  /** The URL without its TLS parameters, for pg's `connectionString`. */
  connectionString: string;
  sslmode: SslMode;
  /** pg's `ssl` option: false for no TLS. */
  ssl: false | ConnectionOptions;
}

class PostgresTlsConfigError extends Error {}

export function postgresTls(url: string, env: NodeJS.ProcessEnv = process.env): PostgresTls {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // pg reports unparseable URLs itself; there is no TLS parameter to honour.
    return { connectionString: url, sslmode: "disable", ssl: false };
  }
  const params = parsed.searchParams;
  for (const name of UNSUPPORTED_PARAMS) {
    if (params.has(name)) throw new PostgresTlsConfigError(`${name} is not supported in DATABASE_URL`);
  }
  const sslmode = sslModeOf(params.get("sslmode") ?? env.PGSSLMODE, params.get("ssl"));
  const rootCertPath = params.get("sslrootcert") ?? env.PGSSLROOTCERT;
  for (const name of TLS_PARAMS) params.delete(name);
  const connectionString = parsed.toString();

  if (sslmode === "disable") return { connectionString, sslmode, ssl: false };
  const ca = rootCertPath && rootCertPath !== "system" ? readRootCert(rootCertPath) : undefined;
  const effective = sslmode === "require" && ca ? "verify-ca" : sslmode;
  if (effective === "require") return { connectionString, sslmode, ssl: { rejectUnauthorized: false } };
  const verifyChain: ConnectionOptions = { rejectUnauthorized: true, ...(ca ? { ca } : {}) };
  if (effective === "verify-ca") {
    if (!ca) throw new PostgresTlsConfigError("sslmode=verify-ca needs sslrootcert=<file> or PGSSLROOTCERT");
    // Chain only: any host name is accepted, as libpq's verify-ca does.
    return { connectionString, sslmode, ssl: { ...verifyChain, checkServerIdentity: () => undefined } };
  }
  // verify-full: Node's identity check against the host connected to (DNS name or IP).
  return { connectionString, sslmode, ssl: { ...verifyChain, checkServerIdentity: identityCheck } };
}

/**
 * tls.checkServerIdentity, with a message naming what the certificate does carry: Node's
 * own ends in an empty list when the certificate has DNS names but the host is an IP.
 */
function identityCheck(host: string, cert: PeerCertificate): Error | undefined {
  const mismatch = checkServerIdentity(host, cert);
  if (!mismatch) return undefined;
  const names = cert.subjectaltname || `CN=${[cert.subject?.CN ?? "?"].flat().join(",")}`;
  return Object.assign(
    new Error(`server certificate does not match host ${host} (sslmode=verify-full); it is for ${names}`),
    { code: (mismatch as { code?: string }).code, cause: mismatch },
  );
}

function sslModeOf(sslmode: string | undefined, ssl: string | null): SslMode {
  if (sslmode !== undefined && sslmode !== "") {
    if (SSL_MODES.has(sslmode)) return sslmode as SslMode;
    if (sslmode === "prefer" || sslmode === "allow") {
      throw new PostgresTlsConfigError(
        `sslmode=${sslmode} is not supported (it may fall back to plain text): use disable, require, verify-ca or verify-full`,
      );
    }
    throw new PostgresTlsConfigError(`sslmode=${sslmode} is not one of disable, require, verify-ca, verify-full`);
  }
  // node-postgres's own `ssl=true` verifies the certificate and the host name.
  if (ssl === "true" || ssl === "1") return "verify-full";
  return "disable";
}

function readRootCert(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as { code?: string }).code ?? "unreadable";
    throw new PostgresTlsConfigError(`sslrootcert ${path} cannot be read (${code})`, { cause: error });
  }
}
