/**
 * GeoReport v2 errors: a list of `{ code, description }` with the HTTP status 400 (the request
 * cannot be fulfilled), 403 (missing or invalid `api_key`) or 404 (no such resource, service
 * code or jurisdiction). The body's codes are the HTTP status, as the specification suggests.
 */

/** One entry of the error list. */
export interface Open311ErrorItem {
  code: number;
  description: string;
}

/** HTTP statuses this interface answers errors with (413 for a body over the limit). */
export type Open311Status = 400 | 403 | 404 | 413;

/**
 * A refusal to answer with the specification's error list. Thrown by the request readers and
 * turned into the answer, in the requested format, by the routes.
 *
 * @example
 * throw new Open311Error(404, ['service_code potholes not found']);
 */
export class Open311Error extends Error {
  readonly items: Open311ErrorItem[];

  constructor(
    readonly status: Open311Status,
    descriptions: readonly string[],
  ) {
    super(descriptions.join('; '));
    this.name = 'Open311Error';
    this.items = descriptions.map((description) => ({ code: status, description }));
  }
}

/** 400: the request is not valid (one description per problem). */
export const badRequest = (...descriptions: string[]) => new Open311Error(400, descriptions);

/** 404: the resource, service code, request or jurisdiction does not exist. */
export const notFound = (description: string) => new Open311Error(404, [description]);

/** 403: the `api_key` is missing, unknown, revoked or not an Open311 key. */
export const forbidden = () =>
  new Open311Error(403, ['Missing or invalid api_key: a POST needs a valid Open311 API key.']);
