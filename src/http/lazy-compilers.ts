import AjvCompiler from '@fastify/ajv-compiler';
import SerializerCompiler from '@fastify/fast-json-stringify-compiler';

// Fastify compiles every route's validators (Ajv) and response serializers (fast-json-stringify) while
// it boots: with a hundred-odd routes that is about a quarter of the time to ready. These factories wrap
// Fastify's own compilers (same options, same behaviour) so that each schema is compiled on the first
// request that needs it. test/foundation/schemas.test.ts compiles every route's schemas up front, so a
// schema that cannot compile fails the tests, not a user's first request.

type Compile<F> = (routeSchema: { schema: unknown }) => F;
type ValidateFn = ((data: unknown) => unknown) & { errors?: unknown };

const validators = AjvCompiler();
const serializers = SerializerCompiler();

export function lazyValidatorFactory(externalSchemas: unknown, options: unknown): Compile<ValidateFn> {
  const compile = (validators as unknown as (s: unknown, o: unknown) => Compile<ValidateFn>)(externalSchemas, options);
  return (routeSchema) => {
    let compiled: ValidateFn | undefined;
    const validate: ValidateFn = (data) => {
      compiled ??= compile(routeSchema);
      const result = compiled(data);
      // Fastify reads a failed validation's errors from the function it was given.
      validate.errors = compiled.errors;
      return result;
    };
    return validate;
  };
}

export function lazySerializerFactory(externalSchemas: unknown, options: unknown): Compile<(data: unknown) => string> {
  const compile = (serializers as unknown as (s: unknown, o: unknown) => Compile<(data: unknown) => string>)(externalSchemas, options);
  return (routeSchema) => {
    let compiled: ((data: unknown) => string) | undefined;
    return (data) => (compiled ??= compile(routeSchema))(data);
  };
}
