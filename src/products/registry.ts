// The one explicit table of products. Adding a product = adding its folder and a line here.
import type { Product } from "./product.ts";
import { diagnostics } from "./diagnostics/index.ts";
import { lcic } from "./lcic/index.ts";
import { tiw } from "./tiw/index.ts";
import { gme } from "./gme/index.ts";
import { trro } from "./trro/index.ts";
import { rtc } from "./rtc/index.ts";

export const allProducts: readonly Product[] = [diagnostics, lcic, tiw, gme, trro, rtc];

/** The products a server loads: the table's (the registry's by default), development-only ones only with --dev. */
export function enabledProducts(dev: boolean, table: readonly Product[] = allProducts): Product[] {
  return table.filter((p) => dev || !p.devOnly);
}
