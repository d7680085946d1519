// The product registry, for the few commands that name products (apps create, worker
// simulate, the help texts). Loaded on demand: it brings every product's modules (~550 files
// in a clone; their own chunk in the package's bundle), which the other commands never use.
// Without it an admin command starts in ~0.3 s of CPU instead of ~1.1 s (a clone, measured).
import type { Product } from "../products/product.ts";

let loaded: readonly Product[] | null = null;

export async function loadProducts(): Promise<readonly Product[]> {
  loaded ??= (await import("../products/registry.ts")).allProducts;
  return loaded;
}

/** The registry, once loadProducts() has run (main.ts loads it before printing any help). */
export function loadedProducts(): readonly Product[] {
  if (!loaded) throw new Error("the product registry is not loaded yet (loadProducts)");
  return loaded;
}

/** The products apps are created for: the registry's, without the development-only ones. */
export const appProducts = (products: readonly Product[]): string[] => products.filter((p) => !p.devOnly).map((p) => p.name);
