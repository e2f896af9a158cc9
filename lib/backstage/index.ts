export { BACKSTAGE_API_VERSION_PREFIX, BACKSTAGE_API_VERSIONS, isBackstageDocument } from './entity';
export { ANNOTATION, backstageServices, DEFAULT_TIER, LIFECYCLE_TIER, ownerName, type BackstageImport } from './services';
