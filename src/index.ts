export * from './configuration-set';
export * from './dedicated-ip-pool';
