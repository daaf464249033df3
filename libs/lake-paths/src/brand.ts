import type { Zone } from './zone';

declare const brand: unique symbol;
declare const zone: unique symbol;

/**
 * A `T` that passed the check named by `B`. Only this lib's builders and parsers cast to one, so
 * holding a branded value proves it was validated; a plain `T` is not assignable to it.
 */
export type Brand<T, B extends string> = T & { readonly [brand]: B };

/**
 * Tags a bucket or key with the zone it belongs to, so a silver key cannot be paired with a
 * bronze bucket by accident (see `lakeLocation`).
 */
export interface InZone<Z extends Zone> {
  readonly [zone]: Z;
}
