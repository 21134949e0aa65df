import type { Spread } from './stats.js';

/** Figures as the reports print them, the same in every table. */

/** A ratio to two decimals (`1.31×`); `–` when it could not be computed. */
export function ratio(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(2)}×` : '–';
}

/** A paired ratio with its lowest and highest round, to three decimals: 0.9695× must not read as 0.97×. */
export function spreadRatio(s: Spread): string {
  return `${s.median.toFixed(3)}× (${s.min.toFixed(3)}–${s.max.toFixed(3)})`;
}

/** A median with its range in parentheses, unless every round gave the same. */
export function withSpread(value: Spread, format: (v: number) => string): string {
  return value.min === value.max ? format(value.median) : `${format(value.median)} (${format(value.min)}–${format(value.max)})`;
}

/** A whole count with thousands separators; `–` when it could not be computed. */
export function count(value: number): string {
  return Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : '–';
}

/** Nanoseconds per call: one decimal below 100. */
export function ns(value: number): string {
  return `${value < 100 ? value.toFixed(1) : Math.round(value).toLocaleString('en-US')} ns`;
}

/** Milliseconds of a build: two decimals below 10, one below 1,000. */
export function ms(value: number): string {
  return `${value < 10 ? value.toFixed(2) : value < 1000 ? value.toFixed(1) : Math.round(value).toLocaleString('en-US')} ms`;
}

/** Latencies as the tools give them: whole ms for autocannon, finer for wrk and the WebSocket client. */
export function latency(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  if (Number.isInteger(ms)) return `${ms} ms`;
  return ms < 10 ? `${ms.toFixed(2)} ms` : `${ms.toFixed(1)} ms`;
}
