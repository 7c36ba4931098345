import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyReply } from 'fastify';
import { UI_SECURITY_HEADERS } from '../../web/web-security-headers.ts';

/**
 * The Network's web app (`packages/ui`, entry `network/index.html`), for the routes that answer
 * with it themselves, such as `/oauth/authorize/`. It runs no inline script, so it gets the
 * same strict headers as the portals' pages.
 */
export class NetworkPage {
  constructor(private readonly distDir: string) {}

  async send(reply: FastifyReply): Promise<FastifyReply> {
    reply.headers(UI_SECURITY_HEADERS);
    let html: string;
    try {
      html = await readFile(join(this.distDir, 'network', 'index.html'), 'utf8');
    } catch {
      return reply.status(503).type('text/plain').send('The web interface is not built');
    }
    return reply.type('text/html').send(html);
  }

  /** A request the page cannot act on (an unknown client, an unregistered redirect URI). */
  sendProblem(reply: FastifyReply, status: number, message: string): FastifyReply {
    reply.headers(UI_SECURITY_HEADERS);
    return reply
      .status(status)
      .type('text/html')
      .send(
        `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Network</title></head><body><main><h1>Network</h1><p role="alert">${escapeHtml(message)}</p></main></body></html>`,
      );
  }
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
