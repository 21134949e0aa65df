export { loadManifestFiles, ManifestFiles, watchManifestFiles, type ManifestWatch } from './manifest-files.js';
