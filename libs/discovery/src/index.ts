export { DiscoveryModule } from './discovery.module';
export { buildAutoDiscovery, defaultSites } from './auto-discovery';
export type { AutoDiscoveryDocument, WebSite } from './auto-discovery';
