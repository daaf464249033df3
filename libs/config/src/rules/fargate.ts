function range(from: number, to: number, step: number): number[] {
  const values: number[] = [];
  for (let value = from; value <= to; value += step) values.push(value);
  return values;
}

/**
 * The task sizes Fargate accepts: CPU units → memory in MiB. From the ECS developer guide,
 * "Task CPU and memory"; 8 and 16 vCPU need Linux platform version 1.4.0, the default today.
 */
export const FARGATE_MEMORY_BY_CPU: ReadonlyMap<number, readonly number[]> = new Map([
  [256, [512, 1024, 2048]],
  [512, range(1024, 4096, 1024)],
  [1024, range(2048, 8192, 1024)],
  [2048, range(4096, 16384, 1024)],
  [4096, range(8192, 30720, 1024)],
  [8192, range(16384, 61440, 4096)],
  [16384, range(32768, 122880, 8192)],
]);

export const FARGATE_CPU_UNITS: readonly number[] = [...FARGATE_MEMORY_BY_CPU.keys()];

export interface FargateSizeProblem {
  readonly field: 'cpu' | 'memory';
  readonly message: string;
}

/** What is wrong with a cpu/memory pair, naming the values that would be accepted. */
export function fargateSizeProblem(cpu: number, memory: number): FargateSizeProblem | undefined {
  const memories = FARGATE_MEMORY_BY_CPU.get(cpu);
  if (memories === undefined) {
    return {
      field: 'cpu',
      message: `cpu ${cpu} is not a Fargate size; use one of ${FARGATE_CPU_UNITS.join(', ')} (CPU units, 1024 = 1 vCPU)`,
    };
  }
  if (!memories.includes(memory)) {
    return {
      field: 'memory',
      message: `memory ${memory} MiB is not a valid Fargate pairing for cpu ${cpu}; allowed memory for cpu ${cpu}: ${memories.join(', ')}`,
    };
  }
  return undefined;
}
