import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CsvReader, csvField, parseCsv, readCsv } from './csv.js';

describe('CSV reader', () => {
  it('reads quoted fields, doubled quotes, newlines in quotes and CRLF', () => {
    const records = parseCsv('\uFEFFphone,name,note\r\n+5511987654321,"Silva, Ana","said ""hi""\nand left"\r\n+14155552671,Bob,\n');
    assert.deepEqual(records.map((r) => r.fields), [['phone', 'name', 'note'], ['+5511987654321', 'Silva, Ana', 'said "hi"\nand left'], ['+14155552671', 'Bob', '']]);
    assert.deepEqual(records.map((r) => r.row), [1, 2, 3]);
  });

  it('detects a semicolon delimiter from the header', () => {
    const records = parseCsv('telefone;nome\n11987654321;João');
    assert.deepEqual(records.map((r) => r.fields), [['telefone', 'nome'], ['11987654321', 'João']]);
  });

  it('gives the same records however the input is split into chunks', async () => {
    const text = 'a,b\n"x ""1""",y\r\n"multi\nline",z\nlast,"q"';
    const whole = parseCsv(text).map((r) => r.fields);
    for (let size = 1; size <= text.length; size++) {
      const chunks = text.match(new RegExp(`[\\s\\S]{1,${size}}`, 'g'))!;
      const out: string[][] = [];
      for await (const record of readCsv((async function* () { yield* chunks; })())) out.push(record.fields);
      assert.deepEqual(out, whole, `chunk size ${size}`);
    }
  });

  it('marks a record cut off inside quotes at the end of the file', () => {
    const reader = new CsvReader();
    reader.push('a,b\n1,"open');
    const [last] = reader.end();
    assert.equal(last.unterminated, true);
  });

  it('quotes values that need it', () => {
    assert.equal(csvField('plain'), 'plain');
    assert.equal(csvField('a,b'), '"a,b"');
    assert.equal(csvField('say "x"'), '"say ""x"""');
    assert.equal(csvField(null), '');
  });
});
