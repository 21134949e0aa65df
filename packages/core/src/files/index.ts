export { loadManifestFiles, watchManifestFiles, type ManifestWatch } from './manifest-files.js';
