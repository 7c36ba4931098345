import type { FastifyInstance } from 'fastify';
import type { Config } from '../config/config.ts';
import type { RestMethod } from '../rest/rest-method.ts';

/** What route plugins may read of the server they are registered on. */
export interface RouteSettings extends Pick<Config, 'tls' | 'uiDistDir' | 'network'> {
  /** The port the server listens on (known once it listens; 0 before). */
  listeningPort(): number;
}

/** A Fastify plugin of one feature, and the server role that serves it. */
export interface FeatureRoutes {
  /** `any`: every role (the routes check the portal themselves); else only when that role is on. */
  role: 'any' | 'portal' | 'network';
  register(app: FastifyInstance, settings: RouteSettings): Promise<void>;
}

/**
 * What one feature gives the server, built from the services it declares it needs (as a Fastify
 * plugin takes its options): the services other features and the tests may use, its REST
 * methods, its HTTP routes, and the work it runs while the server is up. Only `app/` knows every
 * module; it starts them in order once the server listens and stops them in reverse order after
 * HTTP has closed.
 */
export interface FeatureModule<Services extends object = object> {
  readonly name: string;
  readonly services: Services;
  readonly methods?: readonly RestMethod[];
  readonly routes?: readonly FeatureRoutes[];
  /** Timers and connections; runs after the server listens. */
  start?(): Promise<void>;
  stop?(): Promise<void>;
}
