// Which regions the gateway answers for (issue 16, item 6). The region (X-TC-Region in TC3,
// the Region parameter in v1) is not signed by the SDKs, so anything can arrive; the cloud
// refuses two kinds of value, and so does roomledger:
// - a name that is no Tencent Cloud region at all: InvalidParameterValue (a client passing
//   "gz" for Guangzhou got it: TencentCloud/tencentcloud-sdk-python#21, qkqpttgf/OneDrive_SCF#47);
// - a real region where the product is not served: UnsupportedRegion, "The action not support
//   this region." (TencentCloud/tencentcloud-sdk-php#46; reference §5, the common error table).
// No region at all (absent, empty, or the intl SDK's literal "null") stays accepted: LCIC and
// GME document the parameter as optional, and the gateway has always taken it so.
//
// The cloud's regions: the "Request Structure" page every product shares (TIW's:
// https://www.tencentcloud.com/document/product/1176/55145, the same table on each product's
// page), plus Jakarta (SSM GetRegions lists it: /document/api/1078/38650), Nanjing and São
// Paulo (CVM DescribeRegions). The financial zones (`-fsi`) are regions too, with their own
// isolated endpoints; none of the four products lists them, so they answer UnsupportedRegion.
// Each product's list: LCIC and GME say the parameter is optional ("This parameter is not
// required"), TIW and TRRO point to the shared table; none documents a narrower list on
// tencentcloudapi.com (the intl site marks a few TIW actions "only supports ap-singapore",
// which an emulator serving both sites cannot apply), so each serves the public table.
// An operator extends it (a private region name, a region newer than this list) with
// ROOMLEDGER_TENCENT_REGIONS=name,...; `*` accepts any name, as before this check existed.
import { ApiError } from "../../errors/api-error.ts";

/** The cloud's public (non-financial) regions. */
export const PUBLIC_REGIONS: readonly string[] = [
  "ap-guangzhou",
  "ap-shanghai",
  "ap-nanjing",
  "ap-beijing",
  "ap-chengdu",
  "ap-chongqing",
  "ap-hongkong",
  "ap-singapore",
  "ap-jakarta",
  "ap-bangkok",
  "ap-mumbai",
  "ap-seoul",
  "ap-tokyo",
  "na-siliconvalley",
  "na-ashburn",
  "na-toronto",
  "sa-saopaulo",
  "eu-frankfurt",
  "eu-moscow",
];

/** Regions of the cloud that none of the served products lists (financial zones). */
export const UNSERVED_REGIONS: readonly string[] = ["ap-shanghai-fsi", "ap-shenzhen-fsi", "ap-beijing-fsi"];

export interface RegionSettings {
  /** Names served beside the public ones (ROOMLEDGER_TENCENT_REGIONS). */
  extra: readonly string[];
  /** `*`: any name is accepted (no check). */
  any: boolean;
}

/** Where the region came from: the TC3 header or the v1 parameter (the message names it). */
export type RegionSource = "X-TC-Region" | "Region";

export type RegionCheck = (region: string | null, source: RegionSource) => ApiError | null;

/** The check the gateway runs after the signature, before the rate limit and the action. */
export function regionCheck(settings: RegionSettings): RegionCheck {
  if (settings.any) return () => null;
  const served = new Set([...PUBLIC_REGIONS, ...settings.extra]);
  const known = new Set([...served, ...UNSERVED_REGIONS]);
  return (region, source) => {
    if (region === null || served.has(region)) return null;
    return known.has(region) ? unsupportedRegion() : invalidRegion(source);
  };
}

const unsupportedRegion = () =>
  new ApiError("UnsupportedRegion", { message: "The action not support this region.", messageZh: "此操作不支持此地域。" });

// The v1 text is the one quoted in both issues above; the TC3 one, naming the header, as a
// client of the TC3 API quoted it (a comment in a public translation plugin).
const invalidRegion = (source: RegionSource) =>
  source === "Region"
    ? new ApiError("InvalidParameterValue", {
        message: "A value specified in `Region` is not valid, is unsupported, or cannot be used.",
        messageZh: "参数 `Region` 的取值无效、不受支持或无法使用。",
      })
    : new ApiError("InvalidParameterValue", {
        message: "The value specified in `X-TC-Region` is invalid.",
        messageZh: "参数 `X-TC-Region` 的取值无效。",
      });
