import { describe, expect, it } from 'vitest';
import { FARGATE_MEMORY_BY_CPU, fargateSizeProblem } from './fargate';

describe('Fargate sizes', () => {
  it('matches the documented ranges at their ends', () => {
    expect(FARGATE_MEMORY_BY_CPU.get(256)).toEqual([512, 1024, 2048]);
    expect(FARGATE_MEMORY_BY_CPU.get(1024)).toEqual([2048, 3072, 4096, 5120, 6144, 7168, 8192]);
    expect(FARGATE_MEMORY_BY_CPU.get(4096)?.at(-1)).toBe(30720);
    expect(FARGATE_MEMORY_BY_CPU.get(8192)?.slice(0, 2)).toEqual([16384, 20480]);
    expect(FARGATE_MEMORY_BY_CPU.get(16384)?.at(-1)).toBe(122880);
  });

  it('accepts every listed pair and names the fix for others', () => {
    for (const [cpu, memories] of FARGATE_MEMORY_BY_CPU) {
      for (const memory of memories) expect(fargateSizeProblem(cpu, memory)).toBeUndefined();
    }
    expect(fargateSizeProblem(2048, 2048)).toEqual({
      field: 'memory',
      message: expect.stringContaining('allowed memory for cpu 2048: 4096, 5120'),
    });
    expect(fargateSizeProblem(128, 512)?.field).toBe('cpu');
  });
});
