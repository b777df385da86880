export interface Progress {
  advance(count: number): void;
  done(): void;
}

/** A progress bar on stderr when it is a terminal; silent otherwise (logs, pipes, tests). */
export function createProgress(total: number, label: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY || total === 0) return { advance() {}, done() {} };
  let current = 0;
  const width = 30;
  const draw = () => {
    const filled = Math.round((current / total) * width);
    stream.write(`\r${label} [${"#".repeat(filled)}${" ".repeat(width - filled)}] ${current}/${total}`);
  };
  draw();
  return {
    advance(count) {
      current = Math.min(total, current + count);
      draw();
    },
    done() {
      stream.write("\n");
    },
  };
}
