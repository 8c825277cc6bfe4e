export * from './configuration-set';
export * from './dedicated-ip-pool';
export * from './email-identity';
