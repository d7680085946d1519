// SparkRTC's service errors for the statistics APIs (reference §1.4, §3.2).
import { ApiError } from "../../errors/api-error.ts";

export const rtcErrors = {
  /**
   * The seed's exact wording, which is Spring's MissingServletRequestParameterException
   * text: Huawei's statistics service reports the first missing parameter this way.
   */
  missingParameter: (name: string) =>
    new ApiError("DATA.100011001", { message: `Required String parameter '${name}' is not present`, httpStatus: 400 }),
  /**
   * Every other bad value. Huawei documents no DATA.* code beyond the one above, so we use
   * SparkRTC's documented RTC.00001003 InvalidParameterValue for all of them, consistently,
   * with the reason after a colon (the real message is the bare "InvalidParameterValue").
   */
  invalidValue: (reason: string) => new ApiError("RTC.00001003", { message: `InvalidParameterValue: ${reason}`, httpStatus: 400 }),
  internal: () => new ApiError("RTC.00002002", { message: "InternalError.DbErr", httpStatus: 500 }),
};
