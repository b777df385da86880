// A throwaway TLS-only redis-server (--port 0) with a certificate for `localhost` signed
// by a throwaway CA, plus a second CA that did not sign it; all made with openssl.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, makeCertificates } from "@cartwheel/db/testing";

export interface TlsRedis {
  readonly port: number;
  readonly password: string;
  readonly caFile: string;
  readonly otherCaFile: string;
  destroy(): Promise<void>;
}

export async function startTlsRedis(password = "tls-redis-secret-91c2"): Promise<TlsRedis> {
  const dir = mkdtempSync(join(tmpdir(), "cartwheel-redis-tls-"));
  const certs = makeCertificates(dir, "DNS:localhost");
  const otherDir = join(dir, "other");
  mkdirSync(otherDir);
  const otherCaFile = makeCertificates(otherDir, "DNS:localhost").ca;
  const port = await freePort();
  const child: ChildProcess = spawn(
    "redis-server",
    // redis-server has no flag to read the password from a file; the process is ours alone.
    ["--port", "0", "--tls-port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"].concat(
      ["--tls-cert-file", certs.cert, "--tls-key-file", certs.key, "--tls-ca-cert-file", certs.ca],
      ["--tls-auth-clients", "no", "--requirepass", password],
    ),
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  await new Promise<void>((resolve, reject) => {
    let output = "";
    child.once("error", (error) => reject(new Error(`redis-server could not start: ${error.message}`)));
    child.once("exit", (code) => reject(new Error(`redis-server exited (${code}): ${output}`)));
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("Ready to accept connections")) resolve();
    });
  });
  return {
    port,
    password,
    caFile: certs.ca,
    otherCaFile,
    async destroy() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGKILL");
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
