import { Controller, Get, Header } from '@nestjs/common';
import { collectDefaultMetrics, register } from 'prom-client';

let defaultMetricsStarted = false;

/** Prometheus exposition of the default registry (what the app registers) plus Node's defaults. */
@Controller('metrics')
export class MetricsController {
  constructor() {
    if (!defaultMetricsStarted) {
      collectDefaultMetrics();
      defaultMetricsStarted = true;
    }
  }

  @Get()
  @Header('Content-Type', register.contentType)
  metrics(): Promise<string> {
    return register.metrics();
  }
}
