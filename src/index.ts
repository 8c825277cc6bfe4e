export * from './configuration-set';
export * from './configuration-set-event-destination';
export * from './dedicated-ip-pool';
export * from './deliverability-dashboard';
export * from './deliverability-test';
export * from './email-account-settings';
export * from './email-identity';
export * from './email-identity-verification';
