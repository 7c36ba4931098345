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
