export { type GatewaySpecCase, type GatewaySpecExpectation, type GatewaySpecRequest } from './spec-case.js';
export { BACKEND_SERVICE_PORT, backendPortPlaceholder, backendServices, backendsOf, fillBackendPorts } from './backend-services.js';
export { gatewayInputFromManifests } from './gateway-input.js';
export { gatewaySpecCases } from './all-cases.js';
