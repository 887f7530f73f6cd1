/** Jest runs TypeScript through SWC: oidc-provider and jose are ESM-only and must be transformed too. */
const swc = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
  },
  module: { type: 'commonjs' },
};

const libs = ['config', 'persistence', 'state', 'keys', 'tenancy', 'accounts', 'instances', 'issuer', 'policies', 'interactions', 'discovery', 'admin', 'observability', 'audit', 'mfa', 'resource-server', 'rate-limits'];

module.exports = {
  testEnvironment: 'node',
  rootDir: '.',
  roots: ['<rootDir>/libs', '<rootDir>/apps', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts', '**/*.e2e-spec.ts'],
  transform: { '^.+\\.(t|j|mj)s$': ['@swc/jest', swc] },
  transformIgnorePatterns: ['/node_modules/(?!(oidc-provider|jose|openid-client|oauth4webapi|@koa|koa|quick-lru|nanoid)/)'],
  moduleNameMapper: Object.fromEntries(libs.map((l) => [`^@erp-id/${l}$`, `<rootDir>/libs/${l}/src`])),
  testTimeout: 60000,
};
