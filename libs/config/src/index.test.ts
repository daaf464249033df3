import { expect, it } from 'vitest';
import { x } from './index';
it('x', () => expect(x).toBe(1));
