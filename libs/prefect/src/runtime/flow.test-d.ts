import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { flow } from './flow';
import { task } from './task';

describe('flow and task types', () => {
  it('keeps the parameter and return types of the wrapped functions', () => {
    const add = task('add', (a: number, b: number) => a + b);
    expectTypeOf(add).parameters.toEqualTypeOf<[number, number]>();
    expectTypeOf(add).returns.toEqualTypeOf<Promise<number>>();

    const noParams = flow('no-params', async () => 'done');
    expectTypeOf(noParams).toBeCallableWith();
    expectTypeOf(noParams).returns.toEqualTypeOf<Promise<string>>();

    const withParams = flow('with-params', async ({ ticker }: { ticker: string }) => ticker.length);
    expectTypeOf(withParams).toBeCallableWith({ ticker: 'AAPL' });
    // @ts-expect-error -- required parameters cannot be left out
    withParams();
  });

  it('takes its parameter type from a zod schema', () => {
    const schema = z.object({ days: z.number() });
    const typed = flow({ name: 'typed', parameters: schema }, async ({ days }) => days * 2);
    expectTypeOf(typed).parameters.toEqualTypeOf<[params: { days: number }]>();
  });
});
