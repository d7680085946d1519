// The import boundaries of DESIGN.md, checked in CI (npm run lint):
//   protocols never import products; products never import each other, nor another layer's
//   internals (only the contracts the protocols publish for them); the platform pieces never
//   import protocols or products; and no import circle anywhere (type-only imports included).
// The composition root (server.ts, platform.ts) and the applications on top (cli, demo,
// simulate, console) may import anything.
const PLATFORM = "^src/(storage|jobs|time|tenancy|ingest|errors|observability|callbacks|agent)/|^src/(ids|config|product-context)\\.[jt]s$";
// What a protocol publishes for products: the shapes they declare, and the native kit's stream reader.
const PROTOCOL_CONTRACTS = "^src/protocols/(tencent/action|huawei/route|native/route|native/batch-body)\\.[jt]s$";

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "An import circle: split the shared part out, downward.",
      from: {},
      to: { circular: true },
    },
    {
      name: "protocols-not-to-products",
      severity: "error",
      comment: "protocols/ is transport only and knows no product: products hand it their declarations through server.ts.",
      from: { path: "^src/protocols/" },
      to: { path: "^src/products/" },
    },
    {
      name: "product-not-to-product",
      severity: "error",
      comment: "Products never import each other: what two products share belongs to a platform piece.",
      from: { path: "^src/products/([^/]+)/" },
      to: { path: "^src/products/[^/]+/", pathNot: "^src/products/$1/" },
    },
    {
      name: "product-not-to-protocol-internals",
      severity: "error",
      comment: "A product imports only the contracts a protocol publishes (action.ts, route.ts, the native kit's route and stream reader).",
      from: { path: "^src/products/" },
      to: { path: "^src/protocols/", pathNot: PROTOCOL_CONTRACTS },
    },
    {
      name: "product-not-to-server-or-adapters",
      severity: "error",
      comment: "A product gets its ProductContext; it never reaches the server, the platform handle, the storage adapters or the applications on top.",
      from: { path: "^src/products/" },
      to: { path: "^src/(server|platform)\\.[jt]s$|^src/storage/(pglite|postgres|open|migrate)\\.[jt]s$|^src/(cli|demo|simulate|console)/" },
    },
    {
      name: "platform-not-upward",
      severity: "error",
      comment: "Platform pieces are below protocols and products: they import neither.",
      from: { path: PLATFORM },
      to: { path: "^src/(protocols|products|console)/|^src/(server|platform)\\.[jt]s$" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "node_modules" },
    tsPreCompilationDeps: true,
    combinedDependencies: false,
  },
};
