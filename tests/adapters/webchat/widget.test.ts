import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import express from 'express';
import request from 'supertest';
import ts from 'typescript';
import { projectRoot, widgetPath } from '../../../adapters/webchat/widget/assets';
import { widgetRoutes } from '../../../adapters/webchat/widget/routes';
import { escapeHtml } from '../../../src/http/html';

const app = express().use(widgetRoutes());

describe('GET /widget.js', () => {
  it('serves the widget script with cache headers and an ETag', async () => {
    const res = await request(app).get('/widget.js').expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/javascript/);
    expect(res.headers['cache-control']).toMatch(/max-age=\d+/);
    expect(res.headers.etag).toMatch(/^"[\w-]+"$/);
    expect(res.text).toBe(readFileSync(widgetPath(), 'utf8'));
  });

  it('answers 304 to a matching If-None-Match', async () => {
    const first = await request(app).get('/widget.js').expect(200);
    const etag = String(first.headers.etag);
    const second = await request(app).get('/widget.js').set('If-None-Match', etag);
    expect(second.status).toBe(304);
    expect(second.text).toBe('');
  });

  it('is under 30 KB gzipped', async () => {
    const res = await request(app).get('/widget.js').expect(200);
    const gz = gzipSync(Buffer.from(res.text, 'utf8'), { level: 9 });
    expect(gz.length).toBeGreaterThan(1000); // the real widget, not an empty file
    expect(gz.length).toBeLessThan(30 * 1024);
  });

  it('uses only ES2019 syntax (compiling it down to ES2019 changes nothing)', () => {
    const source = readFileSync(widgetPath(), 'utf8');
    const compile = (target: ts.ScriptTarget) =>
      ts.transpileModule(source, {
        compilerOptions: {
          target,
          allowJs: true,
          module: ts.ModuleKind.None,
          removeComments: true,
        },
        fileName: 'widget.js',
      }).outputText;
    expect(compile(ts.ScriptTarget.ES2019)).toBe(compile(ts.ScriptTarget.ESNext));
  });

  it('never parses text as HTML and makes no request outside data-suara-url', () => {
    const source = readFileSync(widgetPath(), 'utf8');
    expect(source).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(/);
    expect(source).not.toMatch(/new Function/);
    // Every URL literal is the SVG namespace (not fetched); requests go to API only.
    const urls = source.match(/https?:\/\/[\w.-]+/g) ?? [];
    expect(new Set(urls.filter((u) => !u.startsWith('https://HOST')))).toEqual(
      new Set(['http://www.w3.org']),
    );
  });
});

describe('GET / (demo page)', () => {
  it('embeds the widget with data-suara-url from the request origin', async () => {
    const res = await request(app).get('/').set('Host', 'suara.example.go.id:8080').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain('Pemerintah Kota Contoh');
    expect(res.text).toMatch(/demo/i);
    expect(res.text).toContain(
      '<script src="http://suara.example.go.id:8080/widget.js" data-suara-url="http://suara.example.go.id:8080" defer></script>',
    );
  });

  it('does not reflect a forged Host header into the page', async () => {
    const res = await request(app).get('/').set('Host', 'x"><script>alert(1)</script>').expect(200);
    expect(res.text).not.toContain('<script>alert(1)');
    expect(res.text).toContain('data-suara-url="http://localhost"');
  });

  it('escapes HTML special characters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });
});

describe('asset path', () => {
  it('finds the project root from the sources and from dist/', () => {
    const root = projectRoot();
    expect(readFileSync(join(root, 'package.json'), 'utf8')).toContain('"name": "suara"');
    expect(projectRoot(join(root, 'dist', 'adapters', 'webchat', 'widget'))).toBe(root);
    expect(() => projectRoot('/')).toThrow(/no package.json/);
  });
});
