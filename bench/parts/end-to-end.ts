import type { BenchContext } from "../lib/context.js";
import type { PartOutput } from "../lib/table.js";
export async function benchEndToEnd(_ctx: BenchContext): Promise<PartOutput> {
  return { rows: [], data: null };
}
