// Fastify compiles every route's schemas (Ajv validators, fast-json-stringify serializers)
// while the server starts, and makes its Ajv instance (compiling Ajv's own meta-schemas) on
// the first: a sizeable part of a start (issue 15's start-up target), spent on ~40 routes of
// which a test or an emulated client uses a few. These are Fastify's own default compilers,
// with the same options, each compiled at its route's first request instead.
//
// What moves: a schema Ajv cannot compile fails that route's first request (a 500 through
// the route's error handler) instead of the start. Every route's schema is compiled by the
// test that sends hostile input to every documented route (test/platform/boundaries.test.ts).
// No route has a `headers` schema: with a compiler factory of its own, Fastify leaves the
// case of a headers schema's keys to the compiler (it lower-cases them for its default).
import ajvCompiler from "@fastify/ajv-compiler";
import serializerCompiler from "@fastify/fast-json-stringify-compiler";
import type { FastifyServerOptions } from "fastify";

type Factories = NonNullable<NonNullable<FastifyServerOptions["schemaController"]>["compilersFactory"]>;
type Compiled = ((...args: unknown[]) => unknown) & { errors?: unknown };

/** A compiler whose functions compile at their first call; Fastify reads `errors` off a validator. */
function deferred<R>(compiler: () => (route: R) => Compiled): (route: R) => Compiled {
  let made: ((route: R) => Compiled) | null = null;
  return (route) => {
    let fn: Compiled | null = null;
    const call: Compiled = function (this: unknown, ...args: unknown[]) {
      made ??= compiler();
      fn ??= made(route);
      const out = fn.apply(this, args);
      call.errors = fn.errors;
      return out;
    };
    return call;
  };
}

/** Fastify's default schema compilers, each route's compiled at its first request. */
export function lazySchemaCompilers(): Factories {
  const validators = ajvCompiler();
  const serializers = serializerCompiler();
  return {
    buildValidator: ((external: never, options: never) =>
      deferred(() => validators(external, options) as never)) as unknown as Factories["buildValidator"],
    buildSerializer: ((external: never, options: never) =>
      deferred(() => serializers(external, options) as never)) as unknown as Factories["buildSerializer"],
  };
}
