import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyReply } from 'fastify';
import { UI_SECURITY_HEADERS } from './web-security-headers.ts';

/**
 * One page of the built web UI (`packages/ui`), for a route that answers with it itself, such as
 * the Network's and the portal's `/oauth/authorize/`. The pages run no inline script, so they
 * get the same strict headers as every other page.
 */
export class BuiltPage {
  /** `entry`: the page's file under the built UI, e.g. `network/index.html`. */
  constructor(
    private readonly distDir: string,
    private readonly entry: string,
    private readonly title: string,
  ) {}

  async send(reply: FastifyReply, status = 200): Promise<FastifyReply> {
    reply.headers(UI_SECURITY_HEADERS);
    let html: string;
    try {
      html = await readFile(join(this.distDir, this.entry), 'utf8');
    } catch {
      return reply.status(503).type('text/plain').send('The web interface is not built');
    }
    return reply.status(status).type('text/html').send(html);
  }

  /** A request the page cannot act on (an unknown client, an unregistered redirect URI). */
  sendProblem(reply: FastifyReply, status: number, message: string): FastifyReply {
    reply.headers(UI_SECURITY_HEADERS);
    const title = escapeHtml(this.title);
    return reply
      .status(status)
      .type('text/html')
      .send(
        `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><main><h1>${title}</h1><p role="alert">${escapeHtml(message)}</p></main></body></html>`,
      );
  }
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
