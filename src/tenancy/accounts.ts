export interface Account {
  accountId: string;
  name: string;
  /** The 32-hex project id of Huawei-style paths (/v1/{project_id}/...). */
  huaweiProjectId: string;
}

export interface App {
  appId: string;
  accountId: string;
  /** The services enabled for this app, e.g. ["lcic", "tiw"] share one SdkAppId. */
  products: string[];
  name: string;
  createdAt: number;
}

/** Where an app id stands for a caller: theirs, another account's, or nowhere. */
export type AppLookup = { kind: "own"; app: App } | { kind: "foreign"; app: App } | { kind: "missing" };
