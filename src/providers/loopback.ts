/**
 * Whether the configured "local" model is really on this machine. Privacy work is routed
 * to it because nothing may leave the machine, so an endpoint elsewhere on the network
 * needs an explicit opt-in (`models.local_llm.allow_remote_endpoint`).
 */
import { isIP } from 'node:net';

export function isLoopbackUrl(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname.replace(/^\[|\]$/g, '').toLowerCase();
  } catch {
    return false;
  }
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) return host === '::1' || /^::ffff:127\./.test(host);
  return false;
}

export const REMOTE_ENDPOINT_NOTE = (endpoint: string) =>
  `models.local_llm.endpoint ${endpoint} is not on this machine (not loopback), and privacy work must stay here; ` +
  'point it at localhost, or set models.local_llm.allow_remote_endpoint = true if that host is yours';
