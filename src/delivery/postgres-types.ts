/**
 * How the store's pools read PostgreSQL values: BIGINT columns (epoch milliseconds, ids,
 * counts) as numbers, refused past 2^53 rather than rounded.
 */
import pg from "pg";

const INT8_OID = 20;

function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new RangeError(`BIGINT out of range: ${text}`);
  return value;
}

/**
 * Per pool rather than through `pg.types.setTypeParser`, which would change how every other
 * pool in the process reads BIGINT.
 */
export const int8AsNumber: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === INT8_OID && format !== "binary"
      ? parseInt8
      : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig["getTypeParser"],
};
