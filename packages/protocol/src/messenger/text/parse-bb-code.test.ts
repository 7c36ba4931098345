import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseBbCode } from './parse-bb-code.ts';
import { safeLinkHref } from './safe-link.ts';

const text = (t: string) => ({ type: 'text', text: t });

test('plain text stays text, line breaks become breaks', () => {
  assert.deepEqual(parseBbCode('hello\nworld\r\n!'), [
    text('hello'),
    { type: 'lineBreak' },
    text('world'),
    { type: 'lineBreak' },
    text('!'),
  ]);
  assert.deepEqual(parseBbCode('a[br]b'), [text('a'), { type: 'lineBreak' }, text('b')]);
});

test('formatting tags, in either case, nest', () => {
  assert.deepEqual(parseBbCode('[B]bold [i]both[/i][/b] [u]u[/u][s]s[/s]'), [
    { type: 'bold', children: [text('bold '), { type: 'italic', children: [text('both')] }] },
    text(' '),
    { type: 'underline', children: [text('u')] },
    { type: 'strike', children: [text('s')] },
  ]);
});

test('quotes hold formatted text; code holds its content verbatim', () => {
  assert.deepEqual(parseBbCode('[quote]said [b]this[/b][/quote]'), [
    { type: 'quote', children: [text('said '), { type: 'bold', children: [text('this')] }] },
  ]);
  assert.deepEqual(parseBbCode('[code][b]not bold[/b] <tag>\n[url]x[/url][/CODE]'), [
    { type: 'code', text: '[b]not bold[/b] <tag>\n[url]x[/url]' },
  ]);
});

test('links: [url], [url=…] and bare web addresses', () => {
  assert.deepEqual(parseBbCode('[url]https://example.com/a?b=1[/url]'), [
    { type: 'link', href: 'https://example.com/a?b=1', children: [text('https://example.com/a?b=1')] },
  ]);
  assert.deepEqual(parseBbCode('[url=https://example.com]the [b]site[/b][/url]'), [
    {
      type: 'link',
      href: 'https://example.com/',
      children: [text('the '), { type: 'bold', children: [text('site')] }],
    },
  ]);
  assert.deepEqual(parseBbCode('see https://example.com/x. Thanks'), [
    text('see '),
    { type: 'link', href: 'https://example.com/x', children: [text('https://example.com/x')] },
    text('. Thanks'),
  ]);
});

test('text whose lower case is longer than itself keeps every tag in place', () => {
  // 'İ' lower-cases to two code units: offsets from a lower-cased copy would land three places off.
  assert.deepEqual(parseBbCode('İİİ [code]abc[/code] tail'), [
    text('İİİ '),
    { type: 'code', text: 'abc' },
    text(' tail'),
  ]);
  assert.deepEqual(parseBbCode('İİİ [IMG]https://cdn.example/p.png[/Img] tail'), [
    text('İİİ '),
    { type: 'image', href: 'https://cdn.example/p.png' },
    text(' tail'),
  ]);
});

test('a web address keeps its closing bracket when it opened one, and not otherwise', () => {
  const wiki = 'https://en.wikipedia.org/wiki/Bracket_(disambiguation)';
  assert.deepEqual(parseBbCode(`see ${wiki} now`), [
    text('see '),
    { type: 'link', href: wiki, children: [text(wiki)] },
    text(' now'),
  ]);
  assert.deepEqual(parseBbCode(`(see ${wiki})`), [
    text('(see '),
    { type: 'link', href: wiki, children: [text(wiki)] },
    text(')'),
  ]);
  assert.deepEqual(parseBbCode('(details at https://example.com/x)!'), [
    text('(details at '),
    { type: 'link', href: 'https://example.com/x', children: [text('https://example.com/x')] },
    text(')!'),
  ]);
});

test('only http, https and mailto addresses written out become links by themselves', () => {
  assert.deepEqual(parseBbCode('write to mailto:alice@example.com, or see HTTP://Example.com/A'), [
    text('write to '),
    { type: 'link', href: 'mailto:alice@example.com', children: [text('mailto:alice@example.com')] },
    text(', or see '),
    { type: 'link', href: 'http://example.com/A', children: [text('HTTP://Example.com/A')] },
  ]);
  for (const written of [
    'javascript:alert(1)',
    'javascript://example.com/%0aalert(1)',
    'data:text/html,<b>x</b>',
    'ftp://files.example.com/a',
    '//evil.example/x',
    'example.com',
    'alice@example.com',
    'file:///etc/passwd',
  ]) {
    assert.deepEqual(parseBbCode(`a ${written} b`), [text(`a ${written} b`)], written);
  }
});

test('mentions carry the user id and the name', () => {
  assert.deepEqual(parseBbCode('hi [USER=12]Anna Smith[/USER]!'), [
    text('hi '),
    { type: 'mention', userId: 12, children: [text('Anna Smith')] },
    text('!'),
  ]);
  // A mention without a proper id is just its name.
  assert.deepEqual(parseBbCode('[user=abc]Anna[/user]'), [text('Anna')]);
});

test('unbalanced and unknown tags are shown as written', () => {
  assert.deepEqual(parseBbCode('[b]open'), [text('[b]open')]);
  assert.deepEqual(parseBbCode('close[/b]'), [text('close[/b]')]);
  assert.deepEqual(parseBbCode('[color=red]x[/color]'), [text('[color=red]x[/color]')]);
  assert.deepEqual(parseBbCode('[code]no end'), [text('[code]no end')]);
  assert.deepEqual(parseBbCode('[code]a[code]b[/code] [code]c'), [
    { type: 'code', text: 'a[code]b' },
    text(' [code]c'),
  ]);
  const manyOpen = 'a[code]'.repeat(20_000);
  assert.deepEqual(parseBbCode(manyOpen), [text(manyOpen)]);
});

test('javascript:, data: and other schemes never become links', () => {
  for (const href of [
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    ' javascript:alert(1)',
    'java\tscript:alert(1)',
    'java\nscript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox(1)',
    'file:///etc/passwd',
    '//evil.example/x',
    '/relative',
    'javascript://example.com/%0aalert(1)',
  ]) {
    assert.equal(safeLinkHref(href), null, href);
    const nodes = parseBbCode(`[url=${href}]click[/url] [url]${href}[/url]`);
    assert.ok(!JSON.stringify(nodes).includes('"type":"link"'), `${JSON.stringify(href)} became a link`);
  }
});

test('a link inside a link, or a link inside a mention, stays text', () => {
  const nodes = parseBbCode('[url=https://a.example][url=https://b.example]x[/url][/url]');
  assert.deepEqual(nodes, [
    { type: 'link', href: 'https://a.example/', children: [text('[url=https://b.example]x')] },
    text('[/url]'),
  ]);
});

test('pictures are links to follow, never loaded in line', () => {
  assert.deepEqual(parseBbCode('[img]https://cdn.example/p.png[/img]'), [
    { type: 'image', href: 'https://cdn.example/p.png' },
  ]);
  assert.deepEqual(parseBbCode('[img]javascript:alert(1)[/img]'), [text('[img]javascript:alert(1)[/img]')]);
});

test('a picture is one address: [img] never swallows the text after it', () => {
  assert.deepEqual(parseBbCode('[img] https://cdn.example/p.png [/img] and after'), [
    { type: 'image', href: 'https://cdn.example/p.png' },
    text(' and after'),
  ]);
  // An [img] whose closing tag is far away, after more words, is not a picture of those words.
  assert.deepEqual(parseBbCode('look [img]https://cdn.example/p.png and [b]this[/b] too[/img] end'), [
    text('look [img]'),
    { type: 'link', href: 'https://cdn.example/p.png', children: [text('https://cdn.example/p.png')] },
    text(' and '),
    { type: 'bold', children: [text('this')] },
    text(' too[/img] end'),
  ]);
  assert.deepEqual(parseBbCode('[img]https://a.example/1.png [img]https://b.example/2.png[/img] end'), [
    text('[img]'),
    { type: 'link', href: 'https://a.example/1.png', children: [text('https://a.example/1.png')] },
    text(' '),
    { type: 'image', href: 'https://b.example/2.png' },
    text(' end'),
  ]);
});

test('deep nesting is cut off instead of exhausting the stack', () => {
  const deep = `${'[b]'.repeat(10_000)}x${'[/b]'.repeat(10_000)}`;
  const nodes = parseBbCode(deep);
  const depth = (list: unknown[]): number =>
    Math.max(
      0,
      ...list.map((n) =>
        (n as { children?: unknown[] }).children ? 1 + depth((n as { children: unknown[] }).children) : 0,
      ),
    );
  assert.ok(depth(nodes) <= 16);
  assert.ok(JSON.stringify(nodes).includes('x'));
});
