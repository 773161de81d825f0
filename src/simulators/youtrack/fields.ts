/**
 * YouTrack's `fields` request parameter: an answer carries only the attributes the request
 * names (`idReadable,customFields(name,value(name))`), plus `$type` on every entity, and
 * without `fields` an entity is only `{$type, id}`. The simulator applies it the same way, so
 * an adapter that forgets to ask for an attribute fails here as it would against YouTrack.
 * (https://www.jetbrains.com/help/youtrack/devportal/api-fields-syntax.html; the reference's
 * "attributes are returned only when requested".)
 */

/** Attribute name → what to take of its value (null: the value as is). */
export type FieldsSpec = Map<string, FieldsSpec | null>;

/**
 * @example
 * parseFields("idReadable,customFields(name,value(name))")
 * // Map { idReadable → null, customFields → Map { name → null, value → Map { name → null } } }
 */
export function parseFields(text: string): FieldsSpec {
  let at = 0;
  const list = (): FieldsSpec => {
    const spec: FieldsSpec = new Map();
    while (at < text.length && text[at] !== ")") {
      const start = at;
      while (at < text.length && !",()".includes(text[at]!)) at++;
      const name = text.slice(start, at).trim();
      let sub: FieldsSpec | null = null;
      if (text[at] === "(") {
        at++;
        sub = list();
        if (text[at] !== ")") throw new Error(`unbalanced parentheses in fields=${text}`);
        at++;
      }
      if (name) spec.set(name, mergeSpecs(spec.get(name) ?? null, sub));
      if (text[at] === ",") at++;
    }
    return spec;
  };
  const spec = list();
  if (at !== text.length) throw new Error(`unbalanced parentheses in fields=${text}`);
  return spec;
}

function mergeSpecs(a: FieldsSpec | null, b: FieldsSpec | null): FieldsSpec | null {
  if (!a) return b;
  if (!b) return a;
  const merged = new Map(a);
  for (const [name, sub] of b) merged.set(name, mergeSpecs(merged.get(name) ?? null, sub));
  return merged;
}

/**
 * The part of `value` that `spec` asks for. An entity asked for without sub-fields answers
 * `{$type, id}` only, as YouTrack does; scalars pass through.
 */
export function selectFields(value: unknown, spec: FieldsSpec | null): unknown {
  if (Array.isArray(value)) return value.map((item) => selectFields(item, spec));
  if (typeof value !== "object" || value === null) return value;
  const entity = value as Record<string, unknown>;
  const picked: Record<string, unknown> = {};
  if (entity.$type !== undefined) picked.$type = entity.$type;
  if (!spec) {
    if (entity.id !== undefined) picked.id = entity.id;
    return picked;
  }
  for (const [name, sub] of spec) {
    if (name in entity) picked[name] = selectFields(entity[name], sub);
  }
  return picked;
}
