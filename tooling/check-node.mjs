// Fails in one clear line when the running Node is older than package.json's `engines`,
// before a build or the server trips over a missing API with a stranger message.
import { readFileSync } from "node:fs";

const { engines } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
const wanted = /^>=(\d+)\.(\d+)/.exec(engines.node);
const [major, minor] = process.versions.node.split(".").map(Number);
if (wanted && (major < Number(wanted[1]) || (major === Number(wanted[1]) && minor < Number(wanted[2])))) {
  process.stderr.write(
    `Cartwheel needs Node ${engines.node} (24 LTS recommended); this is Node ${process.versions.node}. See .nvmrc.\n`,
  );
  process.exit(1);
}
