import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bbCodeToDocument, documentToBbCode } from './editor-document.ts';

const text = (t: string, ...marks: string[]) =>
  marks.length > 0 ? { type: 'text', text: t, marks: marks.map((type) => ({ type })) } : { type: 'text', text: t };
const paragraph = (...content: object[]) => ({ type: 'paragraph', content });
const doc = (...content: object[]) => ({ type: 'doc', content });
const mention = (id: number, label: string) => ({ type: 'mention', attrs: { id: String(id), label } });

test('a message being edited opens with its mentions as chips that keep their ids', () => {
  assert.deepEqual(
    bbCodeToDocument('Thanks [USER=3]Carol Davis[/USER], see [b]this[/b]'),
    doc(paragraph(text('Thanks '), mention(3, 'Carol Davis'), text(', see '), text('this', 'bold'))),
  );
});

test('chips and formatting go out as Bitrix24 BB-code', () => {
  const written = doc(
    paragraph(
      text('Hi '),
      mention(3, 'Carol Davis'),
      text(' '),
      text('bold ', 'bold'),
      text('both', 'bold', 'italic'),
      text(' u', 'underline'),
      text('s', 'strike'),
      text(' '),
      text('x = 1', 'code'),
    ),
    paragraph(text('next line '), {
      type: 'text',
      text: 'plan',
      marks: [{ type: 'link', attrs: { href: 'https://x.example/' } }],
    }),
  );
  assert.equal(
    documentToBbCode(written),
    'Hi [USER=3]Carol Davis[/USER] [b]bold [i]both[/i][/b] [u]u[/u][s]s[/s] [code]x = 1[/code]\nnext line [url=https://x.example/]plan[/url]',
  );
});

test('a quote is a block of its own, line breaks stay, Markdown typed by hand is understood', () => {
  const written = doc(
    { type: 'blockquote', content: [paragraph(text('Carol', 'bold'), text(': said it'))] },
    paragraph(text('**agreed**'), { type: 'hardBreak' }, text('_really_')),
  );
  const sent = documentToBbCode(written);
  assert.equal(sent, '[quote][b]Carol[/b]: said it[/quote]\n[b]agreed[/b]\n[i]really[/i]');
  assert.deepEqual(bbCodeToDocument(sent), {
    type: 'doc',
    content: [
      { type: 'blockquote', content: [paragraph(text('Carol', 'bold'), text(': said it'))] },
      paragraph(text('agreed', 'bold'), { type: 'hardBreak' }, text('really', 'italic')),
    ],
  });
});

test('what is sent opens again as it was written', () => {
  for (const source of [
    'plain',
    'Thanks [USER=3]Carol Davis[/USER]!\n[b]bold [i]both[/i][/b] [code]a*b*c[/code]',
    'before\n[quote]said[/quote]\nafter',
    'see https://example.com/x and [url=https://example.com/]the site[/url]',
  ]) {
    assert.equal(documentToBbCode(bbCodeToDocument(source)), source, source);
  }
  assert.deepEqual(bbCodeToDocument(''), doc({ type: 'paragraph' }));
  assert.equal(documentToBbCode(doc({ type: 'paragraph' })), '');
});

test('spaces at the edges of formatted text are sent outside its tags', () => {
  assert.equal(
    documentToBbCode(doc(paragraph(text('plain'), text('\u00a0strong ', 'bold'), text('end')))),
    'plain [b]strong[/b] end',
  );
});
