import { Provider } from '@nestjs/common';
import { ServerConfig } from './server-config';

export const SERVER_CONFIG = Symbol('SERVER_CONFIG');

export const serverConfigProvider = (config: ServerConfig): Provider => ({ provide: SERVER_CONFIG, useValue: config });
