import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createSSRApp, h } from 'vue';
import { renderToString } from 'vue/server-renderer';
import { BbText } from './BbText.ts';

/** The HTML Vue produces for a message's text, as the reader's browser would receive it. */
async function html(text: string, currentUserId?: number): Promise<string> {
  const rendered = await renderToString(createSSRApp({ render: () => h(BbText, { text, currentUserId }) }));
  return rendered.replace(/<!--\[-->|<!--\]-->/g, '');
}

/** Every element in the HTML with its attribute names (text is escaped, so every `<` opens a tag). */
function elements(markup: string): { tag: string; attributes: string[] }[] {
  return [...markup.matchAll(/<([a-z][a-z0-9]*)((?:\s+[^\s=>]+(?:="[^"]*")?)*)\s*\/?>/gi)].map((m) => ({
    tag: m[1]!.toLowerCase(),
    attributes: [...(m[2] ?? '').matchAll(/\s+([^\s=>]+)(?:="[^"]*")?/g)].map((a) => a[1]!.toLowerCase()),
  }));
}

const XSS_PAYLOADS = [
  '<img src=x onerror=alert(1)>',
  '<script>alert(1)</script>',
  '<svg onload=alert(1)>',
  '"><iframe src=javascript:alert(1)>',
  '[url=javascript:alert(1)]click[/url]',
  '[url]javascript:alert(1)[/url]',
  '[url=https://ok.example" onmouseover="alert(1)]x[/url]',
  '[url=https://ok.example/"><script>alert(1)</script>]x[/url]',
  '[user=1 onclick=alert(1)]x[/user]',
  '[img]https://x.example/a.png" onerror="alert(1)[/img]',
  '[code]</code><script>alert(1)</script>[/code]',
  '[quote]<img src=x onerror=alert(1)>[/quote]',
  '[b]<b onmouseover=alert(1)>x</b>[/b]',
  '[url=data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==]x[/url]',
];

test('markup in a message is shown as text, never becomes elements or attributes', async () => {
  const allowedTags = new Set(['span', 'strong', 'em', 'u', 's', 'blockquote', 'code', 'a', 'br']);
  const allowedAttributes = new Set(['class', 'href', 'target', 'rel', 'data-mention']);
  for (const payload of XSS_PAYLOADS) {
    const out = await html(payload);
    // Every '<' in the output must be a tag we made; the rest of the markup must be escaped.
    assert.equal(elements(out).length, (out.match(/</g) ?? []).length - (out.match(/<\//g) ?? []).length, out);
    for (const { tag, attributes } of elements(out)) {
      assert.ok(allowedTags.has(tag), `${payload} produced <${tag}>: ${out}`);
      for (const name of attributes) assert.ok(allowedAttributes.has(name), `${payload} produced ${name}=: ${out}`);
    }
    assert.doesNotMatch(out, /href="(?!https?:|mailto:)/i, `${payload} produced an unsafe link: ${out}`);
  }
});

test('the payload text is still readable, escaped', async () => {
  const out = await html('<img src=x onerror=alert(1)>');
  assert.equal(out, '<span class="wrap-anywhere">&lt;img src=x onerror=alert(1)&gt;</span>');
});

test('an attribute cannot be broken out of with quotes', async () => {
  const out = await html('[url=https://ok.example/" onmouseover="alert(1)]x[/url]');
  // The URL parser percent-encodes the quote and the spaces; the link stays one attribute.
  assert.match(out, /href="https:\/\/ok\.example\/%22%20onmouseover=%22alert\(1\)"/);
});

test('formatting renders as the matching elements', async () => {
  const out = await html('[b]B[/b][i]I[/i][u]U[/u][s]S[/s]\n[quote]Q[/quote][code]C[/code]');
  assert.match(out, /<strong>B<\/strong><em>I<\/em><u>U<\/u><s>S<\/s><br>/);
  assert.match(out, /<blockquote[^>]*>Q<\/blockquote>/);
  assert.match(out, /<code[^>]*>C<\/code>/);
});

test('links open in a new tab without telling the target where the reader came from', async () => {
  const out = await html('[url=https://example.com]site[/url]');
  assert.match(
    out,
    /<a href="https:\/\/example\.com\/" target="_blank" rel="noopener noreferrer nofollow"[^>]*>site<\/a>/,
  );
});

test('pictures are offered as a link, not loaded', async () => {
  const out = await html('[img]https://cdn.example/p.png[/img]');
  assert.doesNotMatch(out, /<img/);
  assert.match(out, /<a href="https:\/\/cdn\.example\/p\.png"[^>]*>Picture: cdn\.example<\/a>/);
});

test('a mention of the reader is marked differently from other mentions', async () => {
  const mine = await html('[user=7]Me[/user]', 7);
  const theirs = await html('[user=8]Other[/user]', 7);
  assert.match(mine, /data-mention="7"/);
  assert.notEqual(
    /class="([^"]*)"[^>]*data-mention/.exec(mine)?.[1],
    /class="([^"]*)"[^>]*data-mention/.exec(theirs)?.[1],
  );
});
