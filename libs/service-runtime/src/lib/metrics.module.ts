import { Module } from '@nestjs/common';
import { MetricsController } from './metrics.controller';

/** `GET /metrics`: whatever the app registers in prom-client's default registry, plus Node's defaults. */
@Module({ controllers: [MetricsController] })
export class MetricsModule {}
