// The progress indicator: a bar redrawn in place on a terminal, a line per quarter otherwise
// (CI logs), always on stderr so that --json output stays clean.
export interface ProgressBar {
  update(fraction: number, label: string): void;
  done(): void;
}

export function progressBar(stream: NodeJS.WriteStream, enabled: boolean): ProgressBar {
  let lastQuarter = -1;
  let drawn = false;
  return {
    update(fraction, label) {
      if (!enabled) return;
      const f = Math.max(0, Math.min(1, fraction));
      if (stream.isTTY) {
        const width = 30;
        const full = Math.round(f * width);
        stream.write(`\r[${"#".repeat(full)}${".".repeat(width - full)}] ${String(Math.round(f * 100)).padStart(3)}%  ${label}\x1b[K`);
        drawn = true;
      } else if (Math.floor(f * 4) > lastQuarter) {
        lastQuarter = Math.floor(f * 4);
        stream.write(`${String(Math.round(f * 100)).padStart(3)}%  ${label}\n`);
      }
    },
    done() {
      if (drawn) stream.write("\r\x1b[K");
      else if (enabled && lastQuarter < 4) stream.write("100%  done\n");
    },
  };
}
