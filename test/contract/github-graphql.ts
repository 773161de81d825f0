/**
 * GitHub's public GraphQL schema (`@octokit/graphql-schema`) as a contract: every GraphQL
 * document a simulator receives is parsed and validated against it (fields, arguments,
 * fragments on the right types, variables' types). graphql-js is loaded, and the 5 MB
 * schema built, on the first document only: most test files send none.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import type { GraphQLSchema } from "graphql";

type GraphqlJs = typeof import("graphql");

const require = createRequire(import.meta.url);

let loaded: { graphql: GraphqlJs; schema: GraphQLSchema } | undefined;

function load() {
  if (loaded) return loaded;
  const graphql = require("graphql") as GraphqlJs;
  // The introspection result, not schema.graphql: that SDL defines two fields twice, and
  // building from introspection is about three times faster (~0.3 s).
  const path = fileURLToPath(
    new URL("../../node_modules/@octokit/graphql-schema/schema.json", import.meta.url),
  );
  const json = JSON.parse(readFileSync(path, "utf8")) as { data?: unknown };
  const introspection = (json.data ?? json) as Parameters<GraphqlJs["buildClientSchema"]>[0];
  loaded = { graphql, schema: graphql.buildClientSchema(introspection) };
  return loaded;
}

/** What does not hold in `query` against GitHub's schema; [] when it is valid. */
export function graphqlProblems(query: string): string[] {
  const { graphql, schema } = load();
  let document: ReturnType<GraphqlJs["parse"]>;
  try {
    document = graphql.parse(query);
  } catch (error) {
    return [`does not parse: ${String(error)}`];
  }
  return graphql.validate(schema, document).map((error) => error.message);
}

type Field = { name: string; type: unknown; args?: ReadonlyArray<{ name: string; type: unknown }> };

/**
 * Where a subset of GitHub's schema (SDL) differs from it: a type, union member, interface,
 * field, input field or argument GitHub lacks, or has with another type. [] when none.
 */
export function subsetProblems(sdl: string): string[] {
  const { graphql, schema } = load();
  const subset = graphql.buildSchema(sdl);
  const problems: string[] = [];
  const hasFields = (type: unknown) =>
    graphql.isObjectType(type) || graphql.isInterfaceType(type) || graphql.isInputObjectType(type);
  for (const type of Object.values(subset.getTypeMap())) {
    if (type.name.startsWith("__")) continue;
    const real = schema.getType(type.name);
    if (!real) {
      problems.push(`${type.name}: not in GitHub's schema`);
      continue;
    }
    if (graphql.isUnionType(type) && graphql.isUnionType(real)) {
      const members = new Set(real.getTypes().map((t) => t.name));
      for (const member of type.getTypes())
        if (!members.has(member.name)) problems.push(`${type.name}: ${member.name} is no member`);
    }
    if (graphql.isObjectType(type) && graphql.isObjectType(real)) {
      const interfaces = new Set(real.getInterfaces().map((i) => i.name));
      for (const i of type.getInterfaces())
        if (!interfaces.has(i.name)) problems.push(`${type.name}: does not implement ${i.name}`);
    }
    if (!hasFields(type)) continue;
    if (!hasFields(real)) {
      problems.push(`${type.name}: another kind of type in GitHub's schema`);
      continue;
    }
    const fields = (t: unknown) => (t as { getFields(): Record<string, Field> }).getFields();
    const realFields = fields(real);
    for (const field of Object.values(fields(type))) {
      const match = realFields[field.name];
      const at = `${type.name}.${field.name}`;
      if (!match) problems.push(`${at}: not in GitHub's schema`);
      else if (String(match.type) !== String(field.type))
        problems.push(`${at}: ${String(field.type)}, GitHub has ${String(match.type)}`);
      for (const arg of field.args ?? []) {
        const realArg = match?.args?.find((a) => a.name === arg.name);
        if (match && (!realArg || String(realArg.type) !== String(arg.type)))
          problems.push(
            `${at}(${arg.name}): ${realArg ? `GitHub has ${String(realArg.type)}` : "not in GitHub's schema"}`,
          );
      }
    }
  }
  return problems;
}
