// The local run's progress display: one line per stage with the time since the start, and notes.
export interface Progress {
  stage(name: string): void;
  note(text: string): void;
}

export function consoleProgress(
  stages: readonly string[],
  write = (line: string) => console.log(line),
): Progress {
  const started = Date.now();
  const seconds = () => ((Date.now() - started) / 1000).toFixed(1).padStart(6);
  return {
    stage(name) {
      const index = stages.indexOf(name) + 1;
      write(`\n[${seconds()} s] stage ${index}/${stages.length}: ${name}`);
    },
    note(text) {
      write(`[${seconds()} s]   ${text}`);
    },
  };
}

/** For runs without a console display (a deployment run by a worker): notes go nowhere. */
export const silentProgress: Progress = { stage: () => undefined, note: () => undefined };
