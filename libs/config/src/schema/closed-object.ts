import { z } from 'zod';
import { closestMatch } from '../rules/did-you-mean';

/**
 * A strict object whose unknown-key message names the likely intended key and the allowed ones:
 * a typo such as `dbtRuner` must fail loudly, not silently fall back to a default.
 */
export function closedObject<Shape extends z.ZodRawShape>(shape: Shape) {
  const allowed = Object.keys(shape);
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code !== 'unrecognized_keys') return undefined;
      const described = issue.keys.map((key) => {
        const match = closestMatch(key, allowed);
        return match === undefined ? `"${key}"` : `"${key}" (did you mean "${match}"?)`;
      });
      const noun = issue.keys.length === 1 ? 'unknown key' : 'unknown keys';
      return `${noun} ${described.join(', ')}; allowed keys here: ${allowed.join(', ')}`;
    },
  });
}
