// Request fields shared by the project actions, with the documented limits.
import { Type } from "@sinclair/typebox";
import { charLength, pageOffset } from "./wire-format.ts";
import { trroErrors } from "./errors.ts";

export const ProjectId = Type.String({ minLength: 1, maxLength: 64 });
export const PolicyMode = Type.Union([Type.Literal("black"), Type.Literal("white")]);
// The limits are in characters (Chinese names count one each); the validator counts bytes,
// so the schema bounds bytes loosely and checkProjectText counts characters.
export const ProjectName = Type.String({ minLength: 1, maxLength: 24 * 4 });
export const ProjectDescription = Type.String({ maxLength: 120 * 4 });

export function checkProjectText(name: string | undefined, description: string | undefined): void {
  if (name !== undefined && charLength(name) > 24) throw trroErrors.invalidValue("ProjectName", "at most 24 characters");
  if (description !== undefined && charLength(description) > 120) {
    throw trroErrors.invalidValue("ProjectDescription", "at most 120 characters");
  }
}

/** Paging of the list actions whose PageSize/PageNumber are optional (defaults 10 and 1). */
export const OptionalPageSize = Type.Optional(Type.Integer({ minimum: 1, maximum: 100 }));
// The real API's own example asks DescribeProjectList for "--PageNumber 0" and gets the
// first page: 0 is accepted and means page 1.
export const OptionalPageNumber = Type.Optional(Type.Integer({ minimum: 0 }));
const firstPageIfZero = (n: number | undefined): number => (n === undefined || n === 0 ? 1 : n);

/** The limit and offset of an OptionalPageSize/OptionalPageNumber request. */
export function optionalPage(pageSize: number | undefined, pageNumber: number | undefined): { limit: number; offset: number } {
  const limit = pageSize ?? 10;
  return { limit, offset: pageOffset(firstPageIfZero(pageNumber), limit) };
}
