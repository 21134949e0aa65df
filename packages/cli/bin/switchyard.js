#!/usr/bin/env node
// Built output; run `pnpm build` first, or use `tsx --conditions=source src/main.ts` from a checkout.
import '../dist/main.js';
