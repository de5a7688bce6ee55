import { describe, expect, it } from 'vitest';
import { parseInline, parseMarkdown } from './markdown';

describe('legal text Markdown', () => {
  it('reads headings, paragraphs joined across lines, and both kinds of list', () => {
    const blocks = parseMarkdown(
      '# Terms\n\nFirst line\nsecond line.\n\n## Your account\n\n- one\n- two\n  continued\n\n1. first\n2) second\n',
    );
    expect(blocks).toEqual([
      { kind: 'heading', level: 1, content: [{ kind: 'text', text: 'Terms' }] },
      { kind: 'paragraph', content: [{ kind: 'text', text: 'First line second line.' }] },
      { kind: 'heading', level: 2, content: [{ kind: 'text', text: 'Your account' }] },
      {
        kind: 'list',
        ordered: false,
        items: [[{ kind: 'text', text: 'one' }], [{ kind: 'text', text: 'two continued' }]],
      },
      {
        kind: 'list',
        ordered: true,
        items: [[{ kind: 'text', text: 'first' }], [{ kind: 'text', text: 'second' }]],
      },
    ]);
  });

  it('keeps bold and safe links, and turns any other link into its text', () => {
    expect(parseInline('Call **now** or [email us](mailto:a@example.test).')).toEqual([
      { kind: 'text', text: 'Call ' },
      { kind: 'strong', text: 'now' },
      { kind: 'text', text: ' or ' },
      { kind: 'link', text: 'email us', href: 'mailto:a@example.test' },
      { kind: 'text', text: '.' },
    ]);
    for (const href of ['javascript:alert(1)', 'data:text/html,x', '//evil.example', 'vbscript:x']) {
      const parsed = parseInline(`[x](${href})`);
      expect(parsed.every((i) => i.kind === 'text')).toBe(true);
      expect(parsed[0]).toEqual({ kind: 'text', text: 'x' });
    }
    expect(parseInline('[home](/help) [site](https://example.test/a)').map((i) => i.kind)).toEqual([
      'link',
      'text',
      'link',
    ]);
  });

  it('leaves markup as text: the page renders elements, never HTML', () => {
    expect(parseMarkdown('<script>alert(1)</script>')).toEqual([
      { kind: 'paragraph', content: [{ kind: 'text', text: '<script>alert(1)</script>' }] },
    ]);
  });
});
