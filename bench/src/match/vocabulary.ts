/**
 * Words the workload builds host names and paths from, chosen to look like the routes of
 * real clusters (API versions, resources, actions, static assets) rather than random bytes,
 * so segment lengths and shared prefixes are realistic.
 */

/** First path elements: areas of an application. */
export const AREAS = [
  'api', 'v1', 'v2', 'static', 'assets', 'auth', 'admin', 'users', 'accounts', 'orders',
  'products', 'cart', 'checkout', 'search', 'media', 'images', 'docs', 'health', 'metrics', 'billing',
  'payments', 'reports', 'graphql', 'webhooks', 'internal', 'public', 'files', 'uploads', 'blog', 'help',
  'status', 'login', 'oauth', 'sso', 'cdn', 'app', 'dashboard', 'settings', 'notifications', 'catalog',
] as const;

/** Deeper path elements: resources of an API. */
export const RESOURCES = [
  'users', 'orders', 'items', 'products', 'invoices', 'customers', 'sessions', 'tokens', 'events', 'jobs',
  'teams', 'projects', 'comments', 'reviews', 'categories', 'tags', 'prices', 'stock', 'shipments', 'refunds',
  'messages', 'channels', 'files', 'versions', 'configs', 'keys', 'roles', 'permissions', 'audit', 'exports',
] as const;

export const VERSIONS = ['v1', 'v2', 'v3', 'v1beta1'] as const;

/** Last path elements: actions and views. */
export const ACTIONS = [
  'list', 'create', 'export', 'import', 'sync', 'preview', 'history', 'summary', 'latest', 'search',
  'callback', 'refresh', 'verify', 'stats', 'download', 'upload', 'bulk', 'archive', 'restore', 'feed',
] as const;

/** Elements no rule uses: the "unknown path" misses and the extra elements behind a Prefix hit. */
export const UNKNOWN_ELEMENTS = ['nothing-here', 'missing', 'legacy', 'tmp', 'old-api', 'xyz', 'wp-admin', 'phpmyadmin', 'robots.txt'] as const;
export const TRAILING_ELEMENTS = ['details', 'edit', 'page-2', 'thumb.png', 'index.html', 'main.js', 'style.css', 'items'] as const;

/** The first label of exact host names. */
export const SERVICES = [
  'api', 'shop', 'auth', 'media', 'billing', 'search', 'admin', 'docs', 'status', 'mail',
  'chat', 'cdn', 'portal', 'grafana', 'registry', 'git', 'ci', 'wiki', 'store', 'account',
] as const;

/** Registered domains of exact hosts. */
export const DOMAINS = ['example.com', 'example.org', 'shop.example.com', 'corp.example.net', 'eu.example.io'] as const;

export const NAMESPACES = [
  'default', 'web', 'payments', 'identity', 'platform', 'data', 'search', 'media', 'ops', 'team-a',
  'team-b', 'team-c', 'edge', 'legacy', 'staging', 'tenants',
] as const;
