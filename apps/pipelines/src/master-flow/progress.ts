// The local run's progress display: one line per stage with the time since the start, and notes.
export interface Progress {
  stage(name: string): void;
  note(text: string): void;
}

/**
 * Where the progress lines go: stdout for a person, stderr when stdout carries the result as JSON
 * (`master-flow --json`), so a program reading stdout gets the JSON alone.
 */
export function progressWriter(json: boolean): (line: string) => void {
  return json ? (line) => console.error(line) : (line) => console.log(line);
}

export function consoleProgress(
  stages: readonly string[],
  write = progressWriter(false),
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
