/**
 * Checks a JSON value against an OpenAPI schema the way the contract tests need: required
 * fields present, no field the schema does not know, types and enums right. OpenAPI 3.0
 * (`nullable`) and 3.1 (`type: ["string", "null"]`) both appear in GitHub's descriptions.
 */

export interface Schema {
  $ref?: string;
  type?: string | string[];
  nullable?: boolean;
  enum?: unknown[];
  maxLength?: number;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
}

export type ResolveRef = (ref: string) => Schema;

/**
 * @example
 * shapeProblems({ type: "object", properties: { a: { type: "string" } } }, { b: 1 }, "body", resolve)
 * // → ["body.b is not a field of this shape (known: a)"]
 */
export function shapeProblems(
  schema: Schema,
  value: unknown,
  at: string,
  resolve: ResolveRef,
): string[] {
  const shape = flatten(schema, resolve);
  const alternatives = shape.oneOf ?? shape.anyOf;
  if (alternatives) {
    // The shape's own fields hold whichever alternative fits (e.g. check-run updates).
    const { oneOf, anyOf, ...own } = shape;
    const ownProblems = Object.keys(own).length > 0 ? shapeProblems(own, value, at, resolve) : [];
    return [...ownProblems, ...bestAlternative(alternatives, value, at, resolve)];
  }
  if (value === null) return allowsNull(shape) ? [] : [`${at} is null`];
  const typeProblem = wrongType(shape, value, at);
  if (typeProblem) return [typeProblem];
  if (shape.enum && !shape.enum.includes(value)) {
    return [`${at} is ${JSON.stringify(value)}, not one of ${JSON.stringify(shape.enum)}`];
  }
  if (
    typeof value === "string" &&
    shape.maxLength !== undefined &&
    value.length > shape.maxLength
  ) {
    return [`${at} has ${value.length} characters, more than ${shape.maxLength}`];
  }
  if (Array.isArray(value) && shape.items) {
    return value.flatMap((item, i) => shapeProblems(shape.items!, item, `${at}[${i}]`, resolve));
  }
  if (isObject(value) && (shape.properties || shape.required))
    return objectProblems(shape, value, at, resolve);
  return [];
}

function objectProblems(
  shape: Schema,
  value: Record<string, unknown>,
  at: string,
  resolve: ResolveRef,
): string[] {
  const known = shape.properties ?? {};
  const problems = (shape.required ?? [])
    .filter((name) => !(name in value))
    .map((name) => `${at}.${name} is required but missing`);
  for (const [name, field] of Object.entries(value)) {
    const fieldSchema = known[name];
    if (fieldSchema) problems.push(...shapeProblems(fieldSchema, field, `${at}.${name}`, resolve));
    else if (isObject(shape.additionalProperties))
      problems.push(...shapeProblems(shape.additionalProperties, field, `${at}.${name}`, resolve));
    else if (shape.additionalProperties !== true)
      problems.push(
        `${at}.${name} is not a field of this shape (known: ${Object.keys(known).join(", ")})`,
      );
  }
  return problems;
}

/** A value matches oneOf/anyOf when one alternative fits; otherwise the closest one's problems. */
function bestAlternative(
  alternatives: Schema[],
  value: unknown,
  at: string,
  resolve: ResolveRef,
): string[] {
  let best: string[] | undefined;
  for (const alternative of alternatives) {
    const problems = shapeProblems(alternative, value, at, resolve);
    if (problems.length === 0) return [];
    if (!best || problems.length < best.length) best = problems;
  }
  return best ?? [];
}

/** Resolves `$ref` and merges `allOf` into one shape, so each part knows the others' fields. */
function flatten(schema: Schema, resolve: ResolveRef): Schema {
  const own = schema.$ref ? flatten(resolve(schema.$ref), resolve) : schema;
  if (!own.allOf) return own;
  const merged: Schema = { ...own, allOf: undefined, properties: { ...own.properties } };
  for (const part of own.allOf.map((p) => flatten(p, resolve))) {
    merged.type ??= part.type;
    merged.nullable ||= part.nullable;
    merged.properties = { ...merged.properties, ...part.properties };
    merged.required = [...(merged.required ?? []), ...(part.required ?? [])];
    if (part.additionalProperties !== undefined)
      merged.additionalProperties = part.additionalProperties;
    merged.oneOf ??= part.oneOf;
    merged.anyOf ??= part.anyOf;
  }
  return merged;
}

function allowsNull(shape: Schema): boolean {
  if (shape.nullable || shape.type === undefined) return true;
  if (shape.enum?.includes(null)) return true;
  return shape.type === "null" || (Array.isArray(shape.type) && shape.type.includes("null"));
}

function wrongType(shape: Schema, value: unknown, at: string): string | undefined {
  if (shape.type === undefined) return undefined;
  const types = Array.isArray(shape.type) ? shape.type : [shape.type];
  if (types.some((type) => hasType(type, value))) return undefined;
  return `${at} is ${Array.isArray(value) ? "array" : typeof value}, expected ${types.join(" or ")}`;
}

function hasType(type: string, value: unknown): boolean {
  switch (type) {
    case "integer":
      return Number.isInteger(value);
    case "number":
      return typeof value === "number";
    case "array":
      return Array.isArray(value);
    case "object":
      return isObject(value);
    case "null":
      return value === null;
    default:
      return typeof value === type;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
