/**
 * `defined({ a, b })`: the same object without its `undefined` members, so that optional
 * arguments pass through only when given (`...defined({ zone: args.zone })`).
 */
export type Defined<T> = { [K in keyof T]?: Exclude<T[K], undefined> };

export function defined<T extends object>(values: T): Defined<T> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Defined<T>;
}
