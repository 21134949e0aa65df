/**
 * IP literal recognition, Node's own: the one thing core takes from `node:net`. These parsers
 * open no socket; keeping the import in this one module lets the dependency rules forbid
 * `node:net` everywhere else in core (`.dependency-cruiser.cjs`, rule core-no-io).
 */
export { isIP, isIPv4, isIPv6 } from 'node:net';
