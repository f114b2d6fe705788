/**
 * The part of OpenAPI 3.1 (https://spec.openapis.org/oas/v3.1.0) the staff API document uses,
 * typed so the document is checked by the compiler. Schemas are JSON Schema 2020-12 (the
 * keywords used here only).
 */

export type JsonType = 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array' | 'null';

/** A JSON Schema 2020-12 schema (the keywords the document uses). */
export interface SchemaObject {
  $ref?: string;
  title?: string;
  description?: string;
  type?: JsonType | readonly JsonType[];
  enum?: readonly (string | number | null)[];
  const?: string;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  default?: unknown;
  examples?: readonly unknown[];
  properties?: Record<string, SchemaObject>;
  required?: readonly string[];
  additionalProperties?: boolean;
  items?: SchemaObject;
  oneOf?: readonly SchemaObject[];
  discriminator?: { propertyName: string; mapping?: Record<string, string> };
}

export interface ParameterObject {
  name: string;
  in: 'query' | 'path' | 'header';
  description?: string;
  required?: boolean;
  schema: SchemaObject;
  explode?: boolean;
  style?: 'form' | 'simple';
}

export interface HeaderObject {
  description?: string;
  required?: boolean;
  schema: SchemaObject;
}

export interface MediaTypeObject {
  schema: SchemaObject;
  example?: unknown;
}

export interface ResponseObject {
  description: string;
  headers?: Record<string, HeaderObject>;
  content?: Record<string, MediaTypeObject>;
}

/** A response, or a reference to one of `components.responses`. */
export type ResponseOrRef = ResponseObject | { $ref: string };

export interface OperationObject {
  operationId: string;
  summary: string;
  description?: string;
  tags?: string[];
  parameters?: (ParameterObject | { $ref: string })[];
  requestBody?: {
    description?: string;
    required: boolean;
    content: Record<string, MediaTypeObject>;
  };
  responses: Record<string, ResponseOrRef>;
  security?: Record<string, string[]>[];
}

export interface PathItemObject {
  parameters?: (ParameterObject | { $ref: string })[];
  get?: OperationObject;
  post?: OperationObject;
}

/** An OpenAPI 3.1 document (the fields the staff API document uses). */
export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description?: string; license?: { name: string } };
  servers?: { url: string; description?: string }[];
  tags?: { name: string; description?: string }[];
  security?: Record<string, string[]>[];
  paths: Record<string, PathItemObject>;
  components: {
    schemas: Record<string, SchemaObject>;
    responses?: Record<string, ResponseObject>;
    parameters?: Record<string, ParameterObject>;
    securitySchemes: Record<
      string,
      { type: 'http'; scheme: 'bearer'; bearerFormat?: string; description?: string }
    >;
  };
}
