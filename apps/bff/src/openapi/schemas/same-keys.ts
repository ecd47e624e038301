/**
 * `true` only when a documented class and the type the server really sends have the same members:
 * a field added to one and not the other fails the build (`const _x: SameKeys<A, B> = true`).
 */
export type SameKeys<Documented, Sent> = [Exclude<keyof Documented, keyof Sent>, Exclude<keyof Sent, keyof Documented>] extends [
  never,
  never,
]
  ? true
  : false;
