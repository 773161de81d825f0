/**
 * Linear's published GraphQL schema, rebuilt from the types `@linear/sdk` ships. The package
 * carries no `schema.graphql`, but its declarations (`dist/index-*.d.mts`) are graphql-codegen's
 * output for the whole schema: every object type (`type Issue = Node & { __typename?: "Issue";
 * … }`), every field's arguments (`type MutationIssueUpdateArgs = { id: …; input: … }`), every
 * input type, enum and scalar. Turned back into SDL, `graphql`'s `validate` checks each document
 * the adapter sends: field names, argument names and types, nullability, input fields.
 *
 * What the rebuild cannot say, and validation then does not check: which interfaces a type
 * implements (every type is emitted as a plain object type) and deprecations.
 */
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { buildSchema, type GraphQLSchema } from "graphql";

const BUILT_IN = new Set(["ID", "String", "Boolean", "Int", "Float"]);

interface Alias {
  name: string;
  /** The `{ … }` body of an object, input or args type; undefined for unions. */
  fields?: Array<{ name: string; optional: boolean; type: string }>;
  union?: string[];
  typename: boolean;
}

let cached: GraphQLSchema | undefined;

/** The schema, built once per test process (the declarations are ~4 MB). */
export function linearSchema(): GraphQLSchema {
  cached ??= buildSchema(linearSdl());
  return cached;
}

function declarations(): string {
  const require = createRequire(import.meta.url);
  const dist = join(dirname(require.resolve("@linear/sdk/package.json")), "dist");
  const file = readdirSync(dist).find((name) => /^index-.*\.d\.mts$/.test(name));
  if (!file) throw new Error(`@linear/sdk: no index-*.d.mts in ${dist}`);
  return readFileSync(join(dist, file), "utf8");
}

/** Reads the codegen aliases, enums and scalars, then writes them out as SDL. */
export function linearSdl(source = declarations()): string {
  const aliases = new Map<string, Alias>();
  const enums = new Map<string, string[]>();
  const scalars = new Set<string>();

  const scalarBlock = /^type Scalars = \{\n([\s\S]*?)\n\};/m.exec(source);
  for (const match of scalarBlock?.[1]?.matchAll(/^ {2}(\w+): /gm) ?? []) {
    if (!BUILT_IN.has(match[1]!)) scalars.add(match[1]!);
  }
  for (const match of source.matchAll(/^declare enum (\w+) \{\n([\s\S]*?)\n\}/gm)) {
    const values = [...match[2]!.matchAll(/^ {2}\w+ = "([^"]+)",?$/gm)].map((v) => v[1]!);
    enums.set(match[1]!, values);
  }
  for (const match of source.matchAll(/^type (\w+) = ([^\n{]*)\{\n([\s\S]*?)\n\};/gm)) {
    const [, name, , body] = match;
    if (name === "Scalars" || name === "Exact" || name!.startsWith("Make")) continue;
    const fields = [...body!.matchAll(/^ {2}(\w+)(\??): (.+);$/gm)]
      .filter((f) => f[1] !== "__typename")
      .map((f) => ({ name: f[1]!, optional: f[2] === "?", type: f[3]! }));
    aliases.set(name!, { name: name!, fields, typename: /^ {2}__typename\?:/m.test(body!) });
  }
  for (const match of source.matchAll(/^type (\w+) = ((?:\w+ \| )+\w+);$/gm)) {
    aliases.set(match[1]!, { name: match[1]!, union: match[2]!.split(" | "), typename: true });
  }

  // `${Parent}${Field}Args`, compared case-insensitively: codegen writes attachmentLinkURL's as …LinkUrlArgs.
  const argsByName = new Map<string, Alias>();
  for (const alias of aliases.values()) {
    if (alias.name.endsWith("Args")) argsByName.set(alias.name.toLowerCase(), alias);
  }

  // Which aliases are output types and which are inputs follows from where they are used,
  // starting at the roots: object fields lead to outputs, arguments and input fields to inputs.
  const outputs = new Set<string>();
  const inputs = new Set<string>();
  const usedArgs = new Map<string, Map<string, Alias>>();
  const visitOutput = (name: string) => {
    const alias = aliases.get(name);
    if (!alias || outputs.has(name)) return;
    outputs.add(name);
    for (const member of alias.union ?? []) visitOutput(member);
    for (const field of alias.fields ?? []) {
      visitOutput(baseName(field.type));
      const args = argsByName.get(`${name}${field.name}args`.toLowerCase());
      if (!args) continue;
      const byField = usedArgs.get(name) ?? new Map<string, Alias>();
      byField.set(field.name, args);
      usedArgs.set(name, byField);
      for (const arg of args.fields ?? []) visitInput(baseName(arg.type));
    }
  };
  const visitInput = (name: string) => {
    const alias = aliases.get(name);
    if (!alias || inputs.has(name)) return;
    inputs.add(name);
    for (const field of alias.fields ?? []) visitInput(baseName(field.type));
  };
  visitOutput("Query");
  visitOutput("Mutation");

  const lines: string[] = [...[...scalars].map((s) => `scalar ${s}`)];
  for (const [name, values] of enums) lines.push(`enum ${name} { ${values.join(" ")} }`);
  for (const name of outputs) {
    const alias = aliases.get(name)!;
    if (alias.union) {
      lines.push(`union ${name} = ${alias.union.filter((m) => outputs.has(m)).join(" | ")}`);
      continue;
    }
    const fields = (alias.fields ?? []).map((field) => {
      const args = usedArgs.get(name)?.get(field.name);
      const list = args?.fields?.map((a) => `${a.name}: ${sdlType(a.type)}`).join(", ");
      return `  ${field.name}${list ? `(${list})` : ""}: ${sdlType(field.type)}`;
    });
    if (fields.length > 0) lines.push(`type ${name} {\n${fields.join("\n")}\n}`);
  }
  for (const name of inputs) {
    const fields = (aliases.get(name)!.fields ?? []).map((f) => `  ${f.name}: ${sdlType(f.type)}`);
    if (fields.length > 0) lines.push(`input ${name} {\n${fields.join("\n")}\n}`);
  }
  lines.push("schema { query: Query mutation: Mutation }");
  return lines.join("\n");
}

/** `Maybe<Array<Scalars["String"]>>` → `String` */
function baseName(type: string): string {
  const scalar = /Scalars\["(\w+)"\]/.exec(type);
  if (scalar) return scalar[1]!;
  return type.replace(/(Input)?Maybe<|Array<|>/g, "").trim();
}

/** `Maybe<Array<Scalars["String"]>>` → `[String!]`; anything not wrapped in Maybe is non-null. */
function sdlType(type: string): string {
  const trimmed = type.trim();
  const maybe = /^(?:Input)?Maybe<(.*)>$/.exec(trimmed);
  if (maybe) return sdlType(maybe[1]!).replace(/!$/, "");
  const array = /^Array<(.*)>$/.exec(trimmed);
  if (array) return `[${sdlType(array[1]!)}]!`;
  return `${baseName(trimmed)}!`;
}
