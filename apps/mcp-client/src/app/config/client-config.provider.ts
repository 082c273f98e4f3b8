import { Provider } from '@nestjs/common';
import { ClientConfig } from './client-config';

export const CLIENT_CONFIG = Symbol('CLIENT_CONFIG');

export const clientConfigProvider = (config: ClientConfig): Provider => ({ provide: CLIENT_CONFIG, useValue: config });
