import { servicesGlobalSetup } from '@finks/dev-services';

export default servicesGlobalSetup(['moto']);
