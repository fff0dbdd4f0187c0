/**
 * Contract definitions for the RPC layer.
 *
 * A contract is a record of features; each feature has methods (one object argument, one result,
 * optional progress events while the call runs) and events (named `onXxx`, subscribed with an object
 * of parameters, delivering payloads). Every type on the wire is a zod schema; TypeScript types are
 * inferred from the schemas, never written twice.
 */
import { z } from 'zod';

export interface MethodDef<
  P extends z.ZodType = z.ZodType,
  R extends z.ZodType = z.ZodType,
  G extends z.ZodType = z.ZodType,
> {
  readonly kind: 'method';
  readonly params: P;
  readonly result: R;
  /** Schema of progress notes the server may send while the call runs. */
  readonly progress: G;
}

export interface EventDef<P extends z.ZodType = z.ZodType, Y extends z.ZodType = z.ZodType> {
  readonly kind: 'event';
  /** Schema of the subscription's parameters (a filter, a session id). */
  readonly params: P;
  readonly payload: Y;
}

export type FeatureDef = Record<string, MethodDef | EventDef>;
export type ContractDef = Record<string, FeatureDef>;

const noProgress = z.never();

export function method<P extends z.ZodType, R extends z.ZodType, G extends z.ZodType = z.ZodNever>(def: {
  params: P;
  result: R;
  progress?: G;
}): MethodDef<P, R, G> {
  return { kind: 'method', params: def.params, result: def.result, progress: (def.progress ?? noProgress) as G };
}

export function event<P extends z.ZodType, Y extends z.ZodType>(def: { params: P; payload: Y }): EventDef<P, Y> {
  return { kind: 'event', params: def.params, payload: def.payload };
}

const methodName = /^[a-z][A-Za-z0-9]*$/;
const eventName = /^on[A-Z][A-Za-z0-9]*$/;
const featureName = /^[a-z][A-Za-z0-9]*$/;

/** Checks the naming rules (events `onXxx`, methods never `on…`) and returns the contract unchanged. */
export function defineContract<C extends ContractDef>(contract: C): C {
  for (const [feature, members] of Object.entries(contract)) {
    if (!featureName.test(feature)) throw new Error(`RPC feature name "${feature}" must be lowerCamelCase`);
    for (const [name, def] of Object.entries(members)) {
      if (def.kind === 'event' && !eventName.test(name)) {
        throw new Error(`RPC event "${feature}.${name}" must be named onXxx`);
      }
      if (def.kind === 'method' && (!methodName.test(name) || eventName.test(name))) {
        throw new Error(`RPC method "${feature}.${name}" must be lowerCamelCase and not start with "on"`);
      }
    }
  }
  return contract;
}

/** Flattened lookup of `feature.member` wire names. */
export function indexContract(contract: ContractDef): Map<string, MethodDef | EventDef> {
  const index = new Map<string, MethodDef | EventDef>();
  for (const [feature, members] of Object.entries(contract)) {
    for (const [name, def] of Object.entries(members)) index.set(`${feature}.${name}`, def);
  }
  return index;
}

export type ParamsOf<D> = D extends MethodDef<infer P> ? z.input<P> : D extends EventDef<infer P> ? z.input<P> : never;
export type ResultOf<D> = D extends MethodDef<z.ZodType, infer R> ? z.output<R> : never;
export type ProgressOf<D> = D extends MethodDef<z.ZodType, z.ZodType, infer G> ? z.output<G> : never;
export type PayloadOf<D> = D extends EventDef<z.ZodType, infer Y> ? z.output<Y> : never;
/** What a server handler receives: the parsed (output) side of the params schema. */
export type ParsedParamsOf<D> = D extends MethodDef<infer P> ? z.output<P> : D extends EventDef<infer P> ? z.output<P> : never;
