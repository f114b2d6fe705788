import type { Request, Response } from 'express';
import { bodyUnread } from '../../src/http/json-depth';
import { closeAfterAnswer } from '../../src/http/linger';
import { Open311Error } from './errors';
import { type XmlValue, xmlDocument } from './xml';

/** The formats of every resource, chosen by the suffix: `/services.json`, `/services.xml`. */
export type Format = 'json' | 'xml';

/**
 * Splits a path segment into the resource and its format (`ADU-7K3M9Q.xml` → `ADU-7K3M9Q`,
 * `xml`); throws 404 for a missing or unknown suffix.
 */
export function splitFormat(segment: string): { name: string; format: Format } {
  const dot = segment.lastIndexOf('.');
  const format = dot > 0 ? segment.slice(dot + 1).toLowerCase() : '';
  if (format !== 'json' && format !== 'xml') {
    throw new Open311Error(404, ['Unknown format: add .json or .xml to the resource.']);
  }
  return { name: segment.slice(0, dot), format };
}

/**
 * Answers `value` as JSON, or as XML under the element `root` (lists as one child per item, by
 * the specification's names), in UTF-8 with the specification's content types.
 */
export function send(
  res: Response,
  format: Format,
  root: string,
  value: XmlValue,
  status = 200,
): void {
  res.status(status);
  if (format === 'xml') {
    res.set('Content-Type', 'text/xml; charset=utf-8').send(xmlDocument(root, value));
  } else {
    res.set('Content-Type', 'application/json; charset=utf-8').send(JSON.stringify(value));
  }
}

/**
 * Answers an {@link Open311Error} as the specification's error list, in `format` (JSON when the
 * format is not known). A request answered before its body was read has its connection closed
 * after the answer, so the rest of the body is never read.
 */
export function sendError(req: Request, res: Response, err: Open311Error, format?: Format): void {
  if (bodyUnread(req)) closeAfterAnswer(req, res);
  send(
    res,
    format ?? 'json',
    'errors',
    err.items.map((e) => ({ ...e })),
    err.status,
  );
}

/** The format of the last path segment, when it names a known one (for the error answer). */
export function formatOf(req: Request): Format | undefined {
  const ext = /\.([a-z]+)$/i.exec(req.path)?.[1]?.toLowerCase();
  return ext === 'json' || ext === 'xml' ? ext : undefined;
}
