import { it } from 'node:test';
import assert from 'node:assert/strict';
import { ParleyError } from '../errors/parley-error.js';
import { checkBytes, checkDeclared, filenameOf } from './check-upload.js';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as ParleyError).code;
  }
  return 'passed';
};

it('the file name comes from the query, else Content-Disposition (filename* before filename)', () => {
  assert.equal(filenameOf('a.png', 'attachment; filename="b.png"'), 'a.png');
  assert.equal(filenameOf(undefined, 'attachment; filename="in \\"quotes\\".pdf"'), 'in "quotes".pdf');
  assert.equal(filenameOf(undefined, "attachment; filename=plain.pdf; filename*=UTF-8''fa%C3%A7ture.pdf"), 'façture.pdf');
  assert.equal(filenameOf(undefined, 'attachment; filename=plain.pdf'), 'plain.pdf');
  assert.equal(filenameOf(undefined, 'inline'), undefined);
  assert.equal(filenameOf(undefined, undefined), undefined);
});

it('what is declared is checked before the body (type, length, name), then the bytes (empty, size, signature)', () => {
  const cap = 1000;
  assert.equal(code(() => checkDeclared({ mimeType: 'application/zip', length: 10, filename: undefined }, cap)), 'MEDIA_TYPE_UNSUPPORTED');
  assert.equal(code(() => checkDeclared({ mimeType: 'image/png', length: 1001, filename: undefined }, cap)), 'MEDIA_TOO_LARGE');
  assert.equal(code(() => checkDeclared({ mimeType: 'image/png', length: undefined, filename: '../etc/passwd' }, cap)), 'MEDIA_FILENAME_INVALID');
  assert.equal(code(() => checkDeclared({ mimeType: 'image/png', length: 11, filename: 'cat.png' }, cap)), 'passed');
  const spec = checkDeclared({ mimeType: 'image/png', length: undefined, filename: undefined }, cap);
  assert.equal(code(() => checkBytes('image/png', spec, Buffer.alloc(0), cap)), 'MEDIA_EMPTY');
  assert.equal(code(() => checkBytes('image/png', spec, Buffer.concat([PNG, Buffer.alloc(1000)]), cap)), 'MEDIA_TOO_LARGE');
  assert.equal(code(() => checkBytes('image/png', spec, Buffer.from('GIF89a'), cap)), 'MEDIA_CONTENT_MISMATCH');
  assert.equal(code(() => checkBytes('image/png', spec, PNG, cap)), 'passed');
  // Meta's own limit when it is lower than the operator's cap.
  const webp = checkDeclared({ mimeType: 'image/webp', length: undefined, filename: undefined }, 10 * 1024 * 1024);
  assert.equal(webp.maxBytes, 500 * 1024);
});
