import { Controller, Get, Header, Res } from '@nestjs/common';
import type { Response } from 'express';
import { metricsRegistry } from './metrics-registry';

/** Prometheus scrape endpoint; the gateway serves it on the admin listener only. */
@Controller()
export class MetricsController {
  @Get('metrics')
  @Header('Cache-Control', 'no-store')
  async metrics(@Res({ passthrough: true }) res: Response): Promise<string> {
    res.setHeader('Content-Type', metricsRegistry.contentType);
    return metricsRegistry.metrics();
  }
}
