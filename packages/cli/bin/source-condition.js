// A module.register() resolve hook: every import resolves as under `node --conditions=source`, so a
// checkout without dist/ loads the workspace packages from their TypeScript sources.
export async function resolve(specifier, context, nextResolve) {
  if (context.conditions.includes('source')) return nextResolve(specifier, context);
  return nextResolve(specifier, { ...context, conditions: [...context.conditions, 'source'] });
}
