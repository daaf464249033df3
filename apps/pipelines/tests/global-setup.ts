import { servicesGlobalSetup } from '@finks/dev-services';

// The master flow's portfolio source is a real MongoDB wire server (FerretDB).
export default servicesGlobalSetup(['ferretdb']);
